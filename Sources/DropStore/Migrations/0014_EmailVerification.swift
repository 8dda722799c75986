/// When the customer proved they read their email address (the link in the confirmation email).
/// Drop mails only a confirmed address; a new address starts unconfirmed again.
extension Migration {
    static let emailVerification = Migration(version: 14, name: "email_verification", statements: [
        "ALTER TABLE users ADD COLUMN email_verified_at TIMESTAMPTZ",
    ])
}
