import DropCore

/// What Drop asks of a person's bank under PSD2: AIS consents and the accounts with their balances,
/// single payments and standing orders, each approved by the person at their bank (SCA).
///
/// `NextGenPSD2Client` is the live one (over HTTP to every bank, the bank sandbox in development);
/// `InMemoryBank` (`Tests/DropProviderFakes`) keeps one bank's state in memory for tests at the router.
/// Refusals are `OpenBankingError`; a bank that can't be reached is `ProviderError`.
public protocol OpenBanking: Sendable {
    /// Whether calls to `bank` are getting through: checked before a payment is asked, so a bank
    /// known to be down fails fast instead of failing the payment.
    func breakerSnapshot(for bank: String) async -> CircuitBreaker.Snapshot

    /// An AIS consent for all the PSU's accounts with balances; the person approves it at `scaRedirect`.
    func createConsent(
        bank: String, psuId: String?, psuIPAddress: String, validUntil: String, frequencyPerDay: Int,
        redirectURI: String?, nokRedirectURI: String?
    ) async throws -> OpenBankingAuthorisationStart
    /// The consent's status (`received`, `valid`, `rejected`, `revokedByPsu`, `expired`, `terminatedByTpp`)
    /// and the person who approved it, where the bank says.
    func consent(bank: String, consentId: String) async throws -> (status: String, psuId: String?)
    func deleteConsent(bank: String, consentId: String) async throws
    /// The consent's accounts with balances. `psuIPAddress` nil means the person is not present
    /// (it counts against the consent's daily budget).
    func accounts(bank: String, consentId: String, psuIPAddress: String?) async throws -> [OpenBankingAccount]

    /// Asks the bank to pay; the person approves it at `scaRedirect`. The same `requestId` again
    /// is the same payment, never a second one.
    func initiatePayment(
        bank: String, product: OpenBankingPaymentProduct, payment: OpenBankingPayment, psuId: String?, psuIPAddress: String,
        redirectURI: String?, nokRedirectURI: String?, requestId: String?
    ) async throws -> OpenBankingAuthorisationStart
    func paymentStatus(bank: String, product: OpenBankingPaymentProduct, paymentId: String) async throws -> OpenBankingPaymentStatus
    func cancelPayment(bank: String, product: OpenBankingPaymentProduct, paymentId: String) async throws

    /// A standing order: one approval for every payment on its schedule.
    func initiatePeriodicPayment(
        bank: String, product: OpenBankingPaymentProduct, order: OpenBankingPeriodicPayment, psuId: String?, psuIPAddress: String,
        redirectURI: String?, nokRedirectURI: String?, requestId: String?
    ) async throws -> OpenBankingAuthorisationStart
    func periodicPayment(bank: String, product: OpenBankingPaymentProduct, paymentId: String) async throws -> OpenBankingPeriodicPaymentReport
    func cancelPeriodicPayment(bank: String, product: OpenBankingPaymentProduct, paymentId: String) async throws
}
