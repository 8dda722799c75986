import Foundation
import SQLKit

/// A customer as compliance looks them up: no national id, pid hash, phone, e-mail or birthdate —
/// the name (what was searched by) and the facts the AML work needs.
struct AdminUserView: Encodable, Sendable {
    let id: String
    let name: String?
    let role: String
    let kycStatus: String
    let riskLevel: String
    let isPep: Bool
    let isSanctioned: Bool
    let transferCount: Int
    let heldTransferCount: Int
    let alertCount: Int
    let openAlertCount: Int
    let createdAt: Date
    /// Set when the customer was erased; the record stays for AML retention.
    let deletedAt: Date?

    static let select = """
        SELECT u.id, u.name, u.role, u.kyc_status, u.risk_level, u.is_pep, u.is_sanctioned, u.created_at, u.deleted_at,
            (SELECT COUNT(*) FROM transactions t WHERE t.user_id = u.id) AS transfers,
            (SELECT COUNT(*) FROM transactions t WHERE t.user_id = u.id AND t.status = 'held') AS held,
            (SELECT COUNT(*) FROM aml_alerts a WHERE a.user_id = u.id) AS alerts,
            (SELECT COUNT(*) FROM aml_alerts a WHERE a.user_id = u.id AND a.status = 'open') AS open_alerts
        FROM users u
        """

    init(row: any SQLRow) throws {
        id = try row.decode(column: "id", as: String.self)
        name = try row.decode(column: "name", as: String?.self)
        role = try row.decode(column: "role", as: String.self)
        kycStatus = try row.decode(column: "kyc_status", as: String.self)
        riskLevel = try row.decode(column: "risk_level", as: String.self)
        isPep = try row.decode(column: "is_pep", as: Bool.self)
        isSanctioned = try row.decode(column: "is_sanctioned", as: Bool.self)
        transferCount = try row.decode(column: "transfers", as: Int.self)
        heldTransferCount = try row.decode(column: "held", as: Int.self)
        alertCount = try row.decode(column: "alerts", as: Int.self)
        openAlertCount = try row.decode(column: "open_alerts", as: Int.self)
        createdAt = try row.decode(column: "created_at", as: Date.self)
        deletedAt = try row.decode(column: "deleted_at", as: Date?.self)
    }
}
