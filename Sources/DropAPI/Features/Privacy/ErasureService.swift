import DropCore
import DropProviders
import DropStore
import Foundation
import Logging

/// GDPR art. 17 within AML law: the customer's sessions and consents end at once, contact and
/// profile data is blanked, and what hvitvaskingsloven keeps for five years (who they were, pid
/// hash, KYC outcome, transfers, alerts, reports) stays, seen by compliance only, until the
/// retention job deletes it (ADR 0027). Signing in again later makes a new customer; the pid hash
/// links them to the retained records. It can't be undone, so it needs a recent BankID sign-in
/// (`CustomerStepUp`): whoever holds a week-old app session or a browser left signed in must not close
/// the account, its bank consents and its standing transfers.
public struct ErasureService: Sendable {
    let database: Database
    let stepUp: CustomerStepUp
    let openBanking: Lazy<any OpenBanking>
    let clock: @Sendable () -> Date
    let logger: Logger

    public struct Receipt: Codable, Sendable, Equatable {
        public let requestId: String
        public let status: String
        public let erasedAt: Date
        /// When the retained records are deleted; equal to `erasedAt` when nothing had to be kept.
        public let retainedUntil: Date
        public let retained: [String]
    }

    public func erase(_ identity: Identity, requestID: String) async throws -> Receipt {
        let userId = identity.userId
        guard try await UserRepository.find(id: userId, in: database) != nil else {
            throw AppError.unauthenticated
        }
        // A payment under way is told before anyone is sent to BankID.
        try await database.withConnection { try await ensureNothingInFlight(userId: userId, on: $0) }
        try await stepUp.require(identity, for: .erasure, requestID: requestID, now: clock())
        let notDeletedAtBank = try await revokeBankConsents(userId: userId)

        let now = clock()
        let today = OsloCalendar.today(now)
        let requestId = RecordID.make()
        let retention = try await database.transaction { db -> (until: Date, retained: [String]) in
            // Their row first, as every payment being written takes it (ADR 0037): a payment under way is then
            // either committed and seen here, or written after the erasure and refused. Read before the lock,
            // one committing in between was erased with its customer, still at the bank.
            try await UserRepository.lock(id: userId, on: db)
            try await ensureNothingInFlight(userId: userId, on: db)
            let retained = try await Self.recordsToRetain(userId: userId, on: db)
            let until = retained.isEmpty ? now : RecordRetention.keptUntil(madeAt: now)
            for (type, consent) in try await ConsentRepository.latest(userId: userId, on: db) where consent.granted {
                try await ConsentRepository.insert(ConsentRecord(id: RecordID.make(), userId: userId, type: type,
                                                                 version: consent.version, granted: false, recordedAt: now), on: db)
            }
            guard try await PersonalData.erase(userId: userId, at: now, retainUntil: until, on: db) else { throw AppError.unauthenticated }
            let withdrawn = try await HeldTransferService.endProposals(of: userId, on: db)
            // A bank that couldn't be reached just now is asked again by a job that commits with the erasure.
            for consent in notDeletedAtBank {
                try await BankConsentDeletion.queue(bank: consent.bankId, consentId: consent.providerConsentId, at: now, on: db)
            }
            try await DataRequestRepository.insert(DataRequestRecord(
                id: requestId, userId: userId, kind: .erasure, status: .completed, details: nil, createdAt: now,
                dueAt: OsloCalendar.endOfDay(LegalDeadlines.dataRequestDue(receivedOn: today)), completedAt: now), on: db)
            try await AuditLog.append(AuditEntry(actor: .user(id: userId), action: "user.erased", entityType: "user", entityId: userId,
                                                 data: Erased(request: requestId, retained: retained,
                                                              releaseProposalsWithdrawn: withdrawn > 0 ? withdrawn : nil),
                                                 requestId: requestID), at: now, on: db)
            return (until, retained)
        }
        return Receipt(requestId: requestId, status: "completed", erasedAt: now, retainedUntil: retention.until, retained: retention.retained)
    }

    /// What AML law makes Drop keep for this customer; nothing when they never passed KYC or paid.
    static func recordsToRetain(userId: String, on db: DatabaseConnection) async throws -> [String] {
        guard let counts = try await ErasureRepository.retainedCounts(userId: userId, on: db) else { return [] }
        var kept: [String] = []
        if counts.kyc > 0 { kept += ["pidHash", "kyc"] }
        if counts.transfers > 0 { kept.append("transactions") }
        if counts.alerts + counts.reports > 0 { kept.append("amlRecords") }
        // An officer's decisions on other customers' records name them for as long as those are kept.
        if counts.decisions > 0 { kept.append("officerDecisions") }
        if !kept.isEmpty, !kept.contains("pidHash") { kept.insert("pidHash", at: 0) }
        // Name, birth date and the sealed national id: kept with the records (`PersonalData.erase`).
        if !kept.isEmpty { kept.insert("identity", at: 1) }
        return kept
    }

    private func ensureNothingInFlight(userId: String, on db: DatabaseConnection) async throws {
        let count = try await ErasureRepository.paymentsInFlight(userId: userId, on: db)
        guard count == 0 else {
            throw AppError.conflict("A payment of yours is still in progress. Erasure is possible once it has completed, failed or been cancelled.",
                                    code: "PAYMENTS_IN_PROGRESS")
        }
    }

    /// Deletes the AIS consents at the banks so Drop can read nothing more. Returns the ones a bank couldn't be
    /// reached for: the erasure queues `BankConsentDeletion` for them in its transaction. A failed read of the
    /// consents throws (nothing is erased; the customer asks again): read as "none", it erased the account and
    /// left Drop's access to their accounts live at the bank, with no job to end it.
    private func revokeBankConsents(userId: String) async throws -> [BankConsentRecord] {
        let consents = try await database.withConnection { try await BankConsentRepository.all(userId: userId, on: $0) }
        var notDeleted: [BankConsentRecord] = []
        for consent in consents where [.valid, .received].contains(consent.status) {
            do {
                try await BankConsentDeletion.delete(bank: consent.bankId, consentId: consent.providerConsentId, openBanking: openBanking.wrapped)
            } catch {
                logger.notice("bank consent not deleted at erasure; asked again by a job", metadata: [
                    "bank": .string(consent.bankId), "error_type": .string(String(describing: type(of: error))),
                ])
                notDeleted.append(consent)
            }
        }
        return notDeleted
    }
}

extension ErasureService {
    /// What `user.erased` records: the request, and which records the law keeps (by kind, not content).
    struct Erased: Encodable {
        let request: String
        let retained: [String]
        /// An officer's standing release proposals, ended with them (ADR 0032); absent when none.
        let releaseProposalsWithdrawn: Int?
    }
}
