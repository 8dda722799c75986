import AsyncHTTPClient
import DropCore
import Foundation
import Logging
import NIOConcurrencyHelpers

/// Drop's NextGenPSD2 (Berlin Group v1.3) client: AIS consents, accounts and balances, payment
/// initiation and standing orders (periodic payments), against any bank at `configuration.baseURL/{bank}/v1/…`.
///
/// Each bank has its own circuit breaker (one bank down must not block the others). Bank
/// refusals come back as `OpenBankingError`; transport trouble, 5xx and an open breaker as
/// `ProviderError`. GETs and DELETEs are retried, POSTs never (they could pay twice).
public struct NextGenPSD2Client: OpenBanking {
    public let configuration: OpenBankingConfiguration
    private let transport: NextGenPSD2Transport

    /// - Parameters:
    ///   - breakerConfiguration: applied to each bank's breaker.
    ///   - now: the breakers' clock.
    ///   - onBreakerChange: told when a bank's breaker opens, half-opens or closes (metrics).
    public init(
        configuration: OpenBankingConfiguration,
        httpClient: HTTPClient,
        retryPolicy: RetryPolicy = RetryPolicy(),
        breakerConfiguration: CircuitBreaker.Configuration = CircuitBreaker.Configuration(),
        now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now },
        logger: Logger = Logger(label: "drop.providers.open-banking"),
        onBreakerChange: (@Sendable (CircuitBreaker.StateChange) -> Void)? = nil
    ) {
        self.configuration = configuration
        self.transport = NextGenPSD2Transport(
            httpClient: httpClient, retryPolicy: retryPolicy, timeout: configuration.timeout,
            breakers: NextGenPSD2BreakerRegistry(configuration: breakerConfiguration, now: now, logger: logger, onStateChange: onBreakerChange),
            logger: logger
        )
    }

    /// The breaker guarding calls to `bank`, for health endpoints and tests.
    public func breaker(for bank: String) -> CircuitBreaker {
        transport.breakers.breaker(for: bank)
    }

    public func breakerSnapshot(for bank: String) async -> CircuitBreaker.Snapshot {
        await breaker(for: bank).snapshot
    }

    // MARK: AIS

    /// Creates an AIS consent for all the PSU's accounts with balances; send the user to `scaRedirect`.
    /// `psuId` (the national identity number, as Norwegian banks identify the PSU) binds the consent
    /// to that person: the bank lets only them approve it.
    public func createConsent(
        bank: String, psuId: String? = nil, psuIPAddress: String, validUntil: String, frequencyPerDay: Int = 4,
        redirectURI: String? = nil, nokRedirectURI: String? = nil
    ) async throws -> OpenBankingAuthorisationStart {
        let body: [String: Any] = [
            "access": ["availableAccountsWithBalance": "allAccounts"],
            "recurringIndicator": true, "validUntil": validUntil, "frequencyPerDay": frequencyPerDay,
            "combinedServiceIndicator": false,
        ]
        let json = try await call(bank, "POST", "v1/consents", body: body, headers: psuHeaders(psuId, psuIPAddress) + redirects(redirectURI, nokRedirectURI))
        return try start(json, idKey: "consentId", statusKey: "consentStatus", bank: bank)
    }

    /// `consentStatus`: received, valid, rejected, expired, terminatedByTpp, revokedByPsu, …
    public func consentStatus(bank: String, consentId: String) async throws -> String {
        let json = try await call(bank, "GET", "v1/consents/\(try resource(consentId, bank))/status")
        return try field(json, "consentStatus", bank: bank)
    }

    /// The consent's status and, when the bank reports it, the national identity number of the PSU
    /// who approved it (`psuId`), so the TPP can check the accounts are its customer's.
    public func consent(bank: String, consentId: String) async throws -> (status: String, psuId: String?) {
        let json = try await call(bank, "GET", "v1/consents/\(try resource(consentId, bank))")
        return (try field(json, "consentStatus", bank: bank), json["psuId"] as? String)
    }

    public func deleteConsent(bank: String, consentId: String) async throws {
        _ = try await call(bank, "DELETE", "v1/consents/\(try resource(consentId, bank))")
    }

    /// The consent's accounts with balances. `psuIPAddress` nil means the user is not present:
    /// the read counts against the consent's `frequencyPerDay`.
    public func accounts(bank: String, consentId: String, psuIPAddress: String?) async throws -> [OpenBankingAccount] {
        let json = try await call(bank, "GET", "v1/accounts?withBalance=true", headers: aisHeaders(consentId, psuIPAddress))
        guard let accounts = json["accounts"] as? [[String: Any]] else { throw decoding(bank, "accounts missing") }
        return try accounts.map { entry in
            guard let resourceId = entry["resourceId"] as? String, let currency = entry["currency"] as? String else {
                throw decoding(bank, "account without resourceId or currency")
            }
            return OpenBankingAccount(
                resourceId: resourceId, iban: entry["iban"] as? String, bban: entry["bban"] as? String, currency: currency,
                name: entry["name"] as? String, product: entry["product"] as? String,
                balance: try (entry["balances"] as? [[String: Any]]).flatMap { try availableBalance($0, bank: bank) }
            )
        }
    }

    /// The account's `interimAvailable` balance (or the first one the bank sent).
    public func balances(bank: String, consentId: String, accountId: String, psuIPAddress: String?) async throws -> Money {
        let json = try await call(bank, "GET", "v1/accounts/\(try resource(accountId, bank))/balances", headers: aisHeaders(consentId, psuIPAddress))
        guard let balances = json["balances"] as? [[String: Any]], let balance = try availableBalance(balances, bank: bank) else {
            throw decoding(bank, "no balance")
        }
        return balance
    }

    // MARK: PIS

    /// The debtor account names the payer; the bank makes its holder approve on the SCA page.
    ///
    /// `requestId` is the `X-Request-ID`: Drop fixes it before calling and sends the same one when
    /// it asks again, so a repeat after a lost answer or a crash is the same payment at the bank
    /// (the bank answers a repeated request id with the payment it already made).
    public func initiatePayment(
        bank: String, product: OpenBankingPaymentProduct, payment: OpenBankingPayment, psuId: String? = nil, psuIPAddress: String,
        redirectURI: String? = nil, nokRedirectURI: String? = nil, requestId: String? = nil
    ) async throws -> OpenBankingAuthorisationStart {
        var body: [String: Any] = [
            "debtorAccount": payment.debtorAccount.json,
            "instructedAmount": ["currency": payment.amount.currency.code, "amount": payment.amount.decimalString],
            "creditorAccount": payment.creditorAccount.json,
            "creditorName": payment.creditorName,
        ]
        if let endToEnd = payment.endToEndIdentification { body["endToEndIdentification"] = endToEnd }
        if let remittance = payment.remittanceInformationUnstructured { body["remittanceInformationUnstructured"] = remittance }
        let json = try await call(bank, "POST", "v1/payments/\(product.rawValue)", body: body,
                                  headers: psuHeaders(psuId, psuIPAddress) + redirects(redirectURI, nokRedirectURI), requestId: requestId)
        return try start(json, idKey: "paymentId", statusKey: "transactionStatus", bank: bank)
    }

    public func paymentStatus(bank: String, product: OpenBankingPaymentProduct, paymentId: String) async throws -> OpenBankingPaymentStatus {
        let json = try await call(bank, "GET", "v1/payments/\(product.rawValue)/\(try resource(paymentId, bank))/status")
        return OpenBankingPaymentStatus(transactionStatus: try field(json, "transactionStatus", bank: bank), fundsAvailable: json["fundsAvailable"] as? Bool,
                                        statusReason: (json["statusReasonInformation"] as? String).flatMap(OpenBankingPaymentStatus.reasonCode))
    }

    /// Cancels a payment the user has not approved yet. Throws `cancellationNotDone` when the bank answers
    /// that the cancellation itself needs the user's approval: the payment stands until they give it.
    public func cancelPayment(bank: String, product: OpenBankingPaymentProduct, paymentId: String) async throws {
        try Self.confirmCancelled(try await call(bank, "DELETE", "v1/payments/\(product.rawValue)/\(try resource(paymentId, bank))"))
    }

    /// What a bank's answer to a cancellation must say for it to be done (NextGenPSD2): 204 with no body,
    /// or a body whose status is `CANC`. A 202 (its body carries the status, e.g. `ACTC`, and a
    /// `startAuthorisation…` link) means the payment is still live: taking it for a cancellation would
    /// end the transfer, and free what it holds (a one-purchase QR code), while the bank may still pay it.
    static func confirmCancelled(_ answer: [String: Any]) throws {
        guard !answer.isEmpty else { return }
        guard answer["transactionStatus"] as? String == "CANC" else { throw cancellationNotDone }
    }

    /// The bank's answer to a cancellation that is not (yet) one.
    public static let cancellationNotDone = OpenBankingError.unknown(code: "CANCELLATION_NEEDS_AUTHORISATION", status: 202)

    // MARK: Periodic payments (standing orders)

    /// Asks for a standing order: one SCA at `scaRedirect` approves every payment on its schedule.
    /// `requestId` makes a repeat the same order, as for single payments.
    public func initiatePeriodicPayment(
        bank: String, product: OpenBankingPaymentProduct, order: OpenBankingPeriodicPayment, psuId: String? = nil, psuIPAddress: String,
        redirectURI: String? = nil, nokRedirectURI: String? = nil, requestId: String? = nil
    ) async throws -> OpenBankingAuthorisationStart {
        let payment = order.payment
        var body: [String: Any] = [
            "debtorAccount": payment.debtorAccount.json,
            "instructedAmount": ["currency": payment.amount.currency.code, "amount": payment.amount.decimalString],
            "creditorAccount": payment.creditorAccount.json,
            "creditorName": payment.creditorName,
            "startDate": order.schedule.startDate.iso,
            "frequency": order.schedule.frequency.bankCode,
            "executionRule": "following",
        ]
        if order.schedule.frequency.isMonthBased { body["dayOfExecution"] = String(order.schedule.dayOfExecution) }
        if let end = order.schedule.endDate { body["endDate"] = end.iso }
        if let remittance = payment.remittanceInformationUnstructured { body["remittanceInformationUnstructured"] = remittance }
        let json = try await call(bank, "POST", "v1/periodic-payments/\(product.rawValue)", body: body,
                                  headers: psuHeaders(psuId, psuIPAddress) + redirects(redirectURI, nokRedirectURI), requestId: requestId)
        return try start(json, idKey: "paymentId", statusKey: "transactionStatus", bank: bank)
    }

    /// The standing order's status and the payments it has made so far.
    public func periodicPayment(bank: String, product: OpenBankingPaymentProduct, paymentId: String) async throws -> OpenBankingPeriodicPaymentReport {
        let json = try await call(bank, "GET", "v1/periodic-payments/\(product.rawValue)/\(try resource(paymentId, bank))")
        let executions = try (json["executions"] as? [[String: Any]] ?? []).map { entry in
            guard let execution = OpenBankingExecution(json: entry) else { throw decoding(bank, "unreadable execution") }
            return execution
        }
        return OpenBankingPeriodicPaymentReport(
            transactionStatus: try field(json, "transactionStatus", bank: bank),
            statusReason: (json["statusReasonInformation"] as? String).flatMap(OpenBankingPaymentStatus.reasonCode), executions: executions)
    }

    /// Stops a standing order: the bank makes no more payments for it.
    public func cancelPeriodicPayment(bank: String, product: OpenBankingPaymentProduct, paymentId: String) async throws {
        try Self.confirmCancelled(try await call(bank, "DELETE", "v1/periodic-payments/\(product.rawValue)/\(try resource(paymentId, bank))"))
    }

    // MARK: Plumbing

    private func call(
        _ bank: String, _ method: String, _ path: String, body: [String: Any]? = nil, headers: [(String, String)] = [], requestId: String? = nil
    ) async throws -> [String: Any] {
        guard bank.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }), !bank.isEmpty else {
            throw ProviderError.invalidRequest(provider: NextGenPSD2Transport.provider(bank), reason: "bad bank id")
        }
        var request = HTTPClientRequest(url: "\(configuration.baseURL)/\(bank)/\(path)")
        request.method = .init(rawValue: method)
        let credentials = Data("\(configuration.clientId):\(configuration.clientSecret)".utf8).base64EncodedString()
        request.headers.add(name: "Authorization", value: "Basic \(credentials)")
        request.headers.add(name: "X-Request-ID", value: requestId ?? RecordID.make())
        request.headers.add(name: "Accept", value: "application/json")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys, .withoutEscapingSlashes]))
        }
        return try await transport.send(request, bank: bank)
    }

    private func redirects(_ redirectURI: String?, _ nokRedirectURI: String?) -> [(String, String)] {
        var headers = [("TPP-Redirect-URI", redirectURI ?? configuration.redirectURI), ("TPP-Redirect-Preferred", "true")]
        if let nok = nokRedirectURI ?? configuration.nokRedirectURI { headers.append(("TPP-Nok-Redirect-URI", nok)) }
        return headers
    }

    private func psuHeaders(_ psuId: String?, _ psuIPAddress: String) -> [(String, String)] {
        (psuId.map { [("PSU-ID", $0)] } ?? []) + [("PSU-IP-Address", psuIPAddress)]
    }

    private func aisHeaders(_ consentId: String, _ psuIPAddress: String?) -> [(String, String)] {
        var headers = [("Consent-ID", consentId)]
        if let psuIPAddress { headers.append(("PSU-IP-Address", psuIPAddress)) }
        return headers
    }

    /// The id and SCA page of what the bank just created. One that isn't a plain id or the bank's
    /// https page is refused as unreadable, as a missing one is: after a POST that leaves the outcome
    /// unknown (the bank may have made the payment), so it is asked again, never taken.
    private func start(_ json: [String: Any], idKey: String, statusKey: String, bank: String) throws -> OpenBankingAuthorisationStart {
        guard let links = json["_links"] as? [String: Any], let sca = links["scaRedirect"] as? [String: Any], let href = sca["href"] as? String else {
            throw decoding(bank, "no scaRedirect link")
        }
        guard BankAnswerCheck.isSCAPage(href, bankBaseURL: configuration.baseURL) else { throw decoding(bank, "scaRedirect is not the bank's https page") }
        let id = try field(json, idKey, bank: bank)
        guard BankAnswerCheck.isResourceId(id) else { throw decoding(bank, "\(idKey) is not a plain id") }
        return OpenBankingAuthorisationStart(id: id, status: try field(json, statusKey, bank: bank), scaRedirect: href)
    }

    /// An id for a path, refused before anything is sent unless it is a plain id (it came from a
    /// bank's answer or Drop's database; either way it must not change which resource is asked for).
    private func resource(_ id: String, _ bank: String) throws -> String {
        guard BankAnswerCheck.isResourceId(id) else {
            throw ProviderError.invalidRequest(provider: NextGenPSD2Transport.provider(bank), reason: "not a plain resource id")
        }
        return id
    }

    private func availableBalance(_ balances: [[String: Any]], bank: String) throws -> Money? {
        guard let chosen = balances.first(where: { $0["balanceType"] as? String == "interimAvailable" }) ?? balances.first else { return nil }
        guard let amount = chosen["balanceAmount"] as? [String: Any], let code = amount["currency"] as? String,
              let text = amount["amount"] as? String, let currency = Currency(rawValue: code),
              let money = try? Money(decimalString: text, currency: currency) else { throw decoding(bank, "unreadable balance") }
        return money
    }

    private func field(_ json: [String: Any], _ key: String, bank: String) throws -> String {
        guard let value = json[key] as? String else { throw decoding(bank, "\(key) missing") }
        return value
    }

    private func decoding(_ bank: String, _ reason: String) -> ProviderError {
        .decoding(provider: NextGenPSD2Transport.provider(bank), reason: reason)
    }
}
