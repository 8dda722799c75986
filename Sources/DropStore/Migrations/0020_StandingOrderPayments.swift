/// The payee a standing transfer pays, as the person approved it (`standing_orders.payee_*`, the same
/// columns a transfer keeps). Each payment the bank makes is paid out to this copy, never to the
/// recipient's row as it is on the day: an edit of the recipient (by the person, or by someone holding
/// their session) must not change where an order already approved at the bank pays. A new payee needs
/// a new order; a change of amount or day keeps the payee.
///
/// Orders set up before this migration take the payee of their first payment, or, with none yet, their
/// recipient's details as they are now: the best record left of what was approved.
///
/// `standing_orders.bank_checked_at`: when the reconciler last read the order at the bank. It reads the
/// least recently read first, so an order a webhook was lost for is reached however many others wait.
///
/// `transactions.request_hash`, `standing_orders.request_hash`: the hash of the request whose
/// Idempotency-Key made the row. The key's own record is forgotten after an error (so a corrected
/// request may use the key again), but a row written before the error stays and is resumed by the
/// key: only the same request may resume it.
///
/// `recipients.payee_changed_at`: when a recipient's name, country, currency or account details were
/// last changed. AML takes it as a new payee from then on (its "new recipient" rule), so editing an
/// old recipient into someone else doesn't pass for sending to someone already paid.
///
/// `transactions.funds_end_to_end_id`: the end-to-end id the money arrived under at the collection
/// account, when it is not the transfer's own. A standing order's payment carries whatever id the bank
/// gives it (the same for every payment of an order, or `NOTPROVIDED`), so its transfer is paid out
/// under an id of Drop's own and a return names the one the money came with.
extension Migration {
    static let standingOrderPayments = Migration(
        version: 20, name: "standing_order_payments",
        statements: ["ALTER TABLE transactions ADD COLUMN funds_end_to_end_id TEXT",
                     "ALTER TABLE standing_orders ADD COLUMN bank_checked_at TIMESTAMPTZ",
                     "ALTER TABLE transactions ADD COLUMN request_hash TEXT",
                     "ALTER TABLE standing_orders ADD COLUMN request_hash TEXT",
                     "ALTER TABLE recipients ADD COLUMN payee_changed_at TIMESTAMPTZ"]
            + payeeFields.map { "ALTER TABLE standing_orders ADD COLUMN payee_\($0) TEXT" } + [
            // An order that has paid: its first payment's payee, the closest record of what was approved
            // (the recipient may have been edited since). One that hasn't: the recipient as it reads now.
            // All the columns from the one source, never a mix.
            "UPDATE standing_orders SET "
                + payeeFields.map { field in
                    """
                    payee_\(field) = CASE WHEN EXISTS (SELECT 1 FROM transactions t WHERE t.standing_order_id = standing_orders.id AND t.payee_name IS NOT NULL)
                        THEN (SELECT t.payee_\(field) FROM transactions t WHERE t.standing_order_id = standing_orders.id AND t.payee_name IS NOT NULL
                              ORDER BY t.created_at, t.id LIMIT 1)
                        ELSE (SELECT r.\(field) FROM recipients r WHERE r.id = standing_orders.recipient_id) END
                    """
                }
                .joined(separator: ", "),
        ])

    /// A recipient's columns a payee snapshot copies, as they stood at version 20.
    private static let payeeFields = [
        "name", "country", "currency", "iban", "account_number", "bic", "ifsc", "routing_number", "bank_name",
        "address_street", "address_post_code", "address_city", "address_country",
    ]
}
