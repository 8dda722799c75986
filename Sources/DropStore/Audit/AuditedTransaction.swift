import Foundation
import NIOCore
import SQLKit
import Synchronization

/// The connection a `Database.transaction` body runs on. Two kinds of write wait here instead of
/// going out at once, and go out in order when the body is done, before COMMIT:
/// - the audit rows its changes append (`AuditLog.append` says why);
/// - on PostgreSQL, plain inserts nothing in the transaction reads back (`runBatched`): they go
///   out as one statement, just before the next statement the body sends, or before the audit rows.
///
/// Every statement the body sends passes through here, so a read always sees the inserts sent
/// before it. A retried body gets a new one, so a rolled-back attempt's writes go with it.
final class AuditedTransaction: SQLDatabaseWrapper, Sendable {
    let base: any SQLDatabase
    /// Inserts are held only where one statement can carry several (a data-modifying `WITH`).
    let batchesWrites: Bool
    private let waiting = Mutex(Waiting())

    private struct Waiting {
        var audit: [AuditLog.Appended] = []
        var writes: [SQLQueryString] = []
    }

    init(base: any SQLDatabase) {
        self.base = base
        self.batchesWrites = base.dialect.name == "postgresql"
    }

    func audit(_ entry: AuditEntry, at: Date) {
        waiting.withLock { $0.audit.append(AuditLog.Appended(entry: entry, at: at)) }
    }

    func batch(_ write: SQLQueryString) {
        waiting.withLock { $0.writes.append(write) }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        try await sendBatchedWrites()
        try await base.execute(sql: query, onRow)
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        eventLoop.makeFutureWithTask { try await self.execute(sql: query, onRow) }
    }

    /// Sends what still waits: the held inserts, then the audit rows. The caller commits next.
    func finish() async throws {
        try await sendBatchedWrites()
        try await AuditLog.write(take(\.audit), on: base)
    }

    private func sendBatchedWrites() async throws {
        guard let statement = BatchedWrites.statement(take(\.writes)) else { return }
        try await base.execute(sql: statement) { _ in }
    }

    /// What waits of one kind, no longer waiting.
    private func take<Item: Sendable>(_ kind: WritableKeyPath<Waiting, [Item]>) -> [Item] {
        waiting.withLock { waiting in
            defer { waiting[keyPath: kind] = [] }
            return waiting[keyPath: kind]
        }
    }
}
