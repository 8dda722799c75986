import DropCore
import DropProviders
import DropStore
import Foundation
import Logging

/// Standing transfers: "1,500 NOK to Ali on the 25th every month". Drop asks the person's bank
/// once for a periodic payment to the partner's collection account; the bank pays on each due day
/// by its own clock, and each payment it reports becomes a transfer priced at that day's rate and
/// paid out as usual (`StandingOrderExecutions`). Pausing, changing and stopping cancel the bank's
/// order; changing and resuming ask for a new one, approved again (docs/flows.md, "Standing transfers").
public struct StandingOrderService: Sendable {
    let quotes: QuoteService
    let spendingLimits: SpendingLimitService
    let database: Database
    let openBanking: Lazy<any OpenBanking>
    let paymentInitiation: PaymentInitiation
    let bankConnections: BankConnectionService
    let publicBaseURL: PublicBaseURL
    let idempotentRequests: IdempotentRequest
    let config: AppConfig
    let clock: @Sendable () -> Date
    let logger: Logger
    /// When this process's bank return page last asked about each order (`followUp`).
    let returnPageAsks: ReturnPageAsks

    public struct Input: Decodable, Sendable {
        public let recipientId: String
        public let bankAccountId: String
        /// NOK øre sent each time; the fee comes on top.
        public let amountMinor: Int64
        public let frequency: String
        /// `YYYY-MM-DD`, today or later (Oslo).
        public let startDate: String
        public let endDate: String?
        /// Month-based orders: the day of the month (default: the start date's).
        public let dayOfExecution: Int?
        public let message: String?
        public let client: BankConnectionService.Client?

        public init(recipientId: String, bankAccountId: String, amountMinor: Int64, frequency: String, startDate: String, endDate: String? = nil,
                    dayOfExecution: Int? = nil, message: String? = nil, client: BankConnectionService.Client? = nil) {
            self.recipientId = recipientId
            self.bankAccountId = bankAccountId
            self.amountMinor = amountMinor
            self.frequency = frequency
            self.startDate = startDate
            self.endDate = endDate
            self.dayOfExecution = dayOfExecution
            self.message = message
            self.client = client
        }
    }

    /// A change or a resumption: what differs from the order it replaces (nil keeps it).
    public struct Change: Decodable, Sendable {
        public let amountMinor: Int64?
        public let frequency: String?
        public let startDate: String?
        public let endDate: String?
        public let dayOfExecution: Int?
        public let client: BankConnectionService.Client?

        public init(amountMinor: Int64? = nil, frequency: String? = nil, startDate: String? = nil, endDate: String? = nil,
                    dayOfExecution: Int? = nil, client: BankConnectionService.Client? = nil) {
            self.amountMinor = amountMinor
            self.frequency = frequency
            self.startDate = startDate
            self.endDate = endDate
            self.dayOfExecution = dayOfExecution
            self.client = client
        }
    }

    public struct Started: Codable, Sendable {
        public struct Order: Codable, Sendable { public let id: String }
        public let standingOrder: Order
        public let scaRedirect: String?
    }

    /// How far ahead a first payment day may be.
    static let maximumLeadDays = 366

    // MARK: Create, change, resume

    /// `create` under the same `Idempotency-Key` rules as `POST /v1/standing-orders` (same scope,
    /// same stored answer), for the web form: a second submit gets the first order back.
    public func createOnce(user: UserRecord, _ input: Input, idempotencyKey key: String, psuIPAddress: String) async throws -> Started {
        let fingerprint = [input.recipientId, input.bankAccountId, String(input.amountMinor), input.frequency, input.startDate,
                           input.endDate ?? "", input.dayOfExecution.map(String.init) ?? "", input.message ?? ""].joined(separator: "\u{1F}")
        let outcome = try await idempotentRequests.perform(scope: "standing-order:\(user.id)", key: key, body: Array(fingerprint.utf8),
                                                           waitWhileRunning: .seconds(15)) { attempt in
            let started = try await create(user: user, input, attempt: attempt, psuIPAddress: psuIPAddress)
            return (.created, try JSON.encoder.encode(StandingOrdersFeature.StartedView(started, view: try await find(id: started.standingOrder.id, userId: user.id))))
        }
        return try JSON.decoder.decode(Started.self, from: outcome.body)
    }

