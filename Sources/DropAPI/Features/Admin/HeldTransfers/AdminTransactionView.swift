import DropCore
import DropStore
import Foundation

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

    init(record: ComplianceTransactionRecord) {
        id = record.id
        userId = record.userId
        kind = record.kind.rawValue
        status = record.status.rawValue
        amount = record.amount
        total = record.total
        receive = record.receive
        recipientCountry = record.recipientCountry
        merchantId = record.merchantId
        openAlertCount = record.openAlertCount
        failureReason = record.failureReason
        reviewedBy = record.reviewedBy
        reviewReason = record.reviewReason
        scaRedirect = status == TransferStatus.pendingSCA.rawValue ? record.scaRedirect : nil
        createdAt = record.createdAt
        updatedAt = record.updatedAt
    }
}
