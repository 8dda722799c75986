/// An operations alert's dedupe key holds only while the alert is open: once a person resolved it,
/// the same problem seen again is raised again (`OperationsAlertRepository.resolve` lets the key go).
/// Alerts resolved before this migration let theirs go here.
extension Migration {
    static let resolvedAlertsRaisedAgain = Migration(version: 24, name: "resolved_alerts_raised_again", statements: [
        "UPDATE operations_alerts SET dedupe_key = NULL WHERE resolved_at IS NOT NULL",
    ])
}
