import DropCore
import Foundation
import SQLKit

/// A customer as compliance looks them up: no national id, pid hash, phone, e-mail or birthdate —
/// the name (what was searched by) and the facts the AML work needs.
public struct ComplianceCustomerRecord: Sendable, Equatable {
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
}

/// Finding customers for compliance; erased customers are found too (their records are kept for AML).
public enum ComplianceCustomerRepository {
    public enum Search: Sendable, Equatable {
        /// Part of the name, in any letter case.
        case name(String)
        /// The number's hash, and during a pepper rotation its hash under the previous pepper (ADR 0034).
        case pidHash(String, previous: String? = nil)
    }

    static let select = """
        SELECT u.id, u.name, u.role, u.kyc_status, u.risk_level, u.is_pep, u.is_sanctioned, u.created_at, u.deleted_at,
            (SELECT COUNT(*) FROM transactions t WHERE t.user_id = u.id) AS transfers,
            (SELECT COUNT(*) FROM transactions t WHERE t.user_id = u.id AND t.status = 'held') AS held,
            (SELECT COUNT(*) FROM aml_alerts a WHERE a.user_id = u.id) AS alerts,
            (SELECT COUNT(*) FROM aml_alerts a WHERE a.user_id = u.id AND a.status = 'open') AS open_alerts
        FROM users u
        """

    /// Newest customers first, one more than `limit` (the caller's page knows from it whether more follow).
    public static func search(_ search: Search, dialect: Dialect, after position: PagePosition?, limit: Int,
                              on db: DatabaseConnection) async throws -> [ComplianceCustomerRecord] {
        var query = ListQuery(select)
        switch search {
        case .name(let name):
            // Neither SQLite's LOWER nor PostgreSQL's under the C locale folds "Ø" to "ø", so each
            // letter becomes a class of both its cases: a GLOB on SQLite, a regular expression on PostgreSQL.
            switch dialect {
            case .sqlite: query.and("u.name GLOB", casePattern(name, glob: true))
            case .postgres: query.and("u.name ~", casePattern(name, glob: false))
            }
        case .pidHash(let hash, let previous):
            query.and("(u.pid_hash = \(bind: hash) OR u.pid_hash = \(bind: previous ?? hash))")
        }
        query.page(table: "users", alias: "u", after: position, limit: limit)
        return try await db.raw(query.sql).all().map(record)
    }

    public static func find(id: String, on db: DatabaseConnection) async throws -> ComplianceCustomerRecord? {
        try await db.raw("\(unsafeRaw: select) WHERE u.id = \(bind: id)").first().map(record)
    }

    /// "Æse" as `*[Ææ][Ss][Ee]*` (GLOB) or `[Ææ][Ss][Ee]` (POSIX regex, unanchored): every letter a
    /// class of its two cases, every other character literal.
    static func casePattern(_ text: String, glob: Bool) -> String {
        var pattern = glob ? "*" : ""
        for character in text {
            let lower = String(character).lowercased(), upper = String(character).uppercased()
            if lower != upper, lower.count == 1, upper.count == 1 {
                pattern += "[\(upper)\(lower)]"
            } else if glob {
                pattern += "*?[".contains(character) ? "[\(character)]" : String(character)
            } else {
                pattern += character.isLetter || character.isNumber ? String(character) : "\\" + String(character)
            }
        }
        return pattern + (glob ? "*" : "")
    }

    private static func record(_ row: any SQLRow) throws -> ComplianceCustomerRecord {
        ComplianceCustomerRecord(
            id: try row.decode(column: "id", as: String.self), name: try row.decode(column: "name", as: String?.self),
            role: try row.decode(column: "role", caseOf: UserRole.self), kycStatus: try row.decode(column: "kyc_status", caseOf: KYCStatus.self),
            riskLevel: try row.decode(column: "risk_level", caseOf: CustomerRiskLevel.self), isPep: try row.decode(column: "is_pep", as: Bool.self),
            isSanctioned: try row.decode(column: "is_sanctioned", as: Bool.self), transferCount: try row.decode(column: "transfers", as: Int.self),
            heldTransferCount: try row.decode(column: "held", as: Int.self), alertCount: try row.decode(column: "alerts", as: Int.self),
            openAlertCount: try row.decode(column: "open_alerts", as: Int.self), createdAt: try row.decode(column: "created_at", as: Date.self),
            deletedAt: try row.decode(column: "deleted_at", as: Date?.self))
    }
}
