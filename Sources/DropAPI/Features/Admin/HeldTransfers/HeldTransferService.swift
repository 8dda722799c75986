import DropCore
import DropProviders
import DropStore
import Foundation

/// Compliance's decision on a transfer the AML rules held: release it (the payment is asked of the
/// user's bank as if the rules had cleared it) or reject it (it fails; nothing moved). Only a held
/// transfer can be decided (409 otherwise); the move goes through DropCore's state machine.
/// A transfer released after its price ran out is priced again at today's rate (`todaysPrice`).
public struct HeldTransferService: Sendable {
    let database: Database
    let quotes: QuoteService
    let openBanking: Lazy<any OpenBanking>
    let paymentInitiation: PaymentInitiation
    let clock: @Sendable () -> Date

    public struct Filter: Sendable {
        public var status: TransferStatus?
        public var userId: String?
        public var from: Date?
        public var to: Date?

        public init(status: TransferStatus? = nil, userId: String? = nil, from: Date? = nil, to: Date? = nil) {
            self.status = status
            self.userId = userId
            self.from = from
            self.to = to
        }
    }

    /// The `officer` reading sees no alert count on their own transfers (`AdminTransactionView`).
    public func list(_ filter: Filter, page: PageRequest, for officer: String) async throws -> Page<AdminTransactionView> {
        let cursor = try page.cursor.map { try TimeOrderedCursor(decoding: $0) }
        let (records, proposals) = try await database.withConnection { db in
            let records = try await ComplianceTransactionRepository.list(status: filter.status, userId: filter.userId, from: filter.from, to: filter.to,
                                                                         after: cursor?.position, limit: page.limit, on: db)
            return (records, try await ReleaseProposalRepository.find(transactionIds: records.map(\.id), on: db))
        }
        let now = clock()
        return page.page(records.map { AdminTransactionView(record: $0, proposal: proposals[$0.id].flatMap { $0.hasLapsed(at: now) ? nil : $0 }, shownTo: officer) }) { TimeOrderedCursor(createdAt: $0.createdAt, id: $0.id).encoded }
    }

    public func find(id: String, for officer: String) async throws -> AdminTransactionView {
        let now = clock()
        guard let view = try await database.withConnection({
            // A lapsed proposal is shown as none: the next officer proposes afresh.
            let proposal = try await ReleaseProposalRepository.find(transactionId: id, on: $0).flatMap { $0.hasLapsed(at: now) ? nil : $0 }
            let alerts = try await AMLAlertRepository.list(transactionId: id, on: $0)
            return try await ComplianceTransactionRepository.find(id: id, on: $0).map {
                AdminTransactionView(record: $0, proposal: proposal, alerts: alerts, shownTo: officer)
            }
        }) else {
            throw AppError.notFound("There is no such transaction.")
        }
        return view
    }

    /// The first officer's half of a release (ADR 0032): records why they would let it through. Nothing
    /// moves until a second officer approves (`release`). 409 when the transfer is not held or a live
    /// proposal already stands (a lapsed one is replaced).
    public func proposeRelease(id: String, reason: String, by actor: AdminActor) async throws -> AdminTransactionView {
        try await ownCase.transfer(id, "propose_release", by: actor)
        let now = clock()
        try await database.transaction { db in
            _ = try await heldTransfer(id: id, on: db)
            let proposal = ReleaseProposal(transactionId: id, proposedBy: actor.userId, reason: reason, proposedAt: now)
            guard try await ReleaseProposalRepository.propose(proposal, lapsedBefore: now.addingTimeInterval(-ReleaseProposal.lapsesAfter), on: db) else {
                throw AppError(.conflict, code: Self.alreadyProposedCode,
                               message: "Another officer has already proposed this release: approve or refuse their proposal.")
            }
            try await AuditLog.append(try actor.audit("transaction.release_proposed", "transaction", id, data: ["proposalId": proposal.id]), at: now, on: db)
        }
        return try await find(id: id, for: actor.userId)
    }

