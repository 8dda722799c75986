import DropStore
import SQLKit

extension Database {
    /// One SQL statement in a transaction of its own, as an operator's fix or another writer would
    /// run it: the tests that check what the database's triggers do behind the code's back.
    public func run(_ sql: SQLQueryString) async throws {
        try await transaction { try await $0.raw(sql).run() }
    }
}
