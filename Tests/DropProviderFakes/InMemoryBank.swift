import DropCore
import DropProviders

/// Norwegian banks as an `OpenBanking` fake for tests at the router: consents, accounts with their
/// balances, single payments and standing orders, kept in memory and judged the way a real bank
/// (and the bank sandbox) judges them. Only the account's holder can approve a consent or a payment
/// that names them, a consent gives its accounts only while valid and at most `frequencyPerDay`
/// unattended reads a day, a repeated `X-Request-ID` is the first payment, an approved payment
/// moves the money or is refused for want of it, and a bank taken down fails calls through a real
/// circuit breaker, as the live client does.
///
/// What a person does at their bank (approve, refuse) is a method here that a test calls where a
/// person would have followed `scaRedirect`. Standing orders are taken, read and cancelled; their
/// approval and the payments the bank makes on its own clock are tested through the bank sandbox.
public actor InMemoryBank: OpenBanking {
    public struct Account: Sendable {
        public let bank: String
        public let holder: String
        public let iban: String
        public let bban: String?
        public let currency: String
        public let name: String?
        public var balanceMinor: Int64

        /// Its 11-digit number, listed or not: the BBAN, else the one inside a Norwegian IBAN.
        public var accountNumber: String? { NorwegianAccountNumber.of(bban: bban, iban: iban)?.digits ?? bban }
    }

    struct Consent {
        let bank: String
        let psuId: String?
        let frequencyPerDay: Int
        var status: String
        var approvedBy: String?
        var unattendedReads = 0
    }

    struct Payment {
        let bank: String
        let product: OpenBankingPaymentProduct
        let payment: OpenBankingPayment
        let psuId: String?
        let redirectURI: String?
        var status: String
        var reason: String?
    }

    struct StandingOrder {
        let bank: String
        let order: OpenBankingPeriodicPayment
        let psuId: String?
        var status: String
    }

    public private(set) var accounts: [String: Account] = [:]
    private var consents: [String: Consent] = [:]
    private var payments: [String: Payment] = [:]
    private var standingOrders: [String: StandingOrder] = [:]
    private var byRequestId: [String: String] = [:]
    private var down: Set<String> = []
    /// Initiations still to be held (`holdNextPaymentAnswers`), and whether held ones may answer.
    private var answersToHold = 0
    private var ignoresRequestIds = false
    /// Where the approval pages are said to be (nil: the bank's own `https://{bank}.bank.test`).
    private var scaPagesAt: String?
    private var heldAnswersReleased = true
    public private(set) var heldPaymentAnswers = 0
    private var breakers: [String: CircuitBreaker] = [:]
    private var nextId = 0

    public init() {}

    // MARK: What a test sets up and does in a person's place

    /// Opens an account at `bank` for the person with national identity number `holder`.
    public func open(bank: String = "dnb", holder: String, iban: String, bban: String? = nil, currency: String = "NOK",
                     name: String? = nil, balanceMinor: Int64) {
        accounts[iban] = Account(bank: bank, holder: holder, iban: iban, bban: bban, currency: currency, name: name, balanceMinor: balanceMinor)
    }

    /// `psuId` approves the consent at their bank. A consent that names a PSU can be approved by
    /// them only; one that doesn't is approved by whoever signs in.
    public func approveConsent(_ id: String, as psuId: String) throws {
        guard var consent = consents[id], consent.status == "received" else { throw Refusal.notAwaitingApproval }
        if let named = consent.psuId, named != psuId { throw Refusal.notThePSU }
        consent.status = "valid"
        consent.approvedBy = psuId
        consents[id] = consent
    }

    /// The person says no at the bank.
    public func refuseConsent(_ id: String) throws {
        guard consents[id]?.status == "received" else { throw Refusal.notAwaitingApproval }
        consents[id]?.status = "rejected"
    }

    /// The person approves a payment: the bank pays if the money is there (`ACSC`), else refuses it
    /// (`RJCT`, `AM04`). Returns where the bank sends the person back (the TPP's redirect).
    @discardableResult
    public func approvePayment(_ id: String, as psuId: String) throws -> String? {
        guard var payment = payments[id], payment.status == "RCVD" else { throw Refusal.notAwaitingApproval }
        guard let debtor = account(payment.payment.debtorAccount), debtor.holder == psuId,
              payment.psuId == nil || payment.psuId == psuId else { throw Refusal.notThePSU }
        if debtor.balanceMinor < payment.payment.amount.minorUnits {
            payment.status = "RJCT"
            payment.reason = "AM04"
        } else {
            accounts[debtor.iban]?.balanceMinor -= payment.payment.amount.minorUnits
            payment.status = "ACSC"
        }
        payments[id] = payment
        return payment.redirectURI
    }

    /// The next `count` payment initiations are made, then not answered until
    /// `releaseHeldPaymentAnswers()`: a slow bank. A caller cancelled meanwhile gets
    /// `CancellationError`, as from the live client, and the payment stays made.
    /// A bank that makes a new payment for a repeated `X-Request-ID` (as one that doesn't keep them would).
    public func ignoreRequestIds(_ ignoring: Bool = true) { ignoresRequestIds = ignoring }

    public func holdNextPaymentAnswers(_ count: Int = 1) {
        answersToHold = count
        heldAnswersReleased = false
    }

    public func releaseHeldPaymentAnswers() { heldAnswersReleased = true }

    /// A bank (or something in its place) that answers with approval pages at `base` instead of its
    /// own; nil goes back to its own.
    public func answerSCAPages(at base: String?) { scaPagesAt = base }

    /// Every payment carrying `endToEndId`, and its status (`RCVD`, `CANC`, …).
    public func paymentStatuses(endToEndId: String) -> [(id: String, status: String)] {
        payments.filter { $0.value.payment.endToEndIdentification == endToEndId }.map { (id: $0.key, status: $0.value.status) }
    }

    /// Every periodic payment (standing order) the bank holds, and its status (`RCVD`, `CANC`, …).
    public func periodicPaymentStatuses() -> [(id: String, status: String)] {
        standingOrders.map { (id: $0.key, status: $0.value.status) }
    }

    /// The `PSU-ID` each periodic payment (standing order) was asked with (nil: none was sent).
    public func periodicPaymentPSUs() -> [(id: String, psuId: String?)] {
        standingOrders.map { (id: $0.key, psuId: $0.value.psuId) }
    }

    /// Every call to `bank` fails as a bank that can't be reached does, until `bringUp`.
    public func takeDown(_ bank: String) { down.insert(bank) }
    public func bringUp(_ bank: String) { down.remove(bank) }

    public func balance(of iban: String) -> Int64? { accounts[iban]?.balanceMinor }

    /// Money arrives in the account with this account number from outside the bank (a return).
    public func deposit(_ minor: Int64, toAccountNumber bban: String) {
        guard let iban = accounts.values.first(where: { $0.accountNumber == bban })?.iban else { return }
        accounts[iban]?.balanceMinor += minor
    }

    /// Money leaves the account some other way than through Drop (a card, another app).
    public func withdraw(_ minor: Int64, from iban: String) { accounts[iban]?.balanceMinor -= minor }

    /// A payment the bank executed into `creditor` (an account number) under `endToEndId`: what a
    /// payout partner sees arriving in its collection account, and from which account.
    public func executedPayment(to creditor: String, endToEndId: String) -> (amountMinor: Int64, debtorBBAN: String?)? {
        for payment in payments.values where payment.status == "ACSC" && payment.payment.endToEndIdentification == endToEndId {
            let paidTo: String = switch payment.payment.creditorAccount {
            case .bban(let number): number
            case .iban(let iban): iban
            }
            guard paidTo == creditor else { continue }
            return (payment.payment.amount.minorUnits, account(payment.payment.debtorAccount)?.accountNumber)
        }
        return nil
    }

    /// The person withdraws, in their bank's app, every consent they gave.
    public func revokeConsents(of holder: String) {
        for (id, consent) in consents where consent.approvedBy == holder && consent.status == "valid" {
            consents[id]?.status = "revokedByPsu"
        }
    }

    public enum Refusal: Error, Sendable {
        case notAwaitingApproval
        case notThePSU
    }

    // MARK: OpenBanking

    public func breakerSnapshot(for bank: String) async -> CircuitBreaker.Snapshot {
        await breaker(bank).snapshot
    }

    public func createConsent(
        bank: String, psuId: String?, psuIPAddress: String, validUntil: String, frequencyPerDay: Int,
        redirectURI: String?, nokRedirectURI: String?
    ) async throws -> OpenBankingAuthorisationStart {
        try await reach(bank)
        guard frequencyPerDay >= 1 else { throw OpenBankingError.formatError("frequencyPerDay must be at least 1") }
        let id = newId("consent")
        consents[id] = Consent(bank: bank, psuId: psuId, frequencyPerDay: frequencyPerDay, status: "received")
        return OpenBankingAuthorisationStart(id: id, status: "received", scaRedirect: "https://\(bank).bank.test/sca/consents/\(id)")
    }

    public func consent(bank: String, consentId: String) async throws -> (status: String, psuId: String?) {
        try await reach(bank)
        guard let consent = consents[consentId], consent.bank == bank else { throw OpenBankingError.consentUnknown }
        return (consent.status, consent.approvedBy)
    }

    public func deleteConsent(bank: String, consentId: String) async throws {
        try await reach(bank)
        guard let consent = consents[consentId], consent.bank == bank else { throw OpenBankingError.consentUnknown }
        consents[consentId]?.status = "terminatedByTpp"
    }

    public func accounts(bank: String, consentId: String, psuIPAddress: String?) async throws -> [OpenBankingAccount] {
        try await reach(bank)
        guard let consent = consents[consentId], consent.bank == bank else { throw OpenBankingError.consentUnknown }
        guard consent.status == "valid", let holder = consent.approvedBy else { throw OpenBankingError.consentInvalid }
        if psuIPAddress == nil {
            guard consent.unattendedReads < consent.frequencyPerDay else { throw OpenBankingError.accessExceeded }
            consents[consentId]?.unattendedReads += 1
        }
        return accounts.values.filter { $0.bank == bank && $0.holder == holder }.sorted { $0.iban < $1.iban }.map { account in
            let currency = Currency(rawValue: account.currency)
            return OpenBankingAccount(resourceId: account.iban, iban: account.iban, bban: account.bban, currency: account.currency,
                                      name: account.name, product: nil,
                                      balance: currency.map { Money(minorUnits: account.balanceMinor, currency: $0) })
        }
    }

    public func initiatePayment(
        bank: String, product: OpenBankingPaymentProduct, payment: OpenBankingPayment, psuId: String?, psuIPAddress: String,
        redirectURI: String?, nokRedirectURI: String?, requestId: String?
    ) async throws -> OpenBankingAuthorisationStart {
        try await reach(bank)
        if let requestId, !ignoresRequestIds, let first = byRequestId[requestId], let earlier = payments[first] {
            return OpenBankingAuthorisationStart(id: first, status: earlier.status, scaRedirect: scaPage(bank, "payments", first))
        }
        try validate(payment, at: bank, psuId: psuId)
        let id = newId("payment")
        payments[id] = Payment(bank: bank, product: product, payment: payment, psuId: psuId, redirectURI: redirectURI, status: "RCVD")
        if let requestId { byRequestId[requestId] = id }
        if answersToHold > 0 {
            answersToHold -= 1
            heldPaymentAnswers += 1
            defer { heldPaymentAnswers -= 1 }
            while !heldAnswersReleased { try await Task.sleep(for: .milliseconds(5)) }
        }
        return OpenBankingAuthorisationStart(id: id, status: "RCVD", scaRedirect: scaPage(bank, "payments", id))
    }

    public func paymentStatus(bank: String, product: OpenBankingPaymentProduct, paymentId: String) async throws -> OpenBankingPaymentStatus {
        try await reach(bank)
        guard let payment = payments[paymentId], payment.bank == bank, payment.product == product else {
            throw OpenBankingError.unknown(code: "RESOURCE_UNKNOWN", status: 404)
        }
        return OpenBankingPaymentStatus(transactionStatus: payment.status, fundsAvailable: nil, statusReason: payment.reason)
    }

    public func cancelPayment(bank: String, product: OpenBankingPaymentProduct, paymentId: String) async throws {
        try await reach(bank)
        guard let payment = payments[paymentId], payment.bank == bank else { throw OpenBankingError.unknown(code: "RESOURCE_UNKNOWN", status: 404) }
        // Money that has moved can't be called back by cancelling.
        guard payment.status == "RCVD" else { throw OpenBankingError.unknown(code: "CANCELLATION_INVALID", status: 405) }
        payments[paymentId]?.status = "CANC"
    }

    public func initiatePeriodicPayment(
        bank: String, product: OpenBankingPaymentProduct, order: OpenBankingPeriodicPayment, psuId: String?, psuIPAddress: String,
        redirectURI: String?, nokRedirectURI: String?, requestId: String?
    ) async throws -> OpenBankingAuthorisationStart {
        try await reach(bank)
        if let requestId, !ignoresRequestIds, let first = byRequestId[requestId], let earlier = standingOrders[first] {
            return OpenBankingAuthorisationStart(id: first, status: earlier.status, scaRedirect: scaPage(bank, "periodic-payments", first))
        }
        try validate(order.payment, at: bank, psuId: psuId)
        let id = newId("standing")
        standingOrders[id] = StandingOrder(bank: bank, order: order, psuId: psuId, status: "RCVD")
        if let requestId { byRequestId[requestId] = id }
        return OpenBankingAuthorisationStart(id: id, status: "RCVD", scaRedirect: scaPage(bank, "periodic-payments", id))
    }

    public func periodicPayment(bank: String, product: OpenBankingPaymentProduct, paymentId: String) async throws -> OpenBankingPeriodicPaymentReport {
        try await reach(bank)
        guard let order = standingOrders[paymentId], order.bank == bank else { throw OpenBankingError.unknown(code: "RESOURCE_UNKNOWN", status: 404) }
        return OpenBankingPeriodicPaymentReport(transactionStatus: order.status, statusReason: nil, executions: [])
    }

    public func cancelPeriodicPayment(bank: String, product: OpenBankingPaymentProduct, paymentId: String) async throws {
        try await reach(bank)
        guard let order = standingOrders[paymentId], order.bank == bank else { throw OpenBankingError.unknown(code: "RESOURCE_UNKNOWN", status: 404) }
        guard ["RCVD", "ACTC"].contains(order.status) else { throw OpenBankingError.unknown(code: "CANCELLATION_INVALID", status: 405) }
        standingOrders[paymentId]?.status = "CANC"
    }

    // MARK: Plumbing

    /// Every call passes the bank's breaker, and fails as unreachable while the bank is down.
    private func reach(_ bank: String) async throws {
        let isDown = down.contains(bank)
        do {
            try await breaker(bank).run {
                if isDown { throw ProviderError.unavailable(provider: "bank-\(bank)", retryAfter: nil) }
            }
        } catch let open as CircuitOpenError {
            throw ProviderError.circuitOpen(provider: open.provider, retryAfter: open.retryAfter)
        }
    }

    private func breaker(_ bank: String) -> CircuitBreaker {
        if let existing = breakers[bank] { return existing }
        let made = CircuitBreaker(provider: "bank-\(bank)")
        breakers[bank] = made
        return made
    }

    /// What the bank checks before it takes a payment for approval.
    private func validate(_ payment: OpenBankingPayment, at bank: String, psuId: String?) throws {
        guard payment.amount.minorUnits > 0 else { throw OpenBankingError.formatError("instructedAmount must be positive") }
        guard let debtor = account(payment.debtorAccount), debtor.bank == bank else {
            throw OpenBankingError.formatError("debtorAccount is not an account at this bank")
        }
        guard debtor.currency == payment.amount.currency.code else { throw OpenBankingError.formatError("instructedAmount is not in the account's currency") }
        if let psuId, psuId != debtor.holder { throw OpenBankingError.unknown(code: "PSU_CREDENTIALS_INVALID", status: 401) }
        guard !payment.creditorName.isEmpty, payment.creditorName.count <= 70 else { throw OpenBankingError.formatError("creditorName") }
    }

    private func account(_ reference: OpenBankingAccountReference) -> Account? {
        switch reference {
        case .iban(let iban): accounts[iban]
        case .bban(let bban): accounts.values.first { $0.bban == bban }
        }
    }

    private func newId(_ kind: String) -> String {
        nextId += 1
        return "\(kind)-\(nextId)"
    }

    private func scaPage(_ bank: String, _ service: String, _ id: String) -> String {
        "\(scaPagesAt ?? "https://\(bank).bank.test")/sca/\(service)/\(id)"
    }
}