    /// Ends a release proposal without releasing: the officer who proposed it withdraws it, or another
    /// refuses it. The transfer stays held. 409 when there is none.
    public func withdrawRelease(id: String, by actor: AdminActor) async throws -> AdminTransactionView {
        try await ownCase.transfer(id, "withdraw_release", by: actor)
        let now = clock()
        try await database.transaction { db in
            _ = try await heldTransfer(id: id, on: db)
            guard let proposal = try await ReleaseProposalRepository.remove(transactionId: id, on: db) else {
                throw AppError(.conflict, code: Self.notProposedCode, message: "No release of this transfer is waiting for approval.")
            }
            let action = proposal.proposedBy == actor.userId ? "transaction.release_withdrawn" : "transaction.release_refused"
            try await AuditLog.append(try actor.audit(action, "transaction", id, data: ["proposalId": proposal.id, "proposedBy": proposal.proposedBy]),
                                      at: now, on: db)
        }
        return try await find(id: id, for: actor.userId)
    }

    /// The proposal `actor` may approve, or the refusal: none (409), their own (403, audited in its own
    /// DB transaction: a second session of the proposer, perhaps a stolen one, trying to finish alone), lapsed (409).
    private func approvableProposal(id: String, by actor: AdminActor) async throws -> ReleaseProposal {
        guard let proposal = try await database.withConnection({ try await ReleaseProposalRepository.find(transactionId: id, on: $0) }) else {
            _ = try await database.withConnection { try await heldTransfer(id: id, on: $0) }
            throw AppError(.conflict, code: Self.notProposedCode,
                           message: "A release takes two officers: propose it with a reason, and a second officer approves it.")
        }
        let now = clock()
        switch proposal.refusal(toApprovalBy: actor.userId, at: now) {
        case .sameOfficer:
            try await database.transaction { db in
                try await AuditLog.append(try actor.audit("officer.own_proposal_refused", "transaction", id, data: ["proposalId": proposal.id]), at: now, on: db)
            }
            throw AppError(.forbidden, code: Self.secondOfficerCode, message: "You proposed this release: a second officer must approve it.")
        case .lapsed:
            throw AppError(.conflict, code: Self.proposalLapsedCode,
                           message: "The release proposal is more than a day old and has lapsed: propose it again if it still stands.")
        case nil:
            return proposal
        }
    }

    /// The second officer's approval of a proposed release (ADR 0032): the proposal is taken in the
    /// release's DB transaction, so of two approvals at once one releases and the other gets 409.
    /// Moves the transfer to `pending_sca` and asks the user's bank for the payment; the user gets the
    /// approval link in a notification and on the transaction. While the bank's breaker is open the
    /// transfer stays held (503); when the bank refuses, the transfer fails; when its answer is
    /// lost, the reconciler asks again with the same request id.
    public func release(id: String, reason: String?, by actor: AdminActor, psuIPAddress: String) async throws -> AdminTransactionView {
        try await ownCase.transfer(id, "release", by: actor)
        let proposal = try await approvableProposal(id: id, by: actor)
        do {
            return try await approve(proposal, reason: reason, by: actor)
        } catch let error as AppError where error.code == Self.caseMovedCode {
            try await endOutdated(proposal, by: actor)
            throw error
        }
    }

    /// An approval refused because an alert on the transfer was raised or resolved after the proposal
    /// (`takeProposal`): the proposal is ended, audited, so an officer proposes again on the case as it is now.
    private func endOutdated(_ proposal: ReleaseProposal, by actor: AdminActor) async throws {
        let now = clock()
        try await database.transaction { db in
            guard try await ReleaseProposalRepository.take(proposal, on: db) else { return }
            try await AuditLog.append(try actor.audit("transaction.release_proposal_outdated", "transaction", proposal.transactionId,
                                                      data: Self.approval(proposal)), at: now, on: db)
        }
    }

