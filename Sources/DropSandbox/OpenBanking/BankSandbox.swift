import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Simulates Norwegian banks as Berlin Group NextGenPSD2 ASPSPs (docs/protocols.md §1): AIS consents,
/// accounts and balances with the RTS limit of unattended accesses, payment initiation with a
/// redirect SCA page showing payee and amount, execution that moves balances, standing orders
/// (periodic payments) paid on the bank's clock, and signed payment-status webhooks to Drop
/// retried until acknowledged.
///
/// Keeps its own state in `configuration.stateFilePath`, saved on every change, reloaded when created.
/// Mount: `sandbox.addRoutes(to: router.group("sandbox/bank"))`. Webhooks: run
/// `runWebhookDelivery()` for the life of the server, or call `deliverPendingWebhooks()` as tests do.
public final class BankSandbox: Sendable {
    public let configuration: BankSandboxConfiguration
    let store: BankSandboxStore
    let dispatcher: BankSandboxWebhookDispatcher
    let faults: SandboxFaultControl
    let now: @Sendable () -> Date
    let logger: Logger

    /// - Parameters:
    ///   - webhookURL: Drop's `/v1/webhooks/open-banking`, asked at each delivery.
    ///   - faults: makes the API slow or failing on demand (not the SCA page, which is the PSU's).
    ///   - now: the bank's clock, for consent validity, daily access budgets, SCA timeouts and webhooks.
    /// - Throws: when the state file exists but cannot be read.
    public init(
        configuration: BankSandboxConfiguration,
        webhookURL: @escaping @Sendable () -> String,
        httpClient: HTTPClient,
        faults: SandboxFaultControl = SandboxFaultControl(),
        now: @escaping @Sendable () -> Date = { Date() },
        logger: Logger = Logger(label: "drop.sandbox.bank")
    ) throws {
        self.configuration = configuration
        self.faults = faults
        self.now = now
        self.logger = logger
        self.dispatcher = BankSandboxWebhookDispatcher(
            httpClient: httpClient, targetURL: webhookURL, secret: configuration.webhookSecret,
            timeout: configuration.webhookTimeout, logger: logger
        )
        self.store = try BankSandboxStore(
            stateFilePath: configuration.stateFilePath, scaTimeout: configuration.scaTimeout,
            customers: SandboxPersons.all.map(\.nationalId), logger: logger
        )
    }

