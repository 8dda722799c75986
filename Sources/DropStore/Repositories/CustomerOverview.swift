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
        guard let row = try await db.rows(Statement(userId: userId)).first else { return nil }
        return CustomerOverview(
            user: try UserRecord(row: row), unread: try row.decode(column: "unread", as: Int.self),
            hasBusiness: try row.decode(column: "business", as: Int.self) == 1,
            balanceVersion: try row.decode(column: "balance_version", as: Int64.self),
            transactionListVersion: try row.decode(column: "transaction_list_version", as: Int64.self))
    }

    /// Every signed-in page view reads it: prepared on PostgreSQL.
    struct Statement: PreparedRead {
        static let sql = """
            SELECT \(UserRepository.columns), \(NotificationRepository.Header.columns),
                   COALESCE((SELECT version FROM balance_versions WHERE user_id = $1), 0) AS balance_version,
                   COALESCE((SELECT version FROM transaction_list_versions WHERE user_id = $1), 0) AS transaction_list_version
            FROM users WHERE id = $1 AND deleted_at IS NULL
            """
        let userId: String
        var parameters: [String] { [userId] }
    }
}