    private func approve(_ proposal: ReleaseProposal, reason: String?, by actor: AdminActor) async throws -> AdminTransactionView {
        let id = proposal.transactionId
        let (held, accountId, linkExpiry) = try await database.withConnection { db -> (ComplianceTransactionRecord, String?, Date?) in
            _ = try await heldTransfer(id: id, on: db)
            guard let held = try await ComplianceTransactionRepository.find(id: id, on: db) else { throw AppError.notFound("There is no such transaction.") }
            return (held, try await ComplianceTransactionRepository.bankAccountId(transactionId: id, on: db),
                    try await QRPaymentRepository.linkExpiry(ofTransaction: id, on: db))
        }
        // A one-purchase code that ran out during the review: the shop has been paid another way by
        // now (a new code, cash), and a QR payment has no refund. Asking the bank would charge twice.
        if held.kind == .qrPayment, let linkExpiry {
            try await endIfCodeExpired(id: id, expiry: linkExpiry, reason: reason ?? proposal.reason, by: actor)
        }
        let userId = held.userId
        // A payer who can't pay now (rejected, sanctioned, erased, or sent back to the identity check):
        // a release would be undone by `payments.withdraw-unavailable` within a minute, after telling
        // them it is on its way. Refused before anything is priced or asked of the bank.
        // Read again, under their row's lock, in the release's own DB transaction (`ensurePayerCanPay`).
        guard try await database.withConnection({ try await UserRepository.find(id: userId, on: $0) }).map(Self.canPay) == true else {
            throw Self.payerUnavailable
        }
        var account: BankAccountRecord?
        if let accountId {
            account = try await database.withConnection { try await BankAccountRepository.find(id: accountId, userId: userId, on: $0) }
        }
        // A bank whose breaker is open would only fail the payment: say so while the transfer is still held.
        if let account {
            let breaker = await openBanking.wrapped.breakerSnapshot(for: account.bankId)
            if breaker.state == .open {
                throw AppError.providerUnavailable("The customer's bank is not answering; the transfer stays held. Try again shortly.",
                                                   retryAfterSeconds: max(1, Int(breaker.retryAfter?.components.seconds ?? 60)))
            }
        }
        let now = clock()
        // Without today's rate (503 RATE_UNAVAILABLE) the transfer stays held.
        let price = try await todaysPrice(of: held, at: now)
        if try await database.withConnection({ try await TransactionRepository.bankPayment(id: id, on: $0)?.fundsReceivedAt }) != nil {
            return try await releasePaid(id: id, userId: userId, proposal: proposal, reason: reason ?? proposal.reason, by: actor, price: price, at: now)
        }
        try await database.transaction { db in
            try await Self.ensurePayerCanPay(userId, on: db)
            _ = try await heldTransfer(id: id, on: db)
            try await takeProposal(proposal, on: db)
            try await reprice(id: id, to: price, by: actor, at: now, on: db)
            // The move stamps `updated_at`: the lost-answer reconciler leaves the payment to the request
            // below for a minute from now, not from when the transfer was written (long past).
            guard case .success(let released) = TransferStatus.transition(from: .held, on: .amlReleased),
                  try await TransactionStatusRepository.apply(released, to: id, actor: .admin(id: actor.userId), at: now, on: db) else {
                throw AppError.conflict("Only a held transfer can be released.")
            }
            // The user gets a fresh approval window from now, not from when the transfer was held.
            try await TransactionRepository.recordReview(id: id, by: actor.userId, reason: reason ?? proposal.reason,
                                                         scaExpiresAt: now.addingTimeInterval(RemittanceService.scaWindow), on: db)
            try await AuditLog.append(try actor.audit("transaction.aml_released", "transaction", id, data: Self.approval(proposal)), at: now, on: db)
        }
        guard let payment = try await database.withConnection({ try await TransactionRepository.bankPayment(id: id, on: $0) }) else {
            throw AppError.internalError
        }
        do {
            // The bank is asked exactly as for a new payment; the user learns of the link by notification.
            try await paymentInitiation.start(payment, releasingKey: false) { db, started in
                var notification = PaymentNotifications.statusChanged(payment.statusRecord, to: .pendingSCA, at: now)
                notification.body = price.map { "The review is done. At today's rate the receiver gets \($0.receive.formatted(for: .en)). Approve the payment in your bank." }
                    ?? "The review is done. Approve the payment in your bank."
                notification.link = NotificationLink(transactionId: id, scaRedirect: started.scaRedirect)
                try await NotificationRepository.insert(notification, on: db)
            }
        } catch let error as AppError where error.code == MerchantService.unavailableCode {
            // The merchant's owner lost their standing while the payment was held: it failed instead.
            throw AppError(.conflict, code: error.code,
                           message: "The merchant can no longer take payments: the payment failed and nothing was asked of the bank.")
        } catch let error as ProviderError where error.isProviderUnavailable || error.indicatesProviderFailure {
            // Released, but the bank's answer is not known yet: the reconciler asks it again with the
            // same request id and the customer is told once the payment can be approved.
            let seconds = error.retryAfter.map { max(1, Int($0.components.seconds)) } ?? 30
            throw AppError.providerUnavailable("The customer's bank is not answering; the payment will be asked for again shortly.",
                                               retryAfterSeconds: seconds)
        }
        return try await find(id: id, for: actor.userId)
    }

