import DropCore
import Foundation
import SQLKit

/// Something about money that needs a person in operations: a partner refusing Drop's
/// credentials, NOK that arrived for a transfer that had already ended, the bank and Drop
/// disagreeing. Never personal data: ids and codes only.
public struct OperationsAlert: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// The payout partner refused Drop itself (401/403: credentials; 409: a message id clash).
        case payoutPartnerRefused = "payout_partner_refused"
        /// The user's bank settled a payment for a transfer Drop had already ended.
        case lateSettlement = "late_settlement"
        /// The reconciliation found a transfer whose bank or partner state disagrees with Drop's.
        case reconciliationMismatch = "reconciliation_mismatch"
        /// A payout instruction Drop could not build or the partner refused as malformed.
        case payoutInstructionInvalid = "payout_instruction_invalid"
        /// Sumsub delivered an approval but won't give the applicant it names (404, or Drop's
        /// credentials refused): the approval can't be applied and waits for a person.
        case identityCheckUnreadable = "identity_check_unreadable"
        /// A published exchange rate was not stored: dated after today, or too far from the one before.
        case rateRefused = "rate_refused"
        /// A corridor's currency the rates feed does not publish: every quote to that corridor answers 503
        /// `RATE_UNAVAILABLE` until it does (or the corridor is taken out).
        case rateMissing = "rate_missing"
        /// The retention purge could not delete what was kept of an erased customer: a row still
        /// points at them. The others were purged; this one is tried again each run.
        case retentionPurgeFailed = "retention_purge_failed"
        /// Someone tried to register a business under an organisation number another person's open
        /// business holds: Drop does not ask Enhetsregisteret yet, so one of them may be passing as it.
        case organisationAlreadyRegistered = "organisation_already_registered"
        /// The customer's bank would not cancel a standing order Drop has ended (it wants the customer's
        /// own approval of the cancellation, or refuses): it may go on paying; each payment is returned.
        case standingOrderCancelRefused = "standing_order_cancel_refused"
        /// A transfer whose payer lost their standing was in a payout message the partner already
        /// had (an earlier send whose answer was lost): it may be paid; a person asks the partner to stop it.
        case payoutWithoutStanding = "payout_without_standing"
        /// The payout partner's pain.002 about a message doesn't match the pain.001 Drop sent: it describes
        /// another message (count or control sum), or names a transaction Drop never sent, one twice with
        /// different statuses, or another amount or currency. What doesn't match moved no transfer.
        case payoutReportMismatch = "payout_report_mismatch"
        /// A background job's worker stopped (crashed, was killed) during the job's last attempt: it is failed rather
        /// than taken over again, since a job that crashes its process would otherwise stop one worker after another.
        case jobLeaseLapsed = "job_lease_lapsed"
        /// Sumsub did not forget a purged customer's applicant (their ID images, selfie and video) in a day of
        /// attempts: refused, or unreachable throughout. A person asks again or asks Sumsub.
        case kycApplicantNotDeleted = "kyc_applicant_not_deleted"

        /// Whether the same problem seen again after its alert was resolved is raised again. A condition a job
        /// keeps finding (the partner refusing Drop's credentials, a purge that can't delete, a bank keeping an
        /// ended standing order, Sumsub not giving an applicant) may outlast what a person did about it: back it
        /// comes, once. An alert about one event (a late settlement, a payment the bank reported both ways, a
        /// refused rate, a registration attempt) is raised once for good: every re-read finds the same event.
        public var raisedAgainOnceResolved: Bool {
            switch self {
            case .payoutPartnerRefused, .payoutReportMismatch, .identityCheckUnreadable, .retentionPurgeFailed, .standingOrderCancelRefused,
                 .rateMissing: true
            case .lateSettlement, .reconciliationMismatch, .payoutInstructionInvalid, .rateRefused, .organisationAlreadyRegistered,
                 .payoutWithoutStanding, .jobLeaseLapsed, .kycApplicantNotDeleted: false
            }
        }
    }

    public var id: String
    public var kind: Kind
    public var entityType: String?
    public var entityId: String?
    /// JSON with sorted keys (encoded from the raiser's details value): codes and ids, never personal data.
    public var details: String
    public var createdAt: Date
    public var resolvedAt: Date?
}