    /// `replace` under the same `Idempotency-Key` rules as `POST /v1/standing-orders/{id}/replace` (same
    /// scope, same stored answer), for the web's resume and change forms, which carry a fresh key each:
    /// a second tap gets the first order back, and a form shown after a refusal at the bank asks again.
    public func replaceOnce(user: UserRecord, id: String, _ change: Change, idempotencyKey key: String, psuIPAddress: String) async throws -> Started {
        let fingerprint = [id, change.amountMinor.map(String.init) ?? "", change.frequency ?? "", change.startDate ?? "", change.endDate ?? "",
                           change.dayOfExecution.map(String.init) ?? ""].joined(separator: "\u{1F}")
        let outcome = try await idempotentRequests.perform(scope: "standing-order:\(user.id)", key: key, body: Array(fingerprint.utf8),
                                                           waitWhileRunning: .seconds(15)) { attempt in
            let started = try await replace(user: user, id: id, change, idempotencyKey: attempt.key, requestHash: attempt.requestHash,
                                            psuIPAddress: psuIPAddress)
            return (.created, try JSON.encoder.encode(StandingOrdersFeature.StartedView(started, view: try await find(id: started.standingOrder.id, userId: user.id))))
        }
        return try JSON.decoder.decode(Started.self, from: outcome.body)
    }

    func create(user: UserRecord, _ input: Input, attempt: IdempotentAttempt, psuIPAddress: String) async throws -> Started {
        if let earlier = try await resumed(userId: user.id, idempotencyKey: attempt.key, requestHash: attempt.requestHash, client: input.client) {
            return earlier
        }
        let schedule = try schedule(frequency: try Self.frequency(input.frequency), startDate: input.startDate, endDate: input.endDate, dayOfExecution: input.dayOfExecution)
        if let message = input.message, message.count > 140 {
            throw AppError.validation("The message is too long.", details: [ErrorDetail(field: "message", issue: "too_long", message: "At most 140 characters.")])
        }
        if let issue = FreeText.controlCharacterIssue(input.message, field: "message") {
            throw AppError.validation("The message cannot contain line breaks or control characters.", details: [ErrorDetail(issue)])
        }
        let order: StandingOrderRecord
        do {
            order = try await newOrder(user: user, recipientId: input.recipientId, bankAccountId: input.bankAccountId, amountMinor: input.amountMinor,
                                       schedule: schedule, message: input.message, replacing: nil, idempotencyKey: attempt.key,
                                       requestHash: attempt.requestHash, psuIPAddress: psuIPAddress)
        } catch where classifyDatabaseError(error) == .uniqueViolation {
            return try await firstUnder(userId: user.id, idempotencyKey: attempt.key, requestHash: attempt.requestHash, client: input.client, error)
        }
        return try await askBank(order, client: input.client ?? .web)
    }

    /// A new order in place of `id` (active or paused), with the changes; approved at the bank
    /// like the first. Until it is, the old one carries on as it was (or stays paused).
    /// `requestHash`: the request's (`IdempotentAttempt`), so that only the same request resumes an
    /// order its key made.
    public func replace(user: UserRecord, id: String, _ change: Change, idempotencyKey: String, requestHash: String? = nil,
                        psuIPAddress: String) async throws -> Started {
        if let earlier = try await resumed(userId: user.id, idempotencyKey: idempotencyKey, requestHash: requestHash, client: change.client) {
            return earlier
        }
        let old = try await own(id: id, userId: user.id)
        guard old.status.canBeReplaced else {
            throw AppError.conflict("Only a running or paused standing transfer can be changed.", code: "STANDING_ORDER_ENDED")
        }
        let frequency = try change.frequency.map(Self.frequency) ?? old.frequency
        // A resumed or changed order starts at the next payment day that is not the old one's, unless told otherwise.
        let today = OsloCalendar.today(clock())
        let defaultStart = (old.replacementStart(from: today) ?? today).iso
        // A weekly order's day is a weekday: a month-based change of it takes the start date's day of the month.
        let schedule = try schedule(frequency: frequency, startDate: change.startDate ?? defaultStart, endDate: change.endDate ?? old.endDate,
                                    dayOfExecution: change.dayOfExecution ?? (frequency.isMonthBased && old.frequency.isMonthBased ? old.dayOfExecution : nil))
        // The payee stays the one approved: a new amount or day is not a new payee, and the bank's page
        // (which names Drop's collection account) would not show one. A new payee is a new order.
        let order: StandingOrderRecord
        do {
            order = try await newOrder(user: user, recipientId: old.recipientId, keeping: old.payee, since: old.payeeSince, bankAccountId: old.bankAccountId,
                                       amountMinor: change.amountMinor ?? old.amountMinor, schedule: schedule, message: old.message,
                                       replacing: old.id, idempotencyKey: idempotencyKey, requestHash: requestHash, psuIPAddress: psuIPAddress)
        } catch where classifyDatabaseError(error) == .uniqueViolation {
            return try await firstUnder(userId: user.id, idempotencyKey: idempotencyKey, requestHash: requestHash, client: change.client, error)
        }
        return try await askBank(order, client: change.client ?? .web)
    }