    /// A held transfer whose money has already left the customer's account (a standing transfer's
    /// payment): released, it goes on to payout; the bank is not asked again.
    private func releasePaid(id: String, userId: String, proposal: ReleaseProposal, reason: String?, by actor: AdminActor, price: TodaysPrice?,
                             at now: Date) async throws -> AdminTransactionView {
        try await database.transaction { db in
            try await Self.ensurePayerCanPay(userId, on: db)
            let record = try await heldTransfer(id: id, on: db)
            try await takeProposal(proposal, on: db)
            try await reprice(id: id, to: price, by: actor, at: now, on: db)
            guard case .success(let released) = TransferStatus.transition(from: .held, on: .amlReleasedAfterPayment),
                  try await TransactionStatusRepository.apply(released, to: id, actor: .admin(id: actor.userId), at: now, on: db) else {
                throw AppError.conflict("Only a held transfer can be released.")
            }
            try await TransactionRepository.recordReview(id: id, by: actor.userId, reason: reason, on: db)
            try await AuditLog.append(try actor.audit("transaction.aml_released", "transaction", id, data: Self.approval(proposal)), at: now, on: db)
            try await NotificationRepository.insert(PaymentNotifications.statusChanged(record, to: .processing, at: now), on: db)
        }
        return try await find(id: id, for: actor.userId)
    }

    /// Ends a held QR payment whose signed code has expired (`paymentLinkExpired`) and answers 409,
    /// with its history and audit rows: the code is free again (an ended payment no longer holds
    /// it), the shop sees it expire on its live list, and the payer is told nothing will be paid
    /// and to ask for a new code. A code still good is left to be released.
    private func endIfCodeExpired(id: String, expiry: Date, reason: String?, by actor: AdminActor) async throws {
        let now = clock()
        guard PaymentLink.hasExpired(Int64(expiry.timeIntervalSince1970.rounded()), at: now) else { return }
        try await database.transaction { db in
            let record = try await endHeld(id, on: .paymentLinkExpired, failureReason: "payment_link_expired", reason: reason, by: actor,
                                           refused: "Only a held transfer can be released.", at: now, on: db)
            try await AuditLog.append(actor.audit("transaction.aml_ended_code_expired", "transaction", id), at: now, on: db)
            try await NotificationRepository.insert(NotificationRecord(
                userId: record.userId, kind: .transactionCodeExpired, title: "The shop's code expired",
                body: "The shop's payment code expired before our check was done, so nothing will be paid and no money has left your account. Ask the shop for a new code.",
                link: NotificationLink(transactionId: id), createdAt: now), on: db)
        }
        throw AppError(.conflict, code: Self.paymentLinkExpiredCode,
                       message: "The shop's payment code expired during the review, so the payment was ended instead: nothing was asked of the bank. The customer and the shop have been told.")
    }

