import DropCore
import Foundation
import HTTPTypes
import Logging

/// The bank's ledger and memory: accounts and balances, consents, payments and the webhook
/// outbox, saved to its own JSON file after every change (written aside, then renamed) and read
/// back at start (or, without a file, kept in memory only). An actor, so a payment's debit and its
/// status change are never seen apart.
actor BankSandboxStore {
    private var state: BankSandboxState
    /// Payment ids by bank and `X-Request-ID`: a repeated initiation is found without reading every payment.
    private var paymentIdByRequest: [String: String] = [:]
    private var delivery = SandboxWebhookOutbox<BankSandboxOutboxWebhook>()
    private let fileURL: URL?
    private let scaTimeout: TimeInterval
    private let logger: Logger

    /// - Parameter customers: people whose catalogue accounts are opened at once, so payments to
    ///   them are credited before they ever link a bank.
    init(stateFilePath: String?, scaTimeout: Duration, customers: [String], logger: Logger) throws {
        fileURL = stateFilePath.map { URL(fileURLWithPath: $0) }
        let (seconds, attoseconds) = scaTimeout.components
        self.scaTimeout = Double(seconds) + Double(attoseconds) / 1e18
        self.logger = logger
        var state = try stateFilePath.map(Self.load(path:)) ?? BankSandboxState()
        var opened = false
        for id in customers where !state.accounts.values.contains(where: { $0.ownerNationalId == id }) {
            for account in BankSandboxAccountCatalogue.accounts(forNationalId: id) { state.accounts[account.accountNumber] = account }
            opened = true
        }
        self.state = state
        for payment in state.payments.values {
            if let requestId = payment.requestId { paymentIdByRequest[Self.requestKey(payment.bankId, requestId)] = payment.id }
        }
        if opened, let fileURL { try Self.write(state, to: fileURL) }
    }

    // MARK: Accounts

    /// The PSU's accounts at `bankId`, opening their catalogue accounts on first sight.
    func accounts(of psuId: String, at bankId: String) throws -> [BankSandboxAccount] {
        try openAccountsIfNeeded(for: psuId)
        return state.accounts.values
            .filter { $0.ownerNationalId == psuId && $0.bankId == bankId }
            .sorted { $0.accountNumber < $1.accountNumber }
    }

    func account(number: String) -> BankSandboxAccount? {
        state.accounts[number]
    }

    func account(iban: String) -> BankSandboxAccount? {
        state.accounts.values.first { $0.iban == iban }
    }

    private func openAccountsIfNeeded(for psuId: String) throws {
        guard !state.accounts.values.contains(where: { $0.ownerNationalId == psuId }) else { return }
        for account in BankSandboxAccountCatalogue.accounts(forNationalId: psuId) {
            state.accounts[account.accountNumber] = account
        }
        try save()
    }

    // MARK: Consents

    func insert(consent: BankSandboxConsent) throws {
        state.consents[consent.id] = consent
        try save()
    }

    /// The consent, moved to `expired` when its last valid day has passed.
    func consent(id: String, bankId: String, at date: Date) throws -> BankSandboxConsent? {
        guard var consent = state.consents[id], consent.bankId == bankId else { return nil }
        if [.valid, .received].contains(consent.status), BankSandboxCalendar.day(of: date) > consent.validUntil {
            consent.status = .expired
            state.consents[id] = consent
            try save()
        }
        return consent
    }

    /// The PSU signed in and approved: the consent becomes theirs, over these accounts.
    func approveConsent(id: String, psuId: String, accountNumbers: [String]) throws {
        state.consents[id]?.psuId = psuId
        state.consents[id]?.accountNumbers = accountNumbers
        state.consents[id]?.status = .valid
        try save()
    }

    func setConsentStatus(id: String, to status: BankSandboxConsentStatus) throws {
        state.consents[id]?.status = status
        try save()
    }

    /// Checks the consent for an account read and counts it when the PSU is not present.
    /// - Returns: the consent and the accounts it covers.
    func authoriseAccountRead(
        consentId: String, bankId: String, attended: Bool, at date: Date
    ) throws -> (consent: BankSandboxConsent, accounts: [BankSandboxAccount]) {
        guard var consent = try self.consent(id: consentId, bankId: bankId, at: date) else { throw BankSandboxAPIError.consentUnknown() }
        switch consent.status {
        case .valid: break
        case .expired: throw BankSandboxAPIError(.unauthorized, "CONSENT_EXPIRED", "The consent has expired.")
        default: throw BankSandboxAPIError(.unauthorized, "CONSENT_INVALID", "The consent is \(consent.status.rawValue), not valid.")
        }
        let day = BankSandboxCalendar.day(of: date)
        if !attended {
            let used = consent.unattendedAccesses[day, default: 0]
            guard used < consent.frequencyPerDay else {
                throw BankSandboxAPIError(
                    .tooManyRequests, "ACCESS_EXCEEDED",
                    "The consent's \(consent.frequencyPerDay) unattended accesses for today are used.",
                    retryAfterSeconds: Self.secondsUntilNextDay(from: date)
                )
            }
            // Keep only today's counter; older days no longer matter.
            consent.unattendedAccesses = [day: used + 1]
        }
        consent.lastActionDate = day
        state.consents[consentId] = consent
        try save()
        let accounts = consent.accountNumbers.compactMap { state.accounts[$0] }
        return (consent, accounts)
    }

    private static func secondsUntilNextDay(from date: Date) -> Int {
        let today = BankSandboxCalendar.day(of: date)
        var probe = date
        var seconds = 0
        // Step by 15 minutes until the Oslo day changes; at most 96 steps.
        while BankSandboxCalendar.day(of: probe) == today, seconds < 86_400 {
            probe = probe.addingTimeInterval(900)
            seconds += 900
        }
        return max(seconds, 1)
    }

    // MARK: Payments

    /// Stores a new payment, or returns the one an earlier request with the same `X-Request-ID`
    /// made (nil `existing` means this one was stored).
    func insert(payment: BankSandboxPayment) throws -> BankSandboxPayment? {
        if let requestId = payment.requestId,
           let existing = paymentIdByRequest[Self.requestKey(payment.bankId, requestId)].flatMap({ state.payments[$0] }) {
            return existing
        }
        state.payments[payment.id] = payment
        if let requestId = payment.requestId { paymentIdByRequest[Self.requestKey(payment.bankId, requestId)] = payment.id }
        try save()
        return nil
    }

    private static func requestKey(_ bankId: String, _ requestId: String) -> String { bankId + "\u{1F}" + requestId }

    /// Every payment the bank holds, for tests and the crash harness ("no payment unknown to Drop").
    var allPayments: [BankSandboxPayment] { Array(state.payments.values) }

    /// The payment, rejected first when its SCA window has closed.
    func payment(id: String, bankId: String, at date: Date) throws -> BankSandboxPayment? {
        guard let payment = state.payments[id], payment.bankId == bankId else { return nil }
        if payment.awaitsSCA, date.timeIntervalSince(payment.createdAt) > scaTimeout {
            try changeStatus(of: id, to: .rejected, reason: "AB05", at: date)
            try save()
        }
        return state.payments[id]
    }

    /// Rejects every payment whose SCA window has closed. - Returns: how many.
    @discardableResult
    func rejectOverdueAuthorisations(at date: Date) throws -> Int {
        let overdue = state.payments.values.filter { $0.awaitsSCA && date.timeIntervalSince($0.createdAt) > scaTimeout }
        for payment in overdue { try changeStatus(of: payment.id, to: .rejected, reason: "AB05", at: date) }
        let overdueOrders = state.periodicPayments.values.filter { $0.awaitsSCA && date.timeIntervalSince($0.createdAt) > scaTimeout }
        for order in overdueOrders { changeStatus(ofPeriodic: order.id, to: .rejected, reason: "AB05", at: date) }
        if !overdue.isEmpty || !overdueOrders.isEmpty { try save() }
        return overdue.count + overdueOrders.count
    }

    func cancel(paymentId: String, at date: Date) throws {
        guard let payment = state.payments[paymentId] else { throw BankSandboxAPIError.resourceUnknown("No such payment.") }
        guard payment.awaitsSCA else {
            throw BankSandboxAPIError(.methodNotAllowed, "CANCELLATION_INVALID", "The payment is \(payment.status.rawValue) and can no longer be cancelled.")
        }
        try changeStatus(of: paymentId, to: .cancelled, reason: nil, at: date)
        try save()
    }

    /// The PSU's decision at the SCA page. Approval executes the payment at once: the debtor is
    /// debited (or the payment rejected for lack of funds) and an in-bank creditor credited.
    func decide(paymentId: String, approve: Bool, at date: Date) throws -> BankSandboxPayment {
        guard let payment = state.payments[paymentId] else { throw BankSandboxAPIError.resourceUnknown("No such payment.") }
        guard payment.awaitsSCA else { throw BankSandboxAPIError(.conflict, "STATUS_INVALID", "The payment is \(payment.status.rawValue).") }
        guard approve else {
            try changeStatus(of: paymentId, to: .rejected, reason: "MS02", at: date)
            try save()
            return state.payments[paymentId] ?? payment
        }
        try changeStatus(of: paymentId, to: .accepted, reason: nil, at: date)
        guard var debtor = state.accounts[payment.debtorAccountNumber], debtor.balanceMinorUnits >= payment.debitMinorUnits else {
            state.payments[paymentId]?.fundsAvailable = false
            try changeStatus(of: paymentId, to: .rejected, reason: "AM04", at: date)
            try save()
            return state.payments[paymentId] ?? payment
        }
        debtor.balanceMinorUnits -= payment.debitMinorUnits
        state.accounts[debtor.accountNumber] = debtor
        state.payments[paymentId]?.fundsAvailable = true
        try changeStatus(of: paymentId, to: .settled, reason: nil, at: date)
        let creditor = payment.creditorAccountIsIBAN ? account(iban: payment.creditorAccount) : state.accounts[payment.creditorAccount]
        if var creditor, payment.currency == creditor.currency {
            creditor.balanceMinorUnits += payment.amountMinorUnits
            state.accounts[creditor.accountNumber] = creditor
            try changeStatus(of: paymentId, to: .credited, reason: nil, at: date)
        }
        try save()
        return state.payments[paymentId] ?? payment
    }

    /// A payment into `creditorAccount` under this end-to-end id that moved money: a single payment,
    /// or one execution of a standing order (each has its own end-to-end id).
    func executedPayment(to creditorAccount: String, endToEndId: String) -> (amountMinorUnits: Int64, debtorAccount: String)? {
        if let payment = state.payments.values.first(where: {
            $0.creditorAccount == creditorAccount && $0.endToEndIdentification == endToEndId && $0.fundsAvailable == true
                && $0.status.isExecuted
        }) {
            return (payment.amountMinorUnits, payment.debtorAccountNumber)
        }
        for order in state.periodicPayments.values where order.creditorAccount == creditorAccount {
            if order.executions.contains(where: { $0.endToEndIdentification == endToEndId && $0.status == .settled }) {
                return (order.amountMinorUnits, order.debtorAccountNumber)
            }
        }
        return nil
    }

    func setBalance(_ minorUnits: Int64, ofAccount accountNumber: String) throws {
        guard state.accounts[accountNumber] != nil else { throw BankSandboxAPIError.resourceUnknown("No such account.") }
        state.accounts[accountNumber]?.balanceMinorUnits = minorUnits
        try save()
    }

    func creditIncoming(_ amountMinorUnits: Int64, toAccount accountNumber: String) throws {
        guard var account = state.accounts[accountNumber], account.currency == "NOK" else {
            throw BankSandboxAPIError.resourceUnknown("No such account.")
        }
        account.balanceMinorUnits += amountMinorUnits
        state.accounts[accountNumber] = account
        try save()
    }

    /// Sets the status and queues its webhook; the caller saves.
    private func changeStatus(of paymentId: String, to status: ISO20022TransactionStatus, reason: String?, at date: Date) throws {
        guard state.payments[paymentId] != nil else { return }
        state.payments[paymentId]?.status = status
        state.payments[paymentId]?.reasonCode = reason
        state.lastWebhookId += 1
        var event: [String: Any] = [
            "eventId": "evt-\(state.lastWebhookId)-\(RecordID.make())",
            "paymentId": paymentId,
            "transactionStatus": status.rawValue,
            "occurredAt": BankSandboxCalendar.iso8601(date),
        ]
        // Why, for a rejection: the same ISO 20022 reason the status endpoint gives.
        if let reason { event["statusReasonInformation"] = reason }
        let body = BankSandboxJSON.text(event)
        state.outbox.append(BankSandboxOutboxWebhook(id: state.lastWebhookId, paymentId: paymentId, body: body, attempts: 0, nextAttemptAt: date))
        logger.info("bank sandbox payment status changed", metadata: ["payment_id": "\(paymentId)", "status": "\(status.rawValue)"])
    }

    // MARK: Periodic payments

    /// Stores a new standing order, or returns the one an earlier request with the same
    /// `X-Request-ID` made (nil means this one was stored).
    func insert(periodicPayment order: BankSandboxPeriodicPayment) throws -> BankSandboxPeriodicPayment? {
        if let requestId = order.requestId,
           let existing = state.periodicPayments.values.first(where: { $0.requestId == requestId && $0.bankId == order.bankId }) {
            return existing
        }
        state.periodicPayments[order.id] = order
        try save()
        return nil
    }

    var allPeriodicPayments: [BankSandboxPeriodicPayment] { Array(state.periodicPayments.values) }

    /// The standing order, rejected first when its SCA window has closed.
    func periodicPayment(id: String, bankId: String, at date: Date) throws -> BankSandboxPeriodicPayment? {
        guard let order = state.periodicPayments[id], order.bankId == bankId else { return nil }
        if order.awaitsSCA, date.timeIntervalSince(order.createdAt) > scaTimeout {
            changeStatus(ofPeriodic: id, to: .rejected, reason: "AB05", at: date)
            try save()
        }
        return state.periodicPayments[id]
    }

    /// The PSU's decision at the SCA page: approval makes the order live (`ACTC`); nothing is paid
    /// until its first day.
    func decide(periodicPaymentId id: String, approve: Bool, at date: Date) throws -> BankSandboxPeriodicPayment {
        guard let order = state.periodicPayments[id] else { throw BankSandboxAPIError.resourceUnknown("No such payment.") }
        guard order.awaitsSCA else { throw BankSandboxAPIError(.conflict, "STATUS_INVALID", "The payment is \(order.status.rawValue).") }
        changeStatus(ofPeriodic: id, to: approve ? .accepted : .rejected, reason: approve ? nil : "MS02", at: date)
        try save()
        return state.periodicPayments[id] ?? order
    }

    func cancel(periodicPaymentId id: String, at date: Date) throws {
        guard let order = state.periodicPayments[id] else { throw BankSandboxAPIError.resourceUnknown("No such payment.") }
        switch order.status {
        case .cancelled: return
        case .received, .accepted:
            changeStatus(ofPeriodic: id, to: .cancelled, reason: nil, at: date)
            try save()
        default:
            throw BankSandboxAPIError(.methodNotAllowed, "CANCELLATION_INVALID", "The payment is \(order.status.rawValue) and can no longer be cancelled.")
        }
    }

    /// Pays every live standing order's due days up to `date`'s Oslo day, oldest first: the
    /// debtor is debited (or the execution rejected, AM04), an in-bank creditor credited, and
    /// each execution reported. - Returns: how many executions were made.
    @discardableResult
    func executeDuePeriodicPayments(at date: Date) throws -> Int {
        guard let today = try? CalendarDate(iso: BankSandboxCalendar.day(of: date)) else { return 0 }
        var made = 0
        for order in state.periodicPayments.values.sorted(by: { $0.createdAt < $1.createdAt }) where order.status == .accepted {
            guard let frequency = StandingOrderFrequency(bankCode: order.frequency), let start = try? CalendarDate(iso: order.startDate),
                  let schedule = try? StandingOrderSchedule(frequency: frequency, startDate: start,
                                                            endDate: order.endDate.flatMap { try? CalendarDate(iso: $0) },
                                                            dayOfExecution: order.dayOfExecution) else { continue }
            let last = order.executions.last.flatMap { try? CalendarDate(iso: $0.executionDate) }
            for day in schedule.executions(after: last, through: today) {
                execute(order.id, on: day, at: date)
                made += 1
            }
        }
        if made > 0 { try save() }
        return made
    }

    private func execute(_ id: String, on day: CalendarDate, at date: Date) {
        guard let order = state.periodicPayments[id] else { return }
        let endToEnd = UUID().uuidString.replacingOccurrences(of: "-", with: "")
        var execution = BankSandboxPeriodicPayment.Execution(
            id: RecordID.make(), executionDate: day.iso, endToEndIdentification: endToEnd, status: .settled, reasonCode: nil, bookedAt: date)
        if var debtor = state.accounts[order.debtorAccountNumber], debtor.balanceMinorUnits >= order.debitMinorUnits {
            debtor.balanceMinorUnits -= order.debitMinorUnits
            state.accounts[debtor.accountNumber] = debtor
            let creditor = order.creditorAccountIsIBAN ? account(iban: order.creditorAccount) : state.accounts[order.creditorAccount]
            if var creditor, creditor.currency == order.currency {
                creditor.balanceMinorUnits += order.amountMinorUnits
                state.accounts[creditor.accountNumber] = creditor
            }
        } else {
            execution = BankSandboxPeriodicPayment.Execution(
                id: execution.id, executionDate: day.iso, endToEndIdentification: endToEnd, status: .rejected, reasonCode: "AM04", bookedAt: date)
        }
        state.periodicPayments[id]?.executions.append(execution)
        var event = order.json(execution)
        event["eventId"] = "evt-\(state.lastWebhookId + 1)-\(RecordID.make())"
        event["paymentId"] = id
        event["paymentService"] = "periodic-payments"
        event["occurredAt"] = BankSandboxCalendar.iso8601(date)
        queueWebhook(paymentId: id, event, at: date)
        logger.info("bank sandbox executed a standing order", metadata: ["payment_id": "\(id)", "status": "\(execution.status.rawValue)"])
    }

    private func changeStatus(ofPeriodic id: String, to status: ISO20022TransactionStatus, reason: String?, at date: Date) {
        state.periodicPayments[id]?.status = status
        state.periodicPayments[id]?.reasonCode = reason
        var event: [String: Any] = [
            "eventId": "evt-\(state.lastWebhookId + 1)-\(RecordID.make())", "paymentId": id,
            "paymentService": "periodic-payments", "transactionStatus": status.rawValue, "occurredAt": BankSandboxCalendar.iso8601(date),
        ]
        if let reason { event["statusReasonInformation"] = reason }
        queueWebhook(paymentId: id, event, at: date)
        logger.info("bank sandbox standing order status changed", metadata: ["payment_id": "\(id)", "status": "\(status.rawValue)"])
    }

    /// Queues a webhook; the caller saves.
    private func queueWebhook(paymentId: String, _ event: [String: Any], at date: Date) {
        state.lastWebhookId += 1
        state.outbox.append(BankSandboxOutboxWebhook(id: state.lastWebhookId, paymentId: paymentId, body: BankSandboxJSON.text(event),
                                                     attempts: 0, nextAttemptAt: date))
    }

    // MARK: Webhook outbox

    var undeliveredWebhookCount: Int { state.outbox.count }

    /// The webhooks due at `date`, oldest first per payment, so Drop sees one payment's statuses in order.
    func claimDueWebhooks(at date: Date, excluding attempted: Set<Int>) -> [BankSandboxOutboxWebhook] {
        delivery.claimDue(in: state.outbox, at: date, excluding: attempted)
    }

    func acknowledge(webhookId: Int) throws {
        delivery.acknowledge(webhookId, in: &state.outbox)
        try save()
    }

    func recordFailedDelivery(webhookId: Int, at date: Date, retrySchedule: [Duration]) throws {
        if case .gaveUp(let dropped) = delivery.recordFailure(webhookId, in: &state.outbox, at: date, retrySchedule: retrySchedule) {
            logger.warning("bank sandbox gave up on a webhook", metadata: ["webhook_id": "\(dropped.id)", "attempts": "\(dropped.attempts)"])
        }
        try save()
    }

    // MARK: Persistence

    private func save() throws {
        guard let fileURL else { return }
        try Self.write(state, to: fileURL)
    }

    private static func write(_ state: BankSandboxState, to fileURL: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(state)
        try FileManager.default.createDirectory(at: fileURL.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: fileURL, options: .atomic)
    }

    private static func load(path: String) throws -> BankSandboxState {
        guard FileManager.default.fileExists(atPath: path) else { return BankSandboxState() }
        let state = try JSONDecoder().decode(BankSandboxState.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        guard state.version == BankSandboxState.currentVersion else {
            throw BankSandboxAPIError(.internalServerError, "STATE_UNREADABLE", "state file version \(state.version)")
        }
        return state
    }
}