    public func addRoutes<Context: RequestContext>(to group: RouterGroup<Context>) {
        group.get("banks") { request, _ in
            await self.api(request, requiresPSUAddress: false) { self.listBanks() }
        }
        group.post(":bank/v1/consents") { request, context in
            await self.api(request, requiresPSUAddress: true) { try await self.createConsent(request, bankId: context.parameters.get("bank") ?? "") }
        }
        group.get(":bank/v1/consents/:id") { request, context in
            await self.api(request) { try await self.consentDetails(bankId: context.parameters.get("bank") ?? "", id: context.parameters.get("id") ?? "", statusOnly: false) }
        }
        group.get(":bank/v1/consents/:id/status") { request, context in
            await self.api(request) { try await self.consentDetails(bankId: context.parameters.get("bank") ?? "", id: context.parameters.get("id") ?? "", statusOnly: true) }
        }
        group.delete(":bank/v1/consents/:id") { request, context in
            await self.api(request) { try await self.deleteConsent(bankId: context.parameters.get("bank") ?? "", id: context.parameters.get("id") ?? "") }
        }
        group.get(":bank/v1/accounts") { request, context in
            await self.api(request) { try await self.readAccounts(request, bankId: context.parameters.get("bank") ?? "", accountId: nil) }
        }
        group.get(":bank/v1/accounts/:account/balances") { request, context in
            await self.api(request) { try await self.readAccounts(request, bankId: context.parameters.get("bank") ?? "", accountId: context.parameters.get("account") ?? "") }
        }
        group.post(":bank/v1/payments/:product") { request, context in
            await self.api(request, requiresPSUAddress: true) {
                try await self.initiatePayment(request, bankId: context.parameters.get("bank") ?? "", product: context.parameters.get("product") ?? "")
            }
        }
        group.get(":bank/v1/payments/:product/:id") { request, context in
            await self.api(request) { try await self.paymentDetails(bankId: context.parameters.get("bank") ?? "", product: context.parameters.get("product") ?? "", id: context.parameters.get("id") ?? "", statusOnly: false) }
        }
        group.get(":bank/v1/payments/:product/:id/status") { request, context in
            await self.api(request) { try await self.paymentDetails(bankId: context.parameters.get("bank") ?? "", product: context.parameters.get("product") ?? "", id: context.parameters.get("id") ?? "", statusOnly: true) }
        }
        group.delete(":bank/v1/payments/:product/:id") { request, context in
            await self.api(request) { try await self.cancelPayment(bankId: context.parameters.get("bank") ?? "", product: context.parameters.get("product") ?? "", id: context.parameters.get("id") ?? "") }
        }
        group.post(":bank/v1/periodic-payments/:product") { request, context in
            await self.api(request, requiresPSUAddress: true) {
                try await self.initiatePeriodicPayment(request, bankId: context.parameters.get("bank") ?? "", product: context.parameters.get("product") ?? "")
            }
        }
        group.get(":bank/v1/periodic-payments/:product/:id") { request, context in
            await self.api(request) { try await self.periodicPaymentDetails(bankId: context.parameters.get("bank") ?? "", product: context.parameters.get("product") ?? "", id: context.parameters.get("id") ?? "", statusOnly: false) }
        }
        group.get(":bank/v1/periodic-payments/:product/:id/status") { request, context in
            await self.api(request) { try await self.periodicPaymentDetails(bankId: context.parameters.get("bank") ?? "", product: context.parameters.get("product") ?? "", id: context.parameters.get("id") ?? "", statusOnly: true) }
        }
        group.delete(":bank/v1/periodic-payments/:product/:id") { request, context in
            await self.api(request) { try await self.cancelPeriodicPayment(bankId: context.parameters.get("bank") ?? "", product: context.parameters.get("product") ?? "", id: context.parameters.get("id") ?? "") }
        }
        group.get(":bank/sca/:kind/:id") { request, context in
            await self.scaPage(request, bankId: context.parameters.get("bank") ?? "", kind: context.parameters.get("kind") ?? "", id: context.parameters.get("id") ?? "")
        }
        group.post(":bank/sca/:kind/:id") { request, context in
            await self.scaDecision(request, bankId: context.parameters.get("bank") ?? "", kind: context.parameters.get("kind") ?? "", id: context.parameters.get("id") ?? "")
        }
    }

    // MARK: Webhook delivery

    /// Rejects payments whose SCA window closed, makes the standing orders' payments that are due
    /// by the bank's clock, then tries every webhook that is due once.
    /// - Returns: how many Drop acknowledged.
    @discardableResult
    public func deliverPendingWebhooks() async -> Int {
        do {
            try await store.rejectOverdueAuthorisations(at: now())
            try await store.executeDuePeriodicPayments(at: now())
        } catch {
            logger.error("bank sandbox could not save its state", metadata: ["error": "\(error)"])
        }
        // Held is asked before every claim, not once per round: a round already sending when the
        // hold starts must not pick up what the bank queues after it (a cancellation's webhook).
        return await SandboxWebhookDelivery.deliverDue(
            claim: { faults.webhooksHeld ? [] : await store.claimDueWebhooks(at: now(), excluding: $0) },
            deliver: { await dispatcher.deliver($0, at: now()) },
            acknowledge: { try await store.acknowledge(webhookId: $0) },
            recordFailure: { try await store.recordFailedDelivery(webhookId: $0, at: now(), retrySchedule: configuration.webhookRetrySchedule) },
            logger: logger)
    }

