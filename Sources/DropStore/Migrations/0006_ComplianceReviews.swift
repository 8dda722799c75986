/// Compliance's records: which transactions a suspicious transaction report is about (one or more
/// of the customer's transfers, an alert's transfer to start with), who filed it, and the review
/// of held transfers.
extension Migration {
    static let complianceReviews = Migration(version: 6, name: "compliance_reviews", statements: [
        """
        CREATE TABLE str_report_transactions (
            report_id TEXT NOT NULL REFERENCES str_reports (id),
            transaction_id TEXT NOT NULL REFERENCES transactions (id),
            PRIMARY KEY (report_id, transaction_id)
        )
        """,
        // Who filed it: the reporting person of the goAML report.
        "ALTER TABLE str_reports ADD COLUMN filed_by TEXT REFERENCES users (id)",
        // A held transfer's review: who released or rejected it and why (never shown to the customer).
        "ALTER TABLE transactions ADD COLUMN reviewed_by TEXT REFERENCES users (id)",
        "ALTER TABLE transactions ADD COLUMN review_reason TEXT",
        "CREATE INDEX str_report_transactions_transaction ON str_report_transactions (transaction_id)",
        "CREATE INDEX str_reports_status ON str_reports (status, created_at)",
        "CREATE INDEX audit_log_actor ON audit_log (actor_id, at)",
    ])
}
