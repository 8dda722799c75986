import DropCore
import DropStore
import Foundation

/// Suspicious transaction reports (hvitvaskingsloven § 26): drafted from an alert or for a customer,
/// completed while a draft, then filed — after which nothing about them changes.
public struct STRReportService: Sendable {
    let database: Database
    /// Drop as the reports name it.
    let reportingEntity: SuspiciousTransactionReport.ReportingEntity
    let clock: @Sendable () -> Date

    /// Reports about the `officer` reading, or on a payment to their business, are left out: no officer
    /// learns they were reported (`OwnCase`).
    public func list(status: STRReportStatus?, userId: String?, page: PageRequest, for officer: String) async throws -> Page<STRReportView> {
        let cursor = try page.cursor.map { try TimeOrderedCursor(decoding: $0) }
        let views = try await database.withConnection {
            try await STRReportRepository.list(status: status, userId: userId, notAbout: officer, after: cursor?.position, limit: page.limit, on: $0)
        }.map(STRReportView.init(record:))
        return page.page(views) { TimeOrderedCursor(createdAt: $0.createdAt, id: $0.id).encoded }
    }

    /// A report about the `officer` reading, or on a payment to their business, is not found, as an unknown one.
    public func find(id: String, for officer: String) async throws -> STRReportView {
        guard let view = try await database.withConnection({ try await STRReportView.find(id: id, on: $0) }),
              !OwnCase.isOwn(officer: officer, parties: try await ownCase.reportParties(id)) else {
            throw AppError.notFound("There is no such report.")
        }
        return view
    }

    func create(_ input: STRReportInput, by actor: AdminActor) async throws -> STRReportView {
        if let alertId = input.alertId {
            try await ownCase.alert(alertId, "report", by: actor,
                                    unknown: AppError.validation("There is no such alert.", details: [ErrorDetail(field: "alertId", issue: "not_found")]))
        }
        if let userId = input.userId { try await ownCase.customer(userId, "report", by: actor) }
        // A customer's payment to the officer's own business makes the report theirs too.
        for id in input.transactionIds ?? [] { try await ownCase.transfer(id, "report", by: actor) }
        let reason = try AdminReason.optional(input.reason) ?? ""
        let action = try AdminReason.optional(input.action, field: "action") ?? ""
        let chosen = input.transactionIds ?? []
        let now = clock()
        return try await database.transaction { db in
            let userId: String
            var transactions = chosen
            var alertId: String? = nil
            if let id = input.alertId {
                guard let alert = try await AMLAlertService.find(id: id, on: db) else {
                    throw AppError.validation("There is no such alert.", details: [ErrorDetail(field: "alertId", issue: "not_found")])
                }
                guard alert.status != .dismissed else { throw AppError.conflict("The alert was dismissed; to report anyway, give userId and transactionIds.") }
                if let given = input.userId, given != alert.userId {
                    throw AppError.validation("The alert is about another customer.", details: [ErrorDetail(field: "userId", issue: "mismatch")])
                }
                // Reporting on an open alert is escalating it.
                if alert.status == .open {
                    try await AMLAlertService.resolve(id: id, as: .escalated, reason: reason.isEmpty ? nil : reason,
                                                      by: actor, at: now, on: db)
                }
                userId = alert.userId
                let covered = try await AMLAlertRepository.find(id: id, on: db)?.transactionIds ?? []
                transactions = covered + chosen.filter { !covered.contains($0) }
                alertId = id
            } else {
                guard let given = input.userId, !given.isEmpty else {
                    throw AppError.validation("Give alertId or userId.", details: [ErrorDetail(field: "userId", issue: "required")])
                }
                guard try await UserRepository.exists(id: given, on: db) else {
                    throw AppError.validation("There is no such customer.", details: [ErrorDetail(field: "userId", issue: "not_found")])
                }
                guard !chosen.isEmpty else {
                    throw AppError.validation("Choose the transactions the report is about.",
                                              details: [ErrorDetail(field: "transactionIds", issue: "required")])
                }
                userId = given
            }
            try await Self.requireOwned(transactions, userId: userId, on: db)
            let id = try await Self.insertDraft(alertId: alertId, userId: userId, reason: reason, action: action,
                                                          transactionIds: transactions, by: actor, at: now, on: db)
            return try await STRReportView.find(id: id, on: db)!
        }
    }

    public func update(id: String, _ patch: STRReportPatch, by actor: AdminActor) async throws -> STRReportView {
        try await ownCase.report(id, "update", by: actor)
        let reason = try AdminReason.optional(patch.reason)
        let action = try AdminReason.optional(patch.action, field: "action")
        let now = clock()
        return try await database.transaction { db in
            let report = try await Self.draft(id: id, on: db)
            if let transactionIds = patch.transactionIds {
                guard !transactionIds.isEmpty else {
                    throw AppError.validation("A report is about at least one transaction.",
                                              details: [ErrorDetail(field: "transactionIds", issue: "required")])
                }
                try await Self.requireOwned(transactionIds, userId: report.userId, on: db)
                try await STRReportRepository.replaceTransactions(reportId: id, with: transactionIds, on: db)
                try await Self.keepRecords(of: report.userId, transactionIds: transactionIds, at: now, on: db)
            }
            try await STRReportRepository.updateDraft(id: id, reason: reason ?? report.reason, action: action ?? report.action, at: now, on: db)
            let changed = [reason.map { _ in "reason" }, action.map { _ in "action" }, patch.transactionIds.map { _ in "transactions" }].compactMap { $0 }
            try await AuditLog.append(actor.audit("str_report.updated", "str_report", id,
                                                  data: ["fields": changed]),
                                      at: now, on: db)
            return try await STRReportView.find(id: id, on: db)!
        }
    }

