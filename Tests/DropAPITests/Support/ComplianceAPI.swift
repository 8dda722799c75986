import DropCore
import Foundation

/// The compliance API's answers (`/v1/admin/…`) as a client reads them: each field by its name on
/// the wire (docs/api.md), typed with the domain's enums. The server's own views are Encodable
/// only; tests decode into these instead, so a field the server renames or retypes fails here. The
/// customer's side of the same flows is read with DropKit's types.
enum ComplianceAPI {
    struct Page<Item: Decodable & Sendable>: Decodable, Sendable {
        let items: [Item]
        let nextCursor: String?
    }

    struct Alert: Decodable, Sendable {
        struct Finding: Decodable, Sendable {
            let rule: AMLRuleID
            let score: Int
            let reason: String
            let transactionIds: [String]
        }

        let id: String
        let userId: String
        let transactionId: String?
        let rule: AMLRuleID
        let score: Int
        let status: AMLAlertStatus
        let decision: AMLDecision
        let findings: [Finding]
        let resolvedBy: String?
        let strReportIds: [String]

        func found(_ rule: AMLRuleID) -> Bool { findings.contains { $0.rule == rule } }
    }

    /// `POST /v1/admin/aml-alerts/{id}/escalate`.
    struct Escalated: Decodable, Sendable {
        let alert: Alert
        let strReportId: String
    }

    struct Customer: Decodable, Sendable {
        let id: String
        let name: String?
        let role: UserRole
        let kycStatus: KYCStatus
        /// This and the alert counts are left out on the reading officer's own record.
        let isPep: Bool?
        let transferCount: Int
        let alertCount: Int?
        let openAlertCount: Int?
        let deletedAt: Date?
    }

    struct Report: Decodable, Sendable {
        let id: String
        let alertId: String?
        let userId: String
        let status: STRReportStatus
        let reason: String
        let action: String
        let transactionIds: [String]
        let fiuReference: String?
    }

    /// A transaction as compliance sees it (the held queue and its decisions).
    struct Transaction: Decodable, Sendable {
        let id: String
        let kind: TransactionKind
        let status: TransferStatus
        let recipientCountry: String?
        /// Left out on the reading officer's own transfer.
        let openAlertCount: Int?
        let reviewedBy: String?
        let reviewReason: String?
    }

    struct AuditEntry: Decodable, Sendable {
        let seq: Int64
        let id: String
        let actorType: String
        let actorId: String?
        let action: String
    }

    /// A payout message to the partner (`GET /v1/admin/payouts`).
    struct Payout: Decodable, Sendable {
        let id: String
        let messageId: String
        let status: PayoutMessageStatus
        let currency: String
        let transactionCount: Int
        let controlSumMinor: Int64
    }

    /// `GET /v1/admin/audit-log/verify`.
    struct ChainCheck: Decodable, Sendable {
        let ok: Bool
        let checked: Int
        let brokenAt: String?
    }
}