    /// Delivers due webhooks every `pollInterval` until the calling task is cancelled.
    public func runWebhookDelivery(pollInterval: Duration = .milliseconds(500)) async {
        await SandboxWebhookDelivery.run(every: pollInterval) { await deliverPendingWebhooks() }
    }

    /// Webhooks not yet acknowledged by Drop (including those waiting for a retry).
    public var undeliveredWebhookCount: Int {
        get async { await store.undeliveredWebhookCount }
    }

    /// The current balance of a sandbox account (11-digit number), for tests and the dev UI.
    public func balanceMinorUnits(ofAccount accountNumber: String) async -> Int64? {
        await store.account(number: accountNumber)?.balanceMinorUnits
    }

    /// Every payment the bank was asked for: (payment id, end-to-end id, status), for tests and the
    /// crash harness, which check that Drop knows each one.
    public func payments() async -> [(id: String, endToEndId: String?, status: String)] {
        await store.allPayments.map { ($0.id, $0.endToEndIdentification, $0.status.rawValue) }
    }

    /// Every standing order the bank was asked for: (payment id, status, executions made), for tests.
    public func periodicPayments() async -> [(id: String, status: String, executions: Int)] {
        await store.allPeriodicPayments.map { ($0.id, $0.status.rawValue, $0.executions.count) }
    }

    /// A payment into `creditorAccount` with this end-to-end id that the bank has executed (the
    /// debtor debited): what the payout sandbox sees arriving in its collection account.
    public func executedPayment(to creditorAccount: String, endToEndId: String) async -> (amountMinorUnits: Int64, debtorAccount: String)? {
        await store.executedPayment(to: creditorAccount, endToEndId: endToEndId)
    }

    /// Sets an account's balance, as a test or the developer's console does to try an empty account.
    /// - Throws: when there is no such account.
    public func setBalance(_ minorUnits: Int64, ofAccount accountNumber: String) async throws {
        try await store.setBalance(minorUnits, ofAccount: accountNumber)
    }

    /// Credits NOK from outside the bank (e.g. a payout partner returning money) to an account.
    /// - Throws: when there is no such NOK account.
    public func creditIncoming(_ amountMinorUnits: Int64, toAccount accountNumber: String) async throws {
        try await store.creditIncoming(amountMinorUnits, toAccount: accountNumber)
    }

    /// The accounts a person holds at a bank: (resourceId, account number, balance in øre).
    public func accounts(ofPSU nationalId: String, bankId: String) async throws -> [(resourceId: String, accountNumber: String, balanceMinorUnits: Int64)] {
        try await store.accounts(of: nationalId, at: bankId).map { ($0.resourceId, $0.accountNumber, $0.balanceMinorUnits) }
    }

    // MARK: Request checks