    /// Marks a complete draft filed with the FIU; from then on the report is a record.
    public func file(id: String, _ filing: STRReportFiling, by actor: AdminActor) async throws -> STRReportView {
        try await ownCase.report(id, "file", by: actor)
        let reference = try AdminReason.optional(filing.fiuReference, field: "fiuReference")
        if let reference, reference.count > 100 {
            throw AppError.validation("The FIU reference is too long.", details: [ErrorDetail(field: "fiuReference", issue: "too_long")])
        }
        let now = clock()
        return try await database.transaction { db in
            let report = try await Self.draft(id: id, on: db)
            var missing: [ErrorDetail] = []
            if report.reason.isEmpty { missing.append(ErrorDetail(field: "reason", issue: "required")) }
            if report.action.isEmpty { missing.append(ErrorDetail(field: "action", issue: "required")) }
            if report.transactionIds.isEmpty { missing.append(ErrorDetail(field: "transactionIds", issue: "required")) }
            guard missing.isEmpty else { throw AppError.validation("Complete the report before filing it.", details: missing) }
            let filed = try await STRReportRepository.file(id: id, by: actor.userId, fiuReference: reference, at: now, on: db)
            guard filed else { throw AppError.conflict("The report is already filed.") }
            try await Self.keepRecords(of: report.userId, transactionIds: report.transactionIds, at: now, on: db)
            try await AuditLog.append(actor.audit("str_report.filed", "str_report", id, data: ["from": "draft", "to": "filed"]), at: now, on: db)
            return try await STRReportView.find(id: id, on: db)!
        }
    }

    /// The report as the FIU would receive it (a draft shows as it would be filed now), audited as
    /// `str_report.exported` in `format`: it names the customer, their birthdate and phone.
    func document(id: String, as format: String, by actor: AdminActor) async throws -> SuspiciousTransactionReport {
        let now = clock()
        return try await database.transaction { db in
            guard let report = try await STRReportView.find(id: id, on: db), report.userId != actor.userId else {
                throw AppError.notFound("There is no such report.")
            }
            try await AuditLog.append(try actor.audit("str_report.exported", "str_report", id, data: ["format": format]), at: now, on: db)
            return try await STRReportDocument.build(report, entity: reportingEntity, at: now, on: db)
        }
    }

    /// Drafts a report on the caller's DB transaction, with its audit row. About a customer who erased their
    /// account, or naming payments of an account they erased, those kept records stay five years from now at least.
    static func insertDraft(alertId: String?, userId: String, reason: String, action: String, transactionIds: [String],
                            by actor: AdminActor, at now: Date, on db: DatabaseConnection) async throws -> String {
        let id = RecordID.make()
        try await STRReportRepository.insertDraft(id: id, alertId: alertId, userId: userId, reason: reason, action: action,
                                                  transactionIds: transactionIds, createdBy: actor.userId, at: now, on: db)
        try await keepRecords(of: userId, transactionIds: transactionIds, at: now, on: db)
        try await AuditLog.append(actor.audit("str_report.drafted", "str_report", id,
                                              data: Drafted(alertId: alertId, transactions: transactionIds.count)),
                                  at: now, on: db)
        return id
    }

    /// The customer's kept records, and those of each erased account of theirs whose payments the report
    /// names, stay five years from now at least (`RecordRetention`).
    private static func keepRecords(of userId: String, transactionIds: [String], at now: Date, on db: DatabaseConnection) async throws {
        let until = RecordRetention.keptUntil(madeAt: now)
        for account in Set([userId] + (try await STRReportRepository.payers(of: transactionIds, on: db))).sorted() {
            try await PersonalData.keepRecords(of: account, until: until, on: db)
        }
    }

    private static func draft(id: String, on db: DatabaseConnection) async throws -> STRReportView {
        try await STRReportRepository.lock(id: id, on: db)
        guard let report = try await STRReportView.find(id: id, on: db) else { throw AppError.notFound("There is no such report.") }
        guard report.status == .draft else { throw AppError.conflict("A filed report cannot be changed.") }
        return report
    }

    private static func requireOwned(_ transactionIds: [String], userId: String, on db: DatabaseConnection) async throws {
        let foreign = try await STRReportRepository.foreignTransactions(transactionIds, userId: userId, on: db)
        guard foreign.isEmpty else {
            throw AppError.validation("Every transaction must be the customer's.",
                                      details: [ErrorDetail(field: "transactionIds", issue: "not_found")])
        }
    }
}

extension STRReportService {
    /// What `str_report.drafted` records.
    struct Drafted: Encodable {
        let alertId: String?
        let transactions: Int
    }
}
