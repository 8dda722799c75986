import Foundation
import SQLKit

/// An erased customer's kept records wait for the AML records about them: an alert raised or resolved, or a
/// report drafted or filed, after the erasure keeps them five years from then (`RecordRetention`), and an
/// investigation still open (an alert open, a report a draft) holds the purge back until it is closed.
extension PersonalData {
    /// Moves an erased customer's `retain_until` out to `until` when it is earlier; nothing for a customer
    /// who wasn't erased (their clock starts when the relationship ends). On the caller's DB transaction.
    public static func keepRecords(of userId: String, until: Date, on db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE users SET retain_until = \(bind: until)
            WHERE id = \(bind: userId) AND deleted_at IS NOT NULL AND retain_until IS NOT NULL AND retain_until < \(bind: until)
            """).run()
    }

    /// Whether an AML alert about the customer is still open, or a report about them still a draft.
    public static func investigationOpen(about userId: String, on db: any SQLDatabase) async throws -> Bool {
        try await db.raw("""
            SELECT 1 AS open WHERE EXISTS (SELECT 1 FROM aml_alerts WHERE user_id = \(bind: userId) AND status = 'open')
               OR EXISTS (SELECT 1 FROM str_reports WHERE user_id = \(bind: userId) AND status = 'draft')
            """).first() != nil
    }
}
