/// A business compliance closed (`merchants.closed_by`, `closure_reason`): one passing as another
/// (`organisation_already_registered`), or that must stop taking payments for good. Its `closed_at`
/// stops new payments and frees its organisation number, as an owner's erasure does; who closed it
/// and why stay on the row (the audit log's `merchant.closed` holds no free text).
extension Migration {
    static let merchantClosures = Migration(version: 28, name: "merchant_closures", statements: [
        "ALTER TABLE merchants ADD COLUMN closed_by TEXT",
        "ALTER TABLE merchants ADD COLUMN closure_reason TEXT",
    ])
}