    /// Two requests under one key at once (a double tap): the unique key let only the first order
    /// through, and the second gets it back.
    private func firstUnder(userId: String, idempotencyKey: String, requestHash: String?, client: BankConnectionService.Client?,
                            _ error: any Error) async throws -> Started {
        guard let first = try await resumed(userId: userId, idempotencyKey: idempotencyKey, requestHash: requestHash, client: client) else { throw error }
        return first
    }

    /// The order an earlier request with this key made, finished as that request would have
    /// (the bank asked again with the same request id if its answer was never stored).
    private func resumed(userId: String, idempotencyKey: String, requestHash: String?, client: BankConnectionService.Client?) async throws -> Started? {
        guard let earlier = try await database.withConnection({
            try await StandingOrderRepository.find(userId: userId, idempotencyKey: idempotencyKey, on: $0)
        }) else { return nil }
        // Only by the same request: another one under the key (after the first's error) is refused.
        if let requestHash { try IdempotentAttempt(key: idempotencyKey, requestHash: requestHash).ensureSameRequest(as: earlier.requestHash) }
        return try await askBank(earlier, client: client ?? .web, reasking: true)
    }

    private static func frequency(_ raw: String) throws -> StandingOrderFrequency {
        guard let frequency = StandingOrderFrequency(rawValue: raw) else {
            throw AppError.validation("Choose how often: weekly, every_two_weeks, monthly or quarterly.",
                                      details: [ErrorDetail(field: "frequency", issue: "one_of")])
        }
        return frequency
    }

    private func schedule(frequency: StandingOrderFrequency, startDate: String, endDate: String?, dayOfExecution: Int?) throws -> StandingOrderSchedule {
        func date(_ text: String, _ field: String) throws -> CalendarDate {
            do { return try CalendarDate(iso: text) } catch {
                throw AppError.validation(error.message, details: [ErrorDetail(field: field, issue: "format")])
            }
        }
        let start = try date(startDate, "startDate")
        let today = OsloCalendar.today(clock())
        guard start >= today, today.days(until: start) <= Self.maximumLeadDays else {
            throw AppError.validation("The first payment day is today or within a year.", details: [ErrorDetail(field: "startDate", issue: "range")])
        }
        do {
            return try StandingOrderSchedule(frequency: frequency, startDate: start, endDate: try endDate.map { try date($0, "endDate") },
                                             dayOfExecution: dayOfExecution)
        } catch let issue as ValidationIssue {
            throw AppError.validation(issue.message, details: [ErrorDetail(field: issue.field ?? "startDate", issue: issue.issue)])
        }
    }

    static let kycRequired = AppError(.forbidden, code: "KYC_REQUIRED", message: "Finish the identity check before sending money.")

