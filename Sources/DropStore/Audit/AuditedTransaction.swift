import Foundation
import SQLKit
import Synchronization

/// The connection a `Database.transaction` body runs on. Statements go straight to the
/// transaction; the audit rows its changes append wait here and are written, in order, when the
/// body is done and before COMMIT (`AuditLog.append` says why). A retried body gets a new one, so
/// a rolled-back attempt's entries go with it.
final class AuditedTransaction: SQLDatabaseWrapper, Sendable {
    let base: any SQLDatabase
    private let appended = Mutex<[AuditLog.Appended]>([])

    init(base: any SQLDatabase) {
        self.base = base
    }

    func audit(_ entry: AuditEntry, at: Date) {
        appended.withLock { $0.append(AuditLog.Appended(entry: entry, at: at)) }
    }

    /// Writes the entries appended so far on the transaction.
    func writeAudit() async throws {
        let entries = appended.withLock { entries in
            defer { entries = [] }
            return entries
        }
        try await AuditLog.write(entries, on: base)
    }
}
