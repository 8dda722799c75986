import DropCore
import DropStore
import Foundation

/// Refuses an officer's decision on their own case (`OwnCase`) before anything is decided, and audits
/// the attempt (`officer.own_case_refused`, with the decision tried and nothing personal) in its own DB
/// transaction, so the row stays though the refusal ends the request. Their transfer or complaint,
/// which they know of as a customer: 403 `OWN_CASE`. An alert or report about them, which they must
/// not learn of (no tipping-off): the answer an unknown one gets. An id that names nothing is left
/// to the decision's own answer.
struct OwnCaseRefusal {
    let database: Database
    let clock: @Sendable () -> Date

    static let code = "OWN_CASE"
    static let refused = AppError(.forbidden, code: code, message: "Another officer must decide on your own case.")

    func transfer(_ id: String, _ decision: String, by actor: AdminActor) async throws {
        let parties = try await database.withConnection { try await Self.parties(ofTransfers: [id], on: $0) }
        try await refuse(parties, "transaction", id, decision, by: actor, with: Self.refused)
    }

    func complaint(_ id: String, _ decision: String, by actor: AdminActor) async throws {
        let complainant = try await database.withConnection { try await ComplaintRepository.find(id: id, on: $0)?.userId }
        try await refuse(complainant.map { [$0] } ?? [], "complaint", id, decision, by: actor, with: Self.refused)
    }

    /// `unknown` is what the decision answers for an alert that does not exist.
    func alert(_ id: String, _ decision: String, by actor: AdminActor,
               unknown: AppError = AppError.notFound("There is no such alert.")) async throws {
        try await refuse(try await alertParties(id), "aml_alert", id, decision, by: actor, with: unknown)
    }

    func report(_ id: String, _ decision: String, by actor: AdminActor) async throws {
        try await refuse(try await reportParties(id), "str_report", id, decision, by: actor, with: AppError.notFound("There is no such report."))
    }

    /// The alert's subject, and the parties to its transfers (its own and the pattern's): an alert on a
    /// payment to an officer's business is about their business as much as about its payer.
    func alertParties(_ id: String) async throws -> [String] {
        try await database.withConnection { db -> [String] in
            guard let alert = try await AMLAlertRepository.find(id: id, on: db) else { return [] }
            return [alert.userId] + (try await Self.parties(ofTransfers: alert.transactionIds, on: db))
        }
    }

    /// The report's subject, and the parties to the transfers it covers.
    func reportParties(_ id: String) async throws -> [String] {
        try await database.withConnection { db -> [String] in
            guard let report = try await STRReportRepository.find(id: id, on: db) else { return [] }
            return [report.userId] + (try await Self.parties(ofTransfers: report.transactionIds, on: db))
        }
    }

    /// An operations alert about their transfer (or a payment to their business), their standing transfer or
    /// their business: resolving it closes it for good. Operations alerts are no secret from their subject (an
    /// officer's list shows them all), so the refusal says why.
    func operationsAlert(_ id: String, _ decision: String, by actor: AdminActor) async throws {
        let parties = try await database.withConnection { db -> [String] in
            guard let alert = try await OperationsAlertRepository.find(id: id, on: db), let entityId = alert.entityId else { return [] }
            switch alert.entityType {
            case "transaction": return try await Self.parties(ofTransfers: [entityId], on: db)
            case "standing_order": return (try await StandingOrderRepository.find(id: entityId, on: db)).map { [$0.userId] } ?? []
            case "merchant": return try await Self.parties(ofBusiness: entityId, on: db)
            case "user": return [entityId]
            default: return []
            }
        }
        try await refuse(parties, "operations_alert", id, decision, by: actor, with: Self.refused)
    }

    /// Closing their own business, or one whose organisation number they claimed.
    func business(_ id: String, _ decision: String, by actor: AdminActor) async throws {
        let parties = try await database.withConnection { try await Self.parties(ofBusiness: id, on: $0) }
        try await refuse(parties, "merchant", id, decision, by: actor, with: Self.refused)
    }

    /// The business's owner, and whoever tried to register its organisation number as theirs
    /// (`organisation_already_registered`): closing it frees the number for them.
    private static func parties(ofBusiness id: String, on db: DatabaseConnection) async throws -> [String] {
        guard let business = try await MerchantRepository.find(id: id, on: db) else { return [] }
        let claims = try await OperationsAlertRepository.raised(.organisationAlreadyRegistered, about: "merchant", id, on: db)
        return [business.userId] + claims.compactMap {
            try? JSONDecoder().decode(OperationsAlertDetails.OrganisationClaimed.self, from: Data($0.details.utf8)).claimantUserId
        }
    }

    /// Each transfer's payer, and for a payment to a business, its owner.
    private static func parties(ofTransfers ids: [String], on db: DatabaseConnection) async throws -> [String] {
        var parties: [String] = []
        for id in ids {
            guard let transfer = try await ComplianceTransactionRepository.find(id: id, on: db) else { continue }
            parties += [transfer.userId] + (transfer.merchantOwnerId.map { [$0] } ?? [])
        }
        return parties
    }

    /// A new report on a customer the officer names: they know their own id, so the refusal says why.
    func customer(_ userId: String, _ decision: String, by actor: AdminActor) async throws {
        try await refuse([userId], "user", userId, decision, by: actor, with: Self.refused)
    }

    private func refuse(_ parties: [String], _ entityType: String, _ entityId: String, _ decision: String, by actor: AdminActor,
                        with answer: AppError) async throws {
        guard OwnCase.isOwn(officer: actor.userId, parties: parties) else { return }
        let now = clock()
        try await database.transaction { db in
            try await AuditLog.append(try actor.audit("officer.own_case_refused", entityType, entityId, data: ["decision": decision]), at: now, on: db)
        }
        throw answer
    }
}

extension HeldTransferService {
    var ownCase: OwnCaseRefusal { OwnCaseRefusal(database: database, clock: clock) }
}

extension AMLAlertService {
    var ownCase: OwnCaseRefusal { OwnCaseRefusal(database: database, clock: clock) }
}

extension STRReportService {
    var ownCase: OwnCaseRefusal { OwnCaseRefusal(database: database, clock: clock) }
}

extension ComplaintService {
    var ownCase: OwnCaseRefusal { OwnCaseRefusal(database: database, clock: clock) }
}

extension ReconciliationService {
    var ownCase: OwnCaseRefusal { OwnCaseRefusal(database: database, clock: clock) }
}

extension MerchantClosureService {
    var ownCase: OwnCaseRefusal { OwnCaseRefusal(database: database, clock: clock) }
}
