import DropCore
import Foundation
import SQLKit

/// A transaction as compliance lists it: whose, how much, where to, and the review of a held one.
struct AdminTransactionView: Encodable, Sendable {
    let id: String
    let userId: String
    let kind: String
    let status: String
    let amount: Money
    let total: Money
    let receive: Money?
    let recipientCountry: String?
    let merchantId: String?
    let openAlertCount: Int
    let failureReason: String?
    let reviewedBy: String?
    let reviewReason: String?
    let scaRedirect: String?
    let createdAt: Date
    let updatedAt: Date

    static let select = """
        SELECT t.id, t.user_id, t.kind, t.status, t.amount_minor, t.total_minor, t.currency, t.target_amount_minor, t.target_currency,
            t.merchant_id, t.failure_reason, t.reviewed_by, t.review_reason, t.sca_redirect, t.created_at, t.updated_at, t.payee_country AS recipient_country,
            (SELECT COUNT(*) FROM aml_alerts a WHERE a.transaction_id = t.id AND a.status = 'open') AS open_alerts
        FROM transactions t
        """

    init(row: any SQLRow) throws {
        let currency = Currency(rawValue: try row.decode(column: "currency", as: String.self)) ?? .nok
        id = try row.decode(column: "id", as: String.self)
        userId = try row.decode(column: "user_id", as: String.self)
        kind = try row.decode(column: "kind", as: String.self)
        status = try row.decode(column: "status", as: String.self)
        amount = Money(minorUnits: try row.decode(column: "amount_minor", as: Int64.self), currency: currency)
        total = Money(minorUnits: try row.decode(column: "total_minor", as: Int64.self), currency: currency)
        let target = try row.decode(column: "target_amount_minor", as: Int64?.self)
        let targetCurrency = try row.decode(column: "target_currency", as: String?.self).flatMap(Currency.init(rawValue:))
        receive = target.flatMap { minor in targetCurrency.map { Money(minorUnits: minor, currency: $0) } }
        recipientCountry = try row.decode(column: "recipient_country", as: String?.self)
        merchantId = try row.decode(column: "merchant_id", as: String?.self)
        openAlertCount = try row.decode(column: "open_alerts", as: Int.self)
        failureReason = try row.decode(column: "failure_reason", as: String?.self)
        reviewedBy = try row.decode(column: "reviewed_by", as: String?.self)
        reviewReason = try row.decode(column: "review_reason", as: String?.self)
        scaRedirect = status == TransferStatus.pendingSCA.rawValue ? try row.decode(column: "sca_redirect", as: String?.self) : nil
        createdAt = try row.decode(column: "created_at", as: Date.self)
        updatedAt = try row.decode(column: "updated_at", as: Date.self)
    }

    static func find(id: String, on db: any SQLDatabase) async throws -> AdminTransactionView? {
        try await db.raw("\(unsafeRaw: select) WHERE t.id = \(bind: id)").first().map(AdminTransactionView.init(row:))
    }
}
