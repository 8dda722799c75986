/// Who may hold a business:
/// - one per customer (`merchants_one_per_owner`). The service asks first, but two registrations
///   at once (a double click) both found none and both wrote; the index lets only the first through,
///   so the dashboard's one business is the only one.
/// - one open business per organisation number (`merchants_organisation_open`). Drop does not ask
///   Enhetsregisteret who owns a number yet, so a second person naming a business already
///   registered is refused (and operations told: it may be someone passing as that business).
///   A business is closed (`closed_at`) when its owner erases their account: its row stays with
///   the payments made to it, and its number is free again. Owners erased before are closed here.
extension Migration {
    static let merchantRegistration = Migration(version: 22, name: "merchant_registration", statements: [
        "CREATE UNIQUE INDEX merchants_one_per_owner ON merchants (user_id)",
        "ALTER TABLE merchants ADD COLUMN closed_at TIMESTAMPTZ",
        """
        UPDATE merchants SET closed_at = (SELECT u.deleted_at FROM users u WHERE u.id = merchants.user_id)
        WHERE user_id IN (SELECT id FROM users WHERE deleted_at IS NOT NULL)
        """,
        "CREATE UNIQUE INDEX merchants_organisation_open ON merchants (organisation_number) WHERE closed_at IS NULL",
    ])
}