    /// Faults, TPP identification and the headers every BG call needs, then the handler;
    /// a `BankSandboxAPIError` becomes a BG error body.
    func api(_ request: Request, requiresPSUAddress: Bool = false, _ handler: () async throws -> Response) async -> Response {
        let fault = faults.nextFault()
        switch fault {
        case .unavailable?:
            var headers = HTTPFields()
            headers[.retryAfter] = "1"
            return BankSandboxJSON.response(.serviceUnavailable, ["tppMessages": [["category": "ERROR", "code": "SERVICE_UNAVAILABLE", "text": "Try again later."]]], headers: headers)
        case .serverError?:
            return BankSandboxJSON.response(.internalServerError, ["tppMessages": [["category": "ERROR", "code": "INTERNAL_SERVER_ERROR", "text": "Internal error."]]])
        case .delay(let duration)?:
            try? await Task.sleep(for: duration)
        case .garbage?:
            return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: "{\"consentStatus\":")))
        case .unauthorized?:
            return BankSandboxJSON.response(.unauthorized, ["tppMessages": [["category": "ERROR", "code": "CERTIFICATE_INVALID", "text": "The TPP is not accepted."]]])
        case .conflict?:
            return BankSandboxJSON.response(.conflict, ["tppMessages": [["category": "ERROR", "code": "RESOURCE_BLOCKED", "text": "Conflicting request."]]])
        case nil, .lostAnswer?, .lateAnswer?, .groupStatusOnly?, .paymentGroupStatusOnly?, .payeeVerificationGroupStatus?, .cancellationNeedsAuthorisation?,
             .refusedSubmission?, .misreport?:
            break
        }
        do {
            try checkTPP(request)
            guard let requestId = request.headers[HTTPField.Name("X-Request-ID")!], UUID(uuidString: requestId) != nil else {
                throw BankSandboxAPIError.format("X-Request-ID is missing or not a UUID.")
            }
            if requiresPSUAddress, (request.headers[HTTPField.Name("PSU-IP-Address")!] ?? "").isEmpty {
                throw BankSandboxAPIError.format("PSU-IP-Address is missing.")
            }
            // The cancellation waits for the PSU's own approval (NextGenPSD2's cancellation authorisation):
            // the payment stands, still live at the bank.
            if fault == .cancellationNeedsAuthorisation, request.method == .delete, request.uri.path.contains("payments/") {
                return BankSandboxJSON.response(.accepted, ["transactionStatus": "ACTC", "_links": [
                    "startAuthorisation": ["href": request.uri.path + "/cancellation-authorisations"],
                ]])
            }
            var response = try await handler()
            // The bank did the work; the answer never reaches the TPP.
            if fault == .lostAnswer { return BankSandboxAPIError(.internalServerError, "INTERNAL_SERVER_ERROR", "Internal error.").response }
            // The bank did the work and its webhook may get there first.
            if case .lateAnswer(let duration)? = fault { try? await Task.sleep(for: duration) }
            response.headers[HTTPField.Name("X-Request-ID")!] = requestId
            return response
        } catch let error as BankSandboxAPIError {
            return error.response
        } catch {
            logger.error("bank sandbox failed", metadata: ["error": "\(error)"])
            return BankSandboxAPIError(.internalServerError, "INTERNAL_SERVER_ERROR", "The bank could not answer.").response
        }
    }

    /// HTTP Basic with the TPP's client id and secret, standing in for its eIDAS QWAC.
    private func checkTPP(_ request: Request) throws(BankSandboxAPIError) {
        guard let header = request.headers[.authorization], header.hasPrefix("Basic ") else {
            throw BankSandboxAPIError(.unauthorized, "CERTIFICATE_MISSING", "The TPP is not identified.")
        }
        let expected = configuration.tppCredentials.clientId + ":" + configuration.tppCredentials.clientSecret
        guard let data = Data(base64Encoded: String(header.dropFirst(6))), String(decoding: data, as: UTF8.self) == expected else {
            throw BankSandboxAPIError(.unauthorized, "CERTIFICATE_INVALID", "The TPP's credentials are not accepted.")
        }
    }

    func bank(_ id: String) throws(BankSandboxAPIError) -> BankSandboxBank {
        guard let bank = BankSandboxBank.find(id: id) else { throw BankSandboxAPIError.resourceUnknown("No bank \(id).") }
        return bank
    }

    /// The absolute URL of a path under the sandbox's mount, on the host the TPP called.
    func absoluteURL(_ request: Request, path: String) -> String {
        let host = request.head.authority ?? request.headers[HTTPField.Name("Host")!] ?? "localhost"
        return "http://\(host)\(configuration.mountPath)/\(path)"
    }

    func header(_ request: Request, _ name: String) -> String? {
        guard let field = HTTPField.Name(name), let value = request.headers[field], !value.isEmpty else { return nil }
        return value
    }

    private func listBanks() -> Response {
        BankSandboxJSON.response(.ok, ["banks": BankSandboxBank.all.map { ["id": $0.id, "name": $0.name, "bic": $0.bic, "country": "NO"] }])
    }
}
