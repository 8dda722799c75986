/// `standing_orders.payee_since`: when the account the order pays became its recipient's (the
/// recipient's last change of payee before the order, or its creation). AML's "new recipient" rule
/// takes the payee's age from it: an old recipient edited into someone else's account just before the
/// order is a new payee, and an edit after the order doesn't touch the account the order pays.
///
/// Orders from before this migration take the recipient's last change, or its creation, when that was
/// before the order; a recipient changed since leaves no record of when the account the order copied
/// was set, so the order's own creation stands in (the latest it can have been: the rule errs towards a
/// new payee). A change or resumption takes its own creation's reading, also at the latest.
extension Migration {
    static let standingOrderPayeeSince = Migration(version: 31, name: "standing_order_payee_since", statements: [
        "ALTER TABLE standing_orders ADD COLUMN payee_since TIMESTAMPTZ",
        """
        UPDATE standing_orders SET payee_since = COALESCE(
            (SELECT CASE WHEN COALESCE(r.payee_changed_at, r.created_at) <= standing_orders.created_at
                         THEN COALESCE(r.payee_changed_at, r.created_at) ELSE standing_orders.created_at END
             FROM recipients r WHERE r.id = standing_orders.recipient_id),
            created_at)
        """,
    ])
}
