import DropStore
import Foundation

/// Deletes what was kept of erased customers once the AML retention period has run out.
struct RetentionPurge: Sendable {
    let database: Database
    let clock: @Sendable () -> Date

    /// Purges up to `batch` customers, each in its own DB transaction with its audit row; returns how many.
    @discardableResult
    func run(batch: Int = 100) async throws -> Int {
        let now = clock()
        let due = try await database.withConnection { try await PersonalData.dueForPurge(at: now, limit: batch, on: $0) }
        for userId in due {
            try await database.transaction { db in
                try await PersonalData.purge(userId: userId, on: db)
                try await AuditLog.append(AuditEntry(actor: .system, action: "user.purged", entityType: "user",
                                                     entityId: userId), at: now, on: db)
            }
        }
        return due.count
    }
}
