import DropCore
import DropStore
import Foundation

/// Compliance's work on AML alerts: the queue, one alert, and the two decisions on an open one —
/// dismiss (no suspicion, with why) or escalate (drafts a suspicious transaction report). Each
/// decision is one DB transaction with its audit rows.
public struct AMLAlertService: Sendable {
    let database: Database
    let clock: @Sendable () -> Date

    public struct Filter: Sendable {
        public var status: AMLAlertStatus?
        public var rule: AMLRuleID?
        public var userId: String?
        public var from: Date?
        public var to: Date?

        public init(status: AMLAlertStatus? = nil, rule: AMLRuleID? = nil, userId: String? = nil, from: Date? = nil, to: Date? = nil) {
            self.status = status
            self.rule = rule
            self.userId = userId
            self.from = from
            self.to = to
        }
    }

    /// Alerts about the `officer` reading are left out: no officer learns from the queue that the
    /// rules saw something in their own payments (no tipping-off; `OwnCase`).
    public func list(_ filter: Filter, page: PageRequest, for officer: String) async throws -> Page<AMLAlertView> {
        let cursor = try page.cursor.map { try TimeOrderedCursor(decoding: $0) }
        let records = try await database.withConnection {
            try await AMLAlertRepository.list(status: filter.status, rule: filter.rule, userId: filter.userId, notAbout: officer,
                                              from: filter.from, to: filter.to, after: cursor?.position, limit: page.limit, on: $0)
        }
        return page.page(records.map(AMLAlertView.init(record:))) { TimeOrderedCursor(createdAt: $0.createdAt, id: $0.id).encoded }
    }

    /// An alert about the `officer` reading, or on a payment to their business, is not found, as an unknown one.
    public func find(id: String, for officer: String) async throws -> AMLAlertView {
        guard let view = try await database.withConnection({ try await Self.find(id: id, on: $0) }),
              !OwnCase.isOwn(officer: officer, parties: try await ownCase.alertParties(id)) else {
            throw AppError.notFound("There is no such alert.")
        }
        return view
    }

    static func find(id: String, on db: DatabaseConnection) async throws -> AMLAlertView? {
        try await AMLAlertRepository.find(id: id, on: db).map(AMLAlertView.init(record:))
    }

    public func dismiss(id: String, reason: String, by actor: AdminActor) async throws -> AMLAlertView {
        try await ownCase.alert(id, "dismiss", by: actor)
        let now = clock()
        return try await database.transaction { db in
            try await Self.resolve(id: id, as: .dismissed, reason: reason, by: actor, at: now, on: db)
            return try await Self.find(id: id, on: db)!
        }
    }

    /// Marks the alert escalated and drafts a report on its customer and the transfers it is about
    /// (`AMLAlertRecord.transactionIds`).
    public func escalate(id: String, reason: String?, by actor: AdminActor) async throws -> (alert: AMLAlertView, reportId: String) {
        try await ownCase.alert(id, "escalate", by: actor)
        let now = clock()
        return try await database.transaction { db in
            let alert = try await Self.resolve(id: id, as: .escalated, reason: reason, by: actor, at: now, on: db)
            // The whole pattern the rules saw, not only the transfer that completed it.
            let transactionIds = try await AMLAlertRepository.find(id: id, on: db)?.transactionIds ?? []
            let reportId = try await STRReportService.insertDraft(
                alertId: alert.id, userId: alert.userId, reason: reason ?? Self.draftReason(alert), action: "",
                transactionIds: transactionIds, by: actor, at: now, on: db)
            return (try await Self.find(id: id, on: db)!, reportId)
        }
    }

    /// Moves an open alert to `status` (409 when it is no longer open), with its audit row. About a customer who
    /// erased their account, their kept records stay five years from now at least (`RecordRetention`).
    @discardableResult
    static func resolve(id: String, as status: AMLAlertStatus, reason: String?, by actor: AdminActor, at now: Date,
                        on db: DatabaseConnection) async throws -> AMLAlertView {
        let moved = try await AMLAlertRepository.resolve(id: id, as: status, reason: reason, by: actor.userId, at: now, on: db)
        guard moved else {
            guard let existing = try await find(id: id, on: db) else { throw AppError.notFound("There is no such alert.") }
            throw AppError.conflict("The alert is already \(existing.status.rawValue).")
        }
        try await AuditLog.append(actor.audit("aml_alert.\(status.rawValue)", "aml_alert", id, data: ["from": "open", "to": status.rawValue]),
                                  at: now, on: db)
        let resolved = try await find(id: id, on: db)!
        // A release proposed on the transfer before this decision is no longer what its approver would approve.
        if let transactionId = resolved.transactionId { try await ReleaseProposalRepository.caseMoved(transactionId: transactionId, on: db) }
        try await PersonalData.keepRecords(of: resolved.userId, until: RecordRetention.keptUntil(madeAt: now), on: db)
        return resolved
    }

    /// The draft's reason until the officer writes their own: what the rules saw.
    static func draftReason(_ alert: AMLAlertView) -> String {
        "AML alert (\(alert.rule), score \(alert.score)): " + alert.findings.map(\.reason).joined(separator: " ")
    }
}