    /// Checks the person, the payee, the account, the price and the limits, then writes the
    /// order (`pending_sca`) with its audit row. Nothing is asked of the bank yet.
    private func newOrder(user: UserRecord, recipientId: String, keeping approved: PayeeSnapshot? = nil, since approvedSince: Date? = nil,
                          bankAccountId: String, amountMinor: Int64,
                          schedule: StandingOrderSchedule,
                          message: String?, replacing: String?, idempotencyKey: String, requestHash: String?,
                          psuIPAddress: String) async throws -> StandingOrderRecord {
        guard user.kycStatus == .approved else { throw Self.kycRequired }
        let (recipient, account) = try await database.withConnection { db in
            (try await RecipientRepository.find(id: recipientId, userId: user.id, on: db),
             try await BankAccountRepository.find(id: bankAccountId, userId: user.id, on: db))
        }
        guard let recipient, recipient.deletedAt == nil else {
            throw AppError.validation("There is no such recipient.", details: [ErrorDetail(field: "recipientId", issue: "not_found")])
        }
        // A replacement that keeps the approved payee pays that snapshot, checked when it was approved.
        if approved == nil { try RecipientService.ensurePayable(recipient) }
        guard let account else {
            throw AppError.validation("There is no such bank account.", details: [ErrorDetail(field: "bankAccountId", issue: "not_found")])
        }
        try await paymentInitiation.ensurePayable(from: account)
        let now = clock()
        // Today's price fixes the fee and what the bank debits each time; the rate is each day's own.
        let quote = try await quotes.priced(
            QuoteInput(country: approved?.country ?? recipient.country, currency: approved?.currency ?? recipient.currency,
                       sendAmountMinor: amountMinor), now: now).quote
        let collection = OpenBankingAccountReference.bban(config.providers.payoutCollectionAccount)
        let order = StandingOrderRecord(
            id: RecordID.make(), userId: user.id, recipient: recipient, payee: approved, payeeSince: approvedSince, bankAccountId: account.id,
            amountMinor: quote.send.minorUnits, feeMinor: quote.fee.minorUnits, totalMinor: quote.total.minorUnits,
            schedule: schedule, message: message, replacesId: replacing, idempotencyKey: idempotencyKey, requestHash: requestHash,
            bankId: account.bankId, bankProduct: PaymentInitiation.product(amount: quote.total, creditor: collection).rawValue,
            bankRequestId: RecordID.make(), psuIpAddress: psuIPAddress, at: now)
        let written = try await database.transaction { db -> [StandingOrderRecord]? in
            // The person as they stand now, their row locked first: a verdict committed since the request
            // read them is screened, and one under way waits for this order's commit, then stops it with
            // the rest of theirs (`KYCService.stopWhatIsUnderWay`). Before, an order written just after the
            // verdict's stop could go live at the bank for someone who could no longer pay.
            let payer = try await AMLScreening.payerAsTheyStand(user, on: db)
            guard payer.kycStatus == .approved else { throw Self.kycRequired }
            // Each payment must fit the person's limits on its day (checked again then); one that
            // can never fit is refused now.
            try await spendingLimits.check(userId: user.id, amount: quote.send, on: db, now: now, lock: false)
            // Screened as its first payment would be: an order of someone the rules block (a sanctions
            // hit) would take their money before its payment's own screening refused it. Refused like
            // their remittance, and compliance sees the attempt: its alert commits with nothing else.
            let payee = try approved.map { try AMLScreening.Payee.recipient(recipient, paidTo: $0, since: order.payeeSince ?? now) } ?? .recipient(recipient)
            let assessment = try await AMLScreening.assess(transferId: order.id, user: payer, payee: payee, amount: quote.send, at: now, on: db)
            guard assessment.decision != .block else {
                try await AMLScreening.recordBlock(assessment, userId: user.id, at: now, on: db)
                return nil
            }
            // One change at a time: an earlier change of the same order still waiting for approval is
            // withdrawn, so two can never both become live.
            var superseded: [StandingOrderRecord] = []
            if let replacing {
                // Locked first: a change made at the same moment (another device, a second tab under
                // another key) waits here and then withdraws this one, instead of both reading "no
                // change waiting" and both going live at the bank, each paying every month.
                guard let old = try await StandingOrderRepository.lockForChange(id: replacing, userId: user.id, on: db),
                      old.status.canBeReplaced else {
                    throw AppError.conflict("Only a running or paused standing transfer can be changed.", code: "STANDING_ORDER_ENDED")
                }
                superseded = try await StandingOrderRepository.withdrawChanges(of: replacing, actor: .user(id: user.id), at: now, on: db)
            }
            try await StandingOrderRepository.insert(order, on: db)
            return superseded
        }
        guard let superseded = written else { throw AMLScreening.refusal }
        for earlier in superseded { await cancelAtBank(earlier) }
        return order
    }

