import DropCore
import DropStore
import Foundation

/// A customer as compliance looks them up: no national id, pid hash, phone, e-mail or birthdate —
/// the name (what was searched by) and the facts the AML work needs.
struct AdminUserView: Encodable, Sendable {
    let id: String
    let name: String?
    let role: UserRole
    let kycStatus: KYCStatus
    let riskLevel: CustomerRiskLevel
    let isPep: Bool
    let isSanctioned: Bool
    let transferCount: Int
    let heldTransferCount: Int
    let alertCount: Int
    let openAlertCount: Int
    let createdAt: Date
    /// Set when the customer was erased; the record stays for AML retention.
    let deletedAt: Date?

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
