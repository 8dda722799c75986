/// Who may hold a business: one per customer (`merchants_one_per_owner`). The service asks
/// first, but two registrations at once (a double click) both found none and both wrote; the
/// index lets only the first through, so the dashboard's one business is the only one.
extension Migration {
    static let merchantRegistration = Migration(version: 22, name: "merchant_registration", statements: [
        "CREATE UNIQUE INDEX merchants_one_per_owner ON merchants (user_id)",
    ])
}