    /// Asks the bank for the order's periodic payment (again after a lost answer: the same request
    /// id is the same order) and stores its id and approval page. `reasking`: an earlier attempt
    /// may have sent the request, so only the bank's refusal rejects the order.
    func askBank(_ order: StandingOrderRecord, client: BankConnectionService.Client, reasking: Bool = false) async throws -> Started {
        if order.status != .pendingSCA || order.scaRedirect != nil {
            return Started(standingOrder: .init(id: order.id), scaRedirect: order.status == .pendingSCA ? order.scaRedirect : nil)
        }
        guard let account = try await database.withConnection({
            try await BankAccountRepository.find(id: order.bankAccountId, userId: order.userId, on: $0)
        }), let debtor = account.bban.map(OpenBankingAccountReference.bban) ?? account.iban.map(OpenBankingAccountReference.iban),
              let schedule = order.schedule, let product = OpenBankingPaymentProduct(rawValue: order.bankProduct) else {
            throw AppError.conflict("The standing transfer's bank account is gone.", code: "BANK_RECONNECT_REQUIRED")
        }
        // Without a number (the person hasn't signed in since Drop kept it) the order goes without a PSU-ID, as
        // before. A read that failed is no such answer: the bank is not asked now (the retry or the reconciler
        // asks), or this order would be made, for good, without the check that the account is the payer's.
        let psu: NationalIdentityNumber?
        do { psu = try await bankConnections.psuId(userId: order.userId) } catch is AppError { psu = nil }
        let returnURL = publicBaseURL.url + "/v1/standing-orders/\(order.id)/sca-callback?client=\(client.rawValue)"
        let payment = OpenBankingPayment(
            debtorAccount: debtor, amount: Money(minorUnits: order.totalMinor, currency: .nok),
            creditorAccount: .bban(config.providers.payoutCollectionAccount), creditorName: config.providers.payoutCollectionName,
            remittanceInformationUnstructured: String(StandingOrderText.bankMessage(orderId: order.id).prefix(140)))
        let started: OpenBankingAuthorisationStart
        do {
            let answer = try await openBanking.wrapped.initiatePeriodicPayment(
                bank: order.bankId, product: product, order: OpenBankingPeriodicPayment(payment: payment, schedule: schedule),
                psuId: psu?.digitsForHashing, psuIPAddress: order.psuIpAddress, redirectURI: returnURL,
                nokRedirectURI: returnURL + "&result=nok", requestId: order.bankRequestId)
            started = try paymentInitiation.checked(answer, bankId: order.bankId)
        } catch where PaymentInitiation.certainlyNotMade(error, reasking: reasking) {
            // Nothing was made at the bank: the order ends here, and the key may make a new one.
            try await database.transaction { db in
                if try await StandingOrderRepository.move(id: order.id, from: .pendingSCA, to: .rejected, actor: .system,
                                                          at: clock(), on: db) {
                    try await StandingOrderRepository.freeIdempotencyKey(id: order.id, on: db)
                }
            }
            if let refused = error as? OpenBankingError { throw paymentInitiation.refusal(refused, bankId: order.bankId) }
            throw error
        }
        let now = clock()
        let recorded = try await database.transaction { db in
            try await StandingOrderRepository.recordInitiation(id: order.id, bankPaymentId: started.id, scaRedirect: started.scaRedirect, at: now, on: db)
        }
        guard recorded else { return try await notRecorded(order, started: started, product: product, at: now) }
        return Started(standingOrder: .init(id: order.id), scaRedirect: started.scaRedirect)
    }

