import DropCore
import DropStore
import Foundation

/// A customer as compliance looks them up: no national id, pid hash, phone, e-mail or birthdate —
/// the name (what was searched by) and the facts the AML work needs. On the officer's own record the
/// AML facts (risk, PEP and sanctions flags, alert counts) are left out: no officer learns from them
/// that the rules saw something in their own payments (no tipping-off; `OwnCase`).
public struct AdminUserView: Encodable, Sendable {
    public let id: String
    public let name: String?
    public let role: UserRole
    public let kycStatus: KYCStatus
    public let riskLevel: CustomerRiskLevel?
    public let isPep: Bool?
    public let isSanctioned: Bool?
    public let transferCount: Int
    public let heldTransferCount: Int
    public let alertCount: Int?
    public let openAlertCount: Int?
    public let createdAt: Date
    /// Set when the customer was erased; the record stays for AML retention.
    public let deletedAt: Date?

    init(record: ComplianceCustomerRecord, shownTo officer: String) {
        let own = OwnCase.isOwn(officer: officer, parties: [record.id])
        id = record.id
        name = record.name
        role = record.role
        kycStatus = record.kycStatus
        riskLevel = own ? nil : record.riskLevel
        isPep = own ? nil : record.isPep
        isSanctioned = own ? nil : record.isSanctioned
        transferCount = record.transferCount
        heldTransferCount = record.heldTransferCount
        alertCount = own ? nil : record.alertCount
        openAlertCount = own ? nil : record.openAlertCount
        createdAt = record.createdAt
        deletedAt = record.deletedAt
    }
}
