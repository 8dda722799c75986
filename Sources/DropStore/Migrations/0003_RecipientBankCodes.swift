/// Recipients in India and the United States are paid by account number plus a domestic bank
/// code (IFSC, ABA routing number) instead of a BIC; the initial schema had no place for them.
extension Migration {
    static let recipientBankCodes = Migration(version: 3, name: "recipient_bank_codes", statements: [
        "ALTER TABLE recipients ADD COLUMN ifsc TEXT",
        "ALTER TABLE recipients ADD COLUMN routing_number TEXT",
    ])
}