    /// The bank's answer could not be stored: the order already has another periodic payment (a bank
    /// that did not honour the request id made a second), or it no longer waits for approval (withdrawn
    /// meanwhile). Only the payment Drop recorded is ever followed, so only its approval page is handed
    /// out; one Drop never recorded is cancelled at the bank, or the person could approve it and be paid
    /// from every month under an id Drop doesn't know, and operations hear of it.
    private func notRecorded(_ order: StandingOrderRecord, started: OpenBankingAuthorisationStart, product: OpenBankingPaymentProduct,
                             at now: Date) async throws -> Started {
        guard let current = try await database.withConnection({ try await StandingOrderRepository.find(id: order.id, on: $0) }) else {
            throw AppError.conflict("The standing transfer changed meanwhile; look at it again.", code: "STANDING_ORDER_STATUS")
        }
        if current.bankPaymentId != started.id {
            var cancelled = true
            do {
                try await openBanking.wrapped.cancelPeriodicPayment(bank: order.bankId, product: product, paymentId: started.id)
            } catch {
                cancelled = false
                logger.error("bank made a periodic payment Drop does not follow and did not cancel it", metadata: [
                    "standing_order_id": .string(order.id), "error_type": .string(String(describing: type(of: error)))])
            }
            try await database.transaction { db in
                if current.status == .pendingSCA {
                    try await OperationsAlertRepository.raise(.reconciliationMismatch, entityType: "standing_order", entityId: order.id,
                                                              details: OperationsAlertDetails.SecondBankPayment(cancelledAtBank: cancelled), at: now, on: db)
                } else {
                    try await OperationsAlertRepository.raise(
                        .reconciliationMismatch, entityType: "standing_order", entityId: order.id,
                        details: OperationsAlertDetails.OrderAfterEnd(status: current.status, cancelledAtBank: cancelled),
                        dedupeKey: "payment_after_end:\(order.id)", at: now, on: db)
                }
            }
        }
        // As a repeat finds it: the recorded page while it waits for approval, none once it has moved on.
        guard current.status == .pendingSCA else { return Started(standingOrder: .init(id: order.id), scaRedirect: nil) }
        guard let page = current.scaRedirect else {
            throw AppError.conflict("The standing transfer changed meanwhile; look at it again.", code: "STANDING_ORDER_STATUS")
        }
        return Started(standingOrder: .init(id: order.id), scaRedirect: page)
    }

    // MARK: Read

    public func list(userId: String) async throws -> [StandingOrderView] {
        let today = OsloCalendar.today(clock())
        return try await database.withConnection { db in
            var views: [StandingOrderView] = []
            for order in try await StandingOrderRepository.list(userId: userId, on: db) {
                views.append(StandingOrderView(order, recipient: try await RecipientRepository.find(id: order.recipientId, userId: userId, on: db), today: today))
            }
            return views
        }
    }

    public func find(id: String, userId: String) async throws -> StandingOrderView {
        let order = try await own(id: id, userId: userId)
        return try await database.withConnection { db in
            StandingOrderView(order, recipient: try await RecipientRepository.find(id: order.recipientId, userId: userId, on: db),
                              payments: try await StandingOrderRepository.payments(orderId: order.id, limit: 50, on: db),
                              today: OsloCalendar.today(clock()))
        }
    }

    func own(id: String, userId: String) async throws -> StandingOrderRecord {
        guard UUID(uuidString: id) != nil, let order = try await database.withConnection({
            try await StandingOrderRepository.find(id: id, userId: userId, on: $0)
        }) else { throw AppError.notFound("There is no such standing transfer.") }
        return order
    }

    // MARK: Pause and stop

    /// Pauses a running order: Drop writes it down first, then cancels the bank's order (the
    /// reconciler finishes that if the bank can't be reached now). A payment the bank makes
    /// meanwhile is returned, not sent on.
    public func pause(id: String, userId: String) async throws -> StandingOrderView {
        try await end(id: id, userId: userId, change: .pause)
    }

    public func stop(id: String, userId: String) async throws -> StandingOrderView {
        try await end(id: id, userId: userId, change: .stop)
    }

