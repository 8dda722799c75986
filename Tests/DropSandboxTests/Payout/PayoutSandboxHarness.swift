import AsyncHTTPClient
import DropCore
import DropProviders
import DropSandbox
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import DropTestTools
import Testing

/// The payout sandbox served live on 127.0.0.1 with Drop's `PayoutClient` pointed at it.
struct PayoutLive {
    static let clientId = "drop"
    static let clientSecret = "drop-payout-secret"

    let sandbox: PayoutSandbox
    let client: PayoutClient
    let breaker: CircuitBreaker
    /// The sandbox's clock (settlement).
    let clock: BankTestClock
    /// The breaker's clock.
    let time: StepClock
    let sleeps: InstantSleeper
    let faults: SandboxFaultControl
    let http: any TestClientProtocol
    let port: Int

    /// Runs `body` against a fresh sandbox keeping its state in `directory` (a new temporary one
    /// unless given, removed afterwards), settling `settlementDelay` after acceptance.
    static func run(
        directory: URL? = nil,
        clock: BankTestClock = BankTestClock(),
        settlementDelay: Duration = .seconds(60),
        creditDelay: Duration = .zero,
        clientSecret: String = PayoutLive.clientSecret,
        failureThreshold: Int = 3,
        timeout: Duration = .seconds(5),
        collection: (any PayoutSandboxCollectionAccount)? = nil,
        _ body: @Sendable (PayoutLive) async throws -> Void
    ) async throws {
        let owned = directory == nil
        let directory = directory ?? URL(fileURLWithPath: TestScratch.path("payout"))
        defer { if owned { try? FileManager.default.removeItem(at: directory) } }
        let faults = SandboxFaultControl()
        let sandbox = try PayoutSandbox(
            configuration: PayoutSandboxConfiguration(
                credentials: .init(clientId: clientId, clientSecret: Self.clientSecret),
                stateFilePath: PayoutSandboxConfiguration.stateFilePath(inDataDirectory: directory.path),
                settlementDelay: settlementDelay, creditDelay: creditDelay
            ),
            faults: faults, collection: collection, now: { clock.now() }
        )
        let router = Router()
        sandbox.addRoutes(to: router.group("sandbox/payout"))
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { http in
            let port = try #require(http.port)
            let time = StepClock()
            let sleeps = InstantSleeper()
            let breaker = CircuitBreaker(
                provider: PayoutClient.providerName, configuration: .init(failureThreshold: failureThreshold), now: { time.now() }
            )
            let client = PayoutClient(
                configuration: PayoutConfiguration(
                    baseURL: "http://127.0.0.1:\(port)/sandbox/payout/", clientId: clientId, clientSecret: clientSecret, timeout: timeout
                ),
                httpClient: .shared, breaker: breaker,
                retryPolicy: RetryPolicy(sleep: { try await sleeps.sleep($0) }, randomness: .seeded(11))
            )
            try await body(PayoutLive(
                sandbox: sandbox, client: client, breaker: breaker, clock: clock, time: time, sleeps: sleeps,
                faults: faults, http: http, port: port
            ))
        }
    }

    /// Posts raw bytes the way the client does, for what `PayoutClient` would never send.
    func post(_ body: String, key: String?, contentType: String = "application/xml") async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: contentType]
        headers[.authorization] = "Basic " + Data("\(Self.clientId):\(Self.clientSecret)".utf8).base64EncodedString()
        if let key { headers[HTTPField.Name("Idempotency-Key")!] = key }
        return try await http.execute(uri: "/sandbox/payout/v1/pain001", method: .post, headers: headers, body: ByteBuffer(string: body))
    }
}

/// Payout test data: Drop's partner account and recipients the sandbox treats in known ways.
enum PayoutData {
    static let debtor = PayoutDebtor(name: "Drop Payments AS", iban: try! IBAN("NO9386011117947"), bic: try! BIC("DNBANOKK"))
    static let goodIBAN = "DE89370400440532013000"
    /// Valid check digits, but the sandbox's bank has no account ending in 0000.
    static let missingIBAN = try! IBAN.make(country: try! CountryCode("DE"), bban: "370400440532010000").electronic

    static func sepa(_ id: String, _ minor: Int64, name: String = "Hans Muller", iban: String = goodIBAN) throws -> PayoutInstruction {
        let parsed = try IBAN(iban)
        return try PayoutInstruction(
            endToEndId: try EndToEndId(id), amount: Money(minorUnits: minor, currency: .eur), rail: .sepa,
            creditorName: name, creditorAccount: .iban(parsed), creditorCountry: parsed.countryCode, remittanceInformation: "Drop transfer"
        )
    }

    static func usd(_ id: String, _ minor: Int64, name: String = "John Smith", account: String = "987654321") throws -> PayoutInstruction {
        try PayoutInstruction(
            endToEndId: try EndToEndId(id), amount: Money(minorUnits: minor, currency: .usd), rail: .swift,
            creditorName: name, creditorAccount: .other(account), creditorAgentBIC: try BIC("CHASUS33"),
            creditorAgentClearing: .aba("021000021"), creditorCountry: try CountryCode("US")
        )
    }

    static func batch(_ messageId: String = "MSG-\(UUID().uuidString.prefix(8))", at date: Date, _ instructions: [PayoutInstruction]) throws -> PayoutBatch {
        try PayoutBatch(
            messageId: messageId, creationTime: date, initiatingPartyName: "Drop AS", debtor: debtor,
            requestedExecutionDate: try CalendarDate(iso: "2026-11-23"), instructions: instructions
        )
    }
}