    /// Fails the held transfer; the customer is told it could not be made, never why (no tipping-off).
    /// Money that already left their account (a standing transfer's payment) is returned.
    public func reject(id: String, reason: String, by actor: AdminActor) async throws -> AdminTransactionView {
        try await ownCase.transfer(id, "reject", by: actor)
        let now = clock()
        try await database.transaction { db in
            let record = try await endHeld(id, on: .amlRejected, failureReason: "compliance_rejected", reason: reason, by: actor,
                                           refused: "Only a held transfer can be rejected.", at: now, on: db)
            try await TransactionRepository.freeIdempotencyKey(id: id, on: db)
            if try await TransactionRepository.bankPayment(id: id, on: db)?.fundsReceivedAt != nil {
                try await TransactionRepository.requestReturn(id: id, reason: "compliance_rejected", actor: .admin(id: actor.userId), at: now, on: db)
            }
            try await AuditLog.append(actor.audit("transaction.aml_rejected", "transaction", id), at: now, on: db)
            try await NotificationRepository.insert(PaymentNotifications.statusChanged(record, to: .failed, at: now), on: db)
        }
        return try await find(id: id, for: actor.userId)
    }

    /// What a held transfer brings at today's rate, once its own price has run out (a quote's 15
    /// minutes from when the transfer was made). The customer pays the NOK they agreed to; the
    /// receiver gets what it buys now. Keeping the old price would pay days-old rates: the customer
    /// would approve only when the rate had moved their way, and Drop would carry the rest on a
    /// 0.5 % fee. Nil while the price holds, and for a QR payment, which converts nothing.
    struct TodaysPrice: Encodable {
        let receive: Money
        let rate: String
        let rateAsOf: String
        let previousReceiveMinor: Int64
    }

    private func todaysPrice(of held: ComplianceTransactionRecord, at now: Date) async throws -> TodaysPrice? {
        guard let receive = held.receive, let country = held.recipientCountry,
              !Pricing.priceHolds(pricedAt: Int64(held.createdAt.timeIntervalSince1970), now: Int64(now.timeIntervalSince1970)) else { return nil }
        let input = QuoteInput(country: country, currency: receive.currency.code, sendAmountMinor: held.amount.minorUnits)
        let quote = try await quotes.priced(input, now: now).quote
        return TodaysPrice(receive: quote.receive, rate: quote.rate.description, rateAsOf: quote.rateAsOf, previousReceiveMinor: receive.minorUnits)
    }

    /// Writes today's price on the held transfer, with its audit row, in the release's transaction.
    private func reprice(id: String, to price: TodaysPrice?, by actor: AdminActor, at now: Date, on db: DatabaseConnection) async throws {
        guard let price else { return }
        guard try await TransactionRepository.reprice(id: id, receive: price.receive, rate: price.rate, at: now, on: db) else {
            throw AppError.conflict("Only a held transfer can be released.")
        }
        try await AuditLog.append(try actor.audit("transaction.repriced", "transaction", id, data: price), at: now, on: db)
    }

    static let payerUnavailableCode = "PAYER_UNAVAILABLE"
    static let payerUnavailable = AppError(
        .conflict, code: payerUnavailableCode,
        message: "The customer can't pay now (their identity check is not approved, or they are sanctioned): reject the transfer, or release it once they are approved again.")

    /// Whether a customer may pay now: identity check approved, no sanctions hit (an erased one isn't found).
    static func canPay(_ user: UserRecord) -> Bool { user.kycStatus == .approved && !user.isSanctioned }