    private func end(id: String, userId: String, change: StandingOrderStatus.Change) async throws -> StandingOrderView {
        let order = try await own(id: id, userId: userId)
        guard let next = order.status.applying(change) else {
            throw AppError.conflict("The standing transfer is \(order.status.rawValue).", code: "STANDING_ORDER_STATUS")
        }
        let now = clock()
        let withdrawn = try await database.transaction { db -> [StandingOrderRecord]? in
            guard try await StandingOrderRepository.move(id: order.id, from: order.status, to: next, actor: .user(id: userId), at: now, on: db) else {
                return nil
            }
            // Stopped means no more payments: a change still waiting for the person's approval would
            // otherwise start paying again once approved.
            return change == .stop ? try await StandingOrderRepository.withdrawChanges(of: order.id, actor: .user(id: userId), at: now, on: db) : []
        }
        guard let withdrawn else { throw AppError.conflict("The standing transfer changed meanwhile; look again.", code: "STANDING_ORDER_STATUS") }
        await cancelAtBank(order)
        for pending in withdrawn { await cancelAtBank(pending) }
        return try await find(id: id, userId: userId)
    }

    /// Orders still waiting for approval when their owner lost their standing (sanctioned, rejected,
    /// erased, identity check no longer approved): stopped, so an approval can't start them, then
    /// cancelled at the bank (the reconciler retries). Running ones were stopped when the standing was
    /// lost (`KYCService.stopWhatIsUnderWay`); this catches one set up meanwhile, which would take
    /// the person's money into the collection account until a payment's own screening refused it.
    /// - Returns: how many were stopped.
    func withdrawWithoutStanding() async throws -> Int {
        let now = clock()
        let stopped = try await database.transaction { db -> [StandingOrderRecord] in
            var stopped: [StandingOrderRecord] = []
            for order in try await StandingOrderRepository.awaitingApprovalWithoutStanding(on: db)
            where try await StandingOrderRepository.move(id: order.id, from: .pendingSCA, to: .stopped, stopReason: "compliance", actor: .system,
                                                         at: now, on: db) {
                stopped.append(order)
            }
            return stopped
        }
        for order in stopped { await cancelAtBank(order) }
        return stopped.count
    }

    /// Asks the bank to make no more payments for the order, makes a transfer of every payment it made
    /// (one whose webhook was lost would otherwise never be heard: Drop stops reading an order once the bank
    /// has cancelled it), and then notes the bank's cancellation. A failure is left to the reconciler, which
    /// tries again. A bank that won't cancel (it wants the person's own approval of the cancellation, or
    /// refuses) is read all the same, each time: its order may pay on, and each payment goes back.
    @discardableResult
    func cancelAtBank(_ order: StandingOrderRecord) async -> Bool {
        guard let paymentId = order.bankPaymentId, let product = OpenBankingPaymentProduct(rawValue: order.bankProduct) else { return true }
        let bank = openBanking.wrapped
        // Stamped whatever the bank answers: the reconciler asks for those asked longest ago first.
        try? await database.withConnection { try await StandingOrderRepository.markCancellationAsked(id: order.id, at: clock(), on: $0) }
        // A replaced order keeps the payment days before its replacement's first: today's, not yet reported,
        // or Saturday's the bank pays on Monday. Cancelled before then, that period would be paid by neither.
        if await owesPaymentDayToItsReplacement(order.id) { return false }
        do {
            var refusal: (any Error)?
            do {
                try await bank.cancelPeriodicPayment(bank: order.bankId, product: product, paymentId: paymentId)
            } catch where Self.refusedByTheBank(error) {
                refusal = error
            }
            let report = try await bank.periodicPayment(bank: order.bankId, product: product, paymentId: paymentId)
            // A bank may refuse to cancel what has already ended (405 CANCELLATION_INVALID): its status says so.
            let stopped = refusal == nil || ["CANC", "RJCT"].contains(report.transactionStatus)
            if !stopped, let refusal { try await cancellationRefused(order, refusal: refusal, bankStatus: report.transactionStatus) }
            // What it paid is made into transfers whether or not it stopped: a payment Drop no longer runs
            // the order for goes back. Stopped at the bank, what it paid before is all it will ever pay; one
            // still in progress there is not an outcome yet: the cancellation is noted only once every
            // payment is, so the reconciler (which asks again, and reads again) hears how it ends.
            let allFinal = try await applyExecutions(of: order, report)
            guard stopped, allFinal else { return false }
            try await database.transaction { try await StandingOrderRepository.markBankCancelled(id: order.id, at: clock(), on: $0) }
            return true
        } catch {
            logger.notice("standing order not yet cancelled at the bank; the reconciler tries again",
                                   metadata: ["standing_order_id": .string(order.id), "error_type": .string(String(describing: type(of: error)))])
            return false
        }
    }