public enum OperationsAlertRepository {
    /// Raises an alert on the caller's DB transaction. With a `dedupeKey` the same problem is raised
    /// once however often it is seen (true only the first time); for a kind `raisedAgainOnceResolved`,
    /// once while its alert is open.
    @discardableResult
    public static func raise(
        _ kind: OperationsAlert.Kind, entityType: String?, entityId: String?, details: some Encodable, dedupeKey: String? = nil,
        at now: Date, on db: any SQLDatabase
    ) async throws -> Bool {
        try await db.raw("""
            INSERT INTO operations_alerts (id, kind, entity_type, entity_id, details, dedupe_key, created_at)
            VALUES (\(bind: RecordID.make()), \(bind: kind.rawValue), \(bind: entityType), \(bind: entityId),
                    \(bind: try StoredJSON.text(details)), \(bind: dedupeKey), \(bind: now))
            ON CONFLICT (dedupe_key) DO NOTHING
            RETURNING id
            """).first() != nil
    }

    /// Marks an open alert handled, by whom and how. False when there is no such alert or it was
    /// resolved already. For a kind `raisedAgainOnceResolved` its dedupe key is let go: the same problem
    /// seen after a person handled it (the partner refusing Drop's new credentials too) is raised again.
    public static func resolve(id: String, by adminId: String, resolution: String, at now: Date, on db: any SQLDatabase) async throws -> Bool {
        guard let row = try await db.raw("""
            UPDATE operations_alerts SET resolved_at = \(bind: now), resolved_by = \(bind: adminId), resolution = \(bind: resolution)
            WHERE id = \(bind: id) AND resolved_at IS NULL
            RETURNING kind
            """).first() else { return false }
        if OperationsAlert.Kind(rawValue: try row.decode(column: "kind", as: String.self))?.raisedAgainOnceResolved == true {
            try await db.raw("UPDATE operations_alerts SET dedupe_key = NULL WHERE id = \(bind: id)").run()
        }
        return true
    }

    public static func exists(id: String, on db: any SQLDatabase) async throws -> Bool {
        try await db.raw("SELECT id FROM operations_alerts WHERE id = \(bind: id)").first() != nil
    }

    /// Open alerts, oldest first.
    public static func open(limit: Int = 200, on db: any SQLDatabase) async throws -> [OperationsAlert] {
        try await db.raw("""
            SELECT \(unsafeRaw: columns) FROM operations_alerts
            WHERE resolved_at IS NULL ORDER BY created_at, id LIMIT \(bind: limit)
            """).all().compactMap(alert(from:))
    }

    /// One alert, open or resolved; nil when there is none (or of a kind this build doesn't know).
    public static func find(id: String, on db: any SQLDatabase) async throws -> OperationsAlert? {
        try await db.raw("SELECT \(unsafeRaw: columns) FROM operations_alerts WHERE id = \(bind: id)").first().flatMap(alert(from:))
    }

    /// Every alert of `kind` raised about one thing, open or resolved, oldest first.
    public static func raised(_ kind: OperationsAlert.Kind, about entityType: String, _ entityId: String,
                              on db: any SQLDatabase) async throws -> [OperationsAlert] {
        try await db.raw("""
            SELECT \(unsafeRaw: columns) FROM operations_alerts
            WHERE kind = \(bind: kind.rawValue) AND entity_type = \(bind: entityType) AND entity_id = \(bind: entityId)
            ORDER BY created_at, id
            """).all().compactMap(alert(from:))
    }

    private static let columns = "id, kind, entity_type, entity_id, details, created_at, resolved_at"

    private static func alert(from row: any SQLRow) throws -> OperationsAlert? {
        guard let kind = OperationsAlert.Kind(rawValue: try row.decode(column: "kind", as: String.self)) else { return nil }
        return OperationsAlert(id: try row.decode(column: "id", as: String.self), kind: kind,
                               entityType: try row.decode(column: "entity_type", as: String?.self),
                               entityId: try row.decode(column: "entity_id", as: String?.self),
                               details: try row.decode(column: "details", as: String.self),
                               createdAt: try row.decode(column: "created_at", as: Date.self),
                               resolvedAt: try row.decode(column: "resolved_at", as: Date?.self))
    }
}