    /// The payer's standing, read on the release's DB transaction after locking their row, first of all
    /// (an erasure locks it before the proposals it ends). A verdict on them (Sumsub, a sanctions hit, an
    /// erasure: each writes the row) either committed before, and the release is refused (409, nothing
    /// changed, the proposal kept), or waits for the release's commit and then finds a transfer under way,
    /// which `payments.withdraw-unavailable` cancels or holds. Read outside, as it was, a verdict committing
    /// between the read and the release let two officers send a sanctioned customer's money on.
    static func ensurePayerCanPay(_ userId: String, on db: DatabaseConnection) async throws {
        guard try await UserRepository.lockForPayment(id: userId, on: db).map(canPay) == true else { throw payerUnavailable }
    }
    /// A release approved with no proposal standing (or one taken meanwhile), or proposed twice (409).
    static let notProposedCode = "RELEASE_NOT_PROPOSED"
    static let alreadyProposedCode = "RELEASE_ALREADY_PROPOSED"
    static let proposalLapsedCode = "RELEASE_PROPOSAL_LAPSED"
    /// An alert on the transfer was raised or resolved after the proposal (409): approve what was proposed, or propose again.
    static let caseMovedCode = "RELEASE_CASE_MOVED"
    /// The proposing officer approving their own proposal (403).
    static let secondOfficerCode = "SECOND_OFFICER_REQUIRED"
    /// A released QR payment whose shop code had expired: ended, not asked of the bank (409).
    static let paymentLinkExpiredCode = "PAYMENT_LINK_EXPIRED"

    /// Ends a held transfer on `event` (rejected, or its shop's code expired) with the officer's review, on the
    /// caller's DB transaction; the transfer as it was. 409 with `refused` when it is no longer held.
    private func endHeld(_ id: String, on event: TransferEvent, failureReason: String, reason: String?, by actor: AdminActor, refused: String,
                         at now: Date, on db: DatabaseConnection) async throws -> TransactionStatusRecord {
        let record = try await heldTransfer(id: id, on: db)
        guard case .success(let ended) = TransferStatus.transition(from: .held, on: event),
              try await TransactionStatusRepository.apply(ended, to: id, actor: .admin(id: actor.userId), failureReason: failureReason, at: now, on: db) else {
            throw AppError.conflict(refused)
        }
        try await TransactionRepository.recordReview(id: id, by: actor.userId, reason: reason, on: db)
        // An ended transfer has nothing left to release: a proposal on it is over too.
        _ = try await ReleaseProposalRepository.remove(transactionId: id, on: db)
        return record
    }

    /// Takes the approved proposal in the release's DB transaction: 409 when it was withdrawn, refused,
    /// replaced, or another officer's approval took it first; 409 `RELEASE_CASE_MOVED` when an alert on
    /// the transfer was raised or resolved after it was proposed (one officer dismissing the alerts and
    /// proposing, so the second sees a clean case). The proposal row is taken first: a dismissal under
    /// way waits on it (`ReleaseProposalRepository.caseMoved`), so the check below sees it once committed.
    private func takeProposal(_ proposal: ReleaseProposal, on db: DatabaseConnection) async throws {
        guard try await ReleaseProposalRepository.take(proposal, on: db) else {
            throw AppError(.conflict, code: Self.notProposedCode, message: "The release proposal was withdrawn, refused or already approved.")
        }
        if try await AMLAlertRepository.movedOnTransaction(proposal.transactionId, since: proposal.proposedAt, on: db) {
            throw AppError(.conflict, code: Self.caseMovedCode,
                           message: "An alert on this transfer was raised or resolved after the release was proposed, so the proposal has ended: look at the alerts and propose again if the release still stands.")
        }
    }

    /// Ends every release `officer` proposed, on the caller's DB transaction, when they stop being an
    /// officer (`drop admin revoke`) or erase their account: a second officer must not approve what a
    /// distrusted or departed officer proposed (ADR 0032). How many ended, for the caller's audit row.
    static func endProposals(of officer: String, on db: DatabaseConnection) async throws -> Int {
        try await ReleaseProposalRepository.remove(proposedBy: officer, on: db)
    }

    /// Who proposed the release the audit row records: the two officers are on one row.
    private static func approval(_ proposal: ReleaseProposal) -> [String: String] {
        ["proposalId": proposal.id, "proposedBy": proposal.proposedBy]
    }

    private func heldTransfer(id: String, on db: DatabaseConnection) async throws -> TransactionStatusRecord {
        guard let record = try await TransactionStatusRepository.find(id: id, on: db) else {
            throw AppError.notFound("There is no such transaction.")
        }
        guard record.status == .held else { throw AppError.conflict("The transfer is \(record.status.rawValue), not held.") }
        return record
    }

}