    /// Whether the order, replaced, still owes the bank a payment day before its replacement's first.
    /// A read that fails says nothing: taken as "owes nothing" it cancelled the old order before the
    /// bank made that day's payment, and the period was paid by neither order. Taken as "owes", the
    /// cancellation waits for the reconciler, which asks again.
    private func owesPaymentDayToItsReplacement(_ id: String) async -> Bool {
        let today = OsloCalendar.today(clock())
        let owes = try? await database.withConnection { db -> Bool in
            guard let current = try await StandingOrderRepository.find(id: id, on: db), current.status == .replaced,
                  let start = try await StandingOrderRepository.successorStart(of: id, on: db) else { return false }
            return current.owesPaymentDay(before: start, today: today)
        }
        return owes ?? true
    }

    /// The bank answered the cancellation and did not cancel (a 202 that wants the person's approval of
    /// it, a 4xx), as opposed to not answering (down, timing out, 5xx): asking again may not help.
    static func refusedByTheBank(_ error: any Error) -> Bool {
        if error is OpenBankingError { return true }
        if case ProviderError.http(_, let status, _) = error { return (400..<500).contains(status) }
        return false
    }

    /// The bank keeps a standing order Drop has ended: it may go on taking the person's money on each
    /// payment day (each payment is returned, read by the reconciler). Operations hear of it and the person
    /// is asked to cancel it in their bank's app, once while the alert is open.
    private func cancellationRefused(_ order: StandingOrderRecord, refusal: any Error, bankStatus: String) async throws {
        let code: String = switch refusal {
        case OpenBankingError.unknown(let code, _): code
        case OpenBankingError.formatError: "FORMAT_ERROR"
        case ProviderError.http(_, let status, _): "http_\(status)"
        default: String(describing: refusal)
        }
        logger.error("bank refused to cancel a standing order Drop has ended",
                     metadata: ["standing_order_id": .string(order.id), "refusal": .string(code)])
        let now = clock()
        try await database.transaction { db in
            guard let current = try await StandingOrderRepository.find(id: order.id, on: db),
                  try await OperationsAlertRepository.raise(
                    .standingOrderCancelRefused, entityType: "standing_order", entityId: order.id,
                    details: OperationsAlertDetails.StandingOrderCancelRefused(status: current.status, bankStatus: bankStatus, refusal: code),
                    dedupeKey: "standing_order_cancel_refused:\(order.id)", at: now, on: db) else { return }
            try await NotificationRepository.insert(NotificationRecord(
                userId: current.userId, kind: .standingOrderCancelAtBank, title: "Cancel the standing transfer in your bank",
                body: "Your bank did not let us cancel it, so it may still take money on its payment days. Cancel it in your bank's app. We return any payment it makes meanwhile.",
                link: NotificationLink(standingOrderId: current.id), createdAt: now), on: db)
        }
    }
}

extension StandingOrderService {
    /// After the bank's SCA page: reads the order's status at the bank and applies it. The page is public
    /// (the id is the key), so it asks at most once every few seconds per order (`ReturnPageAsks`).
    func followUp(id: String) async throws {
        guard let order = try await database.withConnection({ try await StandingOrderRepository.find(id: id, on: $0) }),
              order.status == .pendingSCA, let paymentId = order.bankPaymentId,
              let product = OpenBankingPaymentProduct(rawValue: order.bankProduct),
              returnPageAsks.mayAsk(order.id, now: clock()) else { return }
        let report = try await openBanking.wrapped.periodicPayment(bank: order.bankId, product: product, paymentId: paymentId)
        _ = try await applyBankStatus(order, code: report.transactionStatus, eventId: nil, rawBodyHash: nil)
    }
}
