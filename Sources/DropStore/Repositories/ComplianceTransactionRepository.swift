import DropCore
import Foundation
import SQLKit

/// A transaction as compliance lists it: whose, how much, where to, and the review of a held one.
public struct ComplianceTransactionRecord: Sendable, Equatable {
    public let id: String
    public let userId: String
    public let kind: TransactionKind
    public let status: TransferStatus
    public let amount: Money
    public let total: Money
    public let receive: Money?
    public let recipientCountry: String?
    public let merchantId: String?
    /// The customer who owns `merchantId`'s business: a party to the payment, as its payer is.
    public let merchantOwnerId: String?
    public let openAlertCount: Int
    public let failureReason: String?
    public let reviewedBy: String?
    public let reviewReason: String?
    public let scaRedirect: String?
    public let createdAt: Date
    public let updatedAt: Date
}

/// Every customer's transactions, for compliance (held transfers and their review).
public enum ComplianceTransactionRepository {
    static let select = """
        SELECT t.id, t.user_id, t.kind, t.status, t.amount_minor, t.total_minor, t.currency, t.target_amount_minor, t.target_currency,
            t.merchant_id, t.failure_reason, t.reviewed_by, t.review_reason, t.sca_redirect, t.created_at, t.updated_at, t.payee_country AS recipient_country,
            (SELECT COUNT(*) FROM aml_alerts a WHERE a.transaction_id = t.id AND a.status = 'open') AS open_alerts,
            (SELECT m.user_id FROM merchants m WHERE m.id = t.merchant_id) AS merchant_owner_id
        FROM transactions t
        """

    /// Newest first, one more than `limit` (the caller's page knows from it whether more follow).
    public static func list(status: TransferStatus?, userId: String?, from: Date?, to: Date?, after position: PagePosition?, limit: Int,
                            on db: DatabaseConnection) async throws -> [ComplianceTransactionRecord] {
        var query = ListQuery(select)
        query.and("t.status =", status?.rawValue)
        query.and("t.user_id =", userId)
        query.and("t.created_at >=", from)
        query.and("t.created_at <", to)
        query.page(table: "transactions", alias: "t", after: position, limit: limit)
        return try await db.raw(query.sql).all().map(record)
    }

    public static func find(id: String, on db: DatabaseConnection) async throws -> ComplianceTransactionRecord? {
        try await db.raw("\(unsafeRaw: select) WHERE t.id = \(bind: id)").first().map(record)
    }

    /// The account the transfer is paid from; nil when it has none or there is no such transfer.
    public static func bankAccountId(transactionId: String, on db: DatabaseConnection) async throws -> String? {
        try await db.raw("SELECT bank_account_id FROM transactions WHERE id = \(bind: transactionId)").first()?
            .decode(column: "bank_account_id", as: String?.self)
    }

    private static func record(_ row: any SQLRow) throws -> ComplianceTransactionRecord {
        let currency = Currency(rawValue: try row.decode(column: "currency", as: String.self)) ?? .nok
        let target = try row.decode(column: "target_amount_minor", as: Int64?.self)
        let targetCurrency = try row.decode(column: "target_currency", as: String?.self).flatMap(Currency.init(rawValue:))
        return ComplianceTransactionRecord(
            id: try row.decode(column: "id", as: String.self), userId: try row.decode(column: "user_id", as: String.self),
            kind: try row.decode(column: "kind", caseOf: TransactionKind.self), status: try row.decode(column: "status", caseOf: TransferStatus.self),
            amount: Money(minorUnits: try row.decode(column: "amount_minor", as: Int64.self), currency: currency),
            total: Money(minorUnits: try row.decode(column: "total_minor", as: Int64.self), currency: currency),
            receive: target.flatMap { minor in targetCurrency.map { Money(minorUnits: minor, currency: $0) } },
            recipientCountry: try row.decode(column: "recipient_country", as: String?.self),
            merchantId: try row.decode(column: "merchant_id", as: String?.self),
            merchantOwnerId: try row.decode(column: "merchant_owner_id", as: String?.self), openAlertCount: try row.decode(column: "open_alerts", as: Int.self),
            failureReason: try row.decode(column: "failure_reason", as: String?.self), reviewedBy: try row.decode(column: "reviewed_by", as: String?.self),
            reviewReason: try row.decode(column: "review_reason", as: String?.self), scaRedirect: try row.decode(column: "sca_redirect", as: String?.self),
            createdAt: try row.decode(column: "created_at", as: Date.self), updatedAt: try row.decode(column: "updated_at", as: Date.self))
    }
}
