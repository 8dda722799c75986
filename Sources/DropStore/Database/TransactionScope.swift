import Synchronization

/// The transaction of one `Database` the current task is inside, kept as a task-local value.
///
/// A transaction begun inside another of the same database is always a bug: on SQLite it waits
/// for the write gate its own caller holds, forever, and every later write queues behind it; on
/// PostgreSQL it runs on another connection, outside the first's atomicity, and hangs if it needs a
/// row the first has locked. `Database.transaction` refuses it with `NestedTransactionError`.
/// Child tasks inherit the scope, so one the body awaits is refused too (it would hang the same
/// way); `isOpen` turns false when the transaction ends, so a task started inside it and running
/// later is not mistaken for a nested one. (A body is retried on conflicts: it starts no tasks that
/// write.)
final class TransactionScope: Sendable {
    @TaskLocal static var current: TransactionScope?

    let database: ObjectIdentifier
    private let open = Atomic<Bool>(true)

    init(database: ObjectIdentifier) {
        self.database = database
    }

    var isOpen: Bool { open.load(ordering: .acquiring) }

    func close() { open.store(false, ordering: .releasing) }
}

/// `Database.transaction` was called inside a transaction of the same database (see `TransactionScope`).
public struct NestedTransactionError: Error, CustomStringConvertible {
    public var description: String { "a transaction was begun inside another transaction of the same database" }
}
