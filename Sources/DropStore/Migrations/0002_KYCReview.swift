/// KYC review details the status endpoint shows and the webhook handler needs to ignore
/// out-of-order deliveries.
extension Migration {
    static let kycReview = Migration(version: 2, name: "kyc_review", statements: [
        "ALTER TABLE users ADD COLUMN kyc_reject_labels TEXT",
        "ALTER TABLE users ADD COLUMN kyc_updated_at TIMESTAMPTZ",
    ])
}
