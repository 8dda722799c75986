import DropCore
import DropStore
import Foundation

/// A customer as compliance looks them up: no national id, pid hash, phone, e-mail or birthdate —
/// the name (what was searched by) and the facts the AML work needs.
public struct AdminUserView: Encodable, Sendable {
    public let id: String
    public let name: String?
    public let role: UserRole
    public let kycStatus: KYCStatus
    public let riskLevel: CustomerRiskLevel
    public let isPep: Bool
    public let isSanctioned: Bool
    public let transferCount: Int
    public let heldTransferCount: Int
    public let alertCount: Int
    public let openAlertCount: Int
    public let createdAt: Date
    /// Set when the customer was erased; the record stays for AML retention.
    public let deletedAt: Date?

    init(record: ComplianceCustomerRecord) {
        id = record.id
        name = record.name
        role = record.role
        kycStatus = record.kycStatus
        riskLevel = record.riskLevel
        isPep = record.isPep
        isSanctioned = record.isSanctioned
        transferCount = record.transferCount
        heldTransferCount = record.heldTransferCount
        alertCount = record.alertCount
        openAlertCount = record.openAlertCount
        createdAt = record.createdAt
        deletedAt = record.deletedAt
    }
}
