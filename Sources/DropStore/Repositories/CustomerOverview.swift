import Foundation
import SQLKit

/// The signed-in customer as the dashboard shows them, read in one statement: their row, what the
/// header shows (unread notifications, whether they have a business) and the numbers their balance
/// and transaction list stand under (`BalanceVersion`, `TransactionListVersion`), so the rest of
/// the page can come from the answers kept in memory. One statement is one snapshot on PostgreSQL:
/// the numbers belong to the same moment as the row.
public struct CustomerOverview: Sendable {
    public let user: UserRecord
    public let unread: Int
    public let hasBusiness: Bool
    public let balanceVersion: Int64
    public let transactionListVersion: Int64

    /// Nil when there is no such active customer.
    public static func read(userId: String, on db: any SQLDatabase) async throws -> CustomerOverview? {
        try Statement.values(from: try await db.rows(Statement.alone(userId)))[userId]
    }

    /// The same, read with the customers other pages ask for meanwhile (`Database.batched`).
    public static func read(userId: String, in database: Database) async throws -> CustomerOverview? {
        try await database.batched(Statement.self, key: userId)
    }

    /// Every signed-in page view reads it: prepared on PostgreSQL.
    struct Statement: BatchedColumnRead {
        static func sql(isKey: String) -> String {
            """
            SELECT \(UserRepository.columns), \(NotificationRepository.Header.columns(of: "users.id")),
                   COALESCE((SELECT b.version FROM balance_versions b WHERE b.user_id = users.id), 0) AS balance_version,
                   COALESCE((SELECT t.version FROM transaction_list_versions t WHERE t.user_id = users.id), 0) AS transaction_list_version
            FROM users WHERE id \(isKey) AND deleted_at IS NULL
            """
        }

        static func values(from rows: [any SQLRow]) throws -> [String: CustomerOverview] {
            var overviews: [String: CustomerOverview] = [:]
            for row in rows {
                let user = try UserRecord(row: row)
                overviews[user.id] = CustomerOverview(
                    user: user, unread: try row.decode(column: "unread", as: Int.self),
                    hasBusiness: try row.decode(column: "business", as: Int.self) == 1,
                    balanceVersion: try row.decode(column: "balance_version", as: Int64.self),
                    transactionListVersion: try row.decode(column: "transaction_list_version", as: Int64.self))
            }
            return overviews
        }

        let keys: [String]
    }
}
