import AsyncHTTPClient
import DropCore
import DropProviders
import DropSandbox
import DropTestTools
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// A wall clock tests move by hand.
final class BankTestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    init(_ start: Date = Date(timeIntervalSince1970: 1_795_000_000)) { current = start }

    func now() -> Date {
        lock.lock()
        defer { lock.unlock() }
        return current
    }

    func advance(seconds: TimeInterval) {
        lock.lock()
        current = current.addingTimeInterval(seconds)
        lock.unlock()
    }

    /// Today in Oslo, as consents' `validUntil` counts days.
    var osloDay: String {
        let formatter = DateFormatter()
        formatter.timeZone = TimeZone(identifier: "Europe/Oslo")
        formatter.dateFormat = "yyyy-MM-dd"
        formatter.locale = Locale(identifier: "en_US_POSIX")
        return formatter.string(from: now())
    }
}

/// Plays Drop's webhook endpoint: keeps every delivery's raw body and signature header.
final class BankWebhookInbox: @unchecked Sendable {
    struct Delivery: Sendable {
        let rawBody: [UInt8]
        let signature: String?
    }

    private let lock = NSLock()
    private var received: [Delivery] = []
    private var port = 1
    private var nextArrival: (@Sendable () async throws -> Void)?

    /// Runs `action` while the next delivery is being received, before it is answered.
    func whenNextArrives(_ action: @escaping @Sendable () async throws -> Void) {
        lock.lock()
        nextArrival = action
        lock.unlock()
    }

    func takeArrivalAction() -> (@Sendable () async throws -> Void)? {
        lock.lock()
        defer { lock.unlock() }
        let action = nextArrival
        nextArrival = nil
        return action
    }

    var deliveries: [Delivery] {
        lock.lock()
        defer { lock.unlock() }
        return received
    }

    func record(_ delivery: Delivery) {
        lock.lock()
        received.append(delivery)
        lock.unlock()
    }

    var portValue: Int {
        lock.lock()
        defer { lock.unlock() }
        return port
    }

    func setPort(_ value: Int) {
        lock.lock()
        port = value
        lock.unlock()
    }
}

/// The bank sandbox served live on 127.0.0.1 with Drop's NextGenPSD2 client pointed at it.
struct BankLive {
    static let secret = "whsec-bank-test"
    let sandbox: BankSandbox
    let client: NextGenPSD2Client
    let http: any TestClientProtocol
    let clock: BankTestClock
    let faults: SandboxFaultControl
    let inbox: BankWebhookInbox
    /// Where the state file is kept (unless in memory).
    let directory: URL

    /// - Parameter inMemory: no state file (`SANDBOX_BANK_STATE=memory`); `directory` stays empty.
    static func run(inMemory: Bool = false, _ body: @Sendable (BankLive) async throws -> Void) async throws {
        let directory = URL(fileURLWithPath: TestScratch.path("bank"))
        defer { try? FileManager.default.removeItem(at: directory) }
        let clock = BankTestClock()
        let faults = SandboxFaultControl()
        let inbox = BankWebhookInbox()
        let sandbox = try BankSandbox(
            configuration: BankSandboxConfiguration(
                tppCredentials: .init(clientId: "drop", clientSecret: "drop-secret"), webhookSecret: secret,
                stateFilePath: inMemory ? nil : BankSandboxConfiguration.stateFilePath(inDataDirectory: directory.path)
            ),
            webhookURL: { "http://127.0.0.1:\(inbox.portValue)/drop/webhooks/open-banking" },
            httpClient: HTTPClient.shared, faults: faults, now: { clock.now() }
        )
        let router = Router()
        sandbox.addRoutes(to: router.group("sandbox/bank"))
        router.post("drop/webhooks/open-banking") { request, _ -> HTTPResponse.Status in
            let body = try await request.body.collect(upTo: 64 * 1024)
            inbox.record(.init(rawBody: Array(body.readableBytesView), signature: request.headers[HTTPField.Name("X-Drop-Signature")!]))
            try await inbox.takeArrivalAction()?()
            return .ok
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { http in
            let port = try #require(http.port)
            inbox.setPort(port)
            let client = NextGenPSD2Client(
                configuration: OpenBankingConfiguration(
                    baseURL: "http://127.0.0.1:\(port)/sandbox/bank", clientId: "drop", clientSecret: "drop-secret",
                    redirectURI: "https://drop.test/v1/bank-accounts/callback", nokRedirectURI: "https://drop.test/v1/bank-accounts/failed"
                ),
                httpClient: HTTPClient.shared, retryPolicy: RetryPolicy(sleep: { _ in })
            )
            try await body(BankLive(sandbox: sandbox, client: client, http: http, clock: clock, faults: faults, inbox: inbox, directory: directory))
        }
    }

    /// The path of an absolute SCA link, for the test client.
    func path(of url: String) throws -> String {
        let components = try #require(URLComponents(string: url))
        return components.path
    }

    func scaPage(_ url: String) async throws -> String {
        let response = try await http.execute(uri: try path(of: url), method: .get, headers: [:], body: nil)
        #expect(response.status == .ok)
        return String(buffer: response.body)
    }

    /// Submits the SCA form; returns where the bank sends the browser.
    @discardableResult
    func decide(_ url: String, approve: Bool, as nationalId: String = "15039010043") async throws -> String? {
        let response = try await http.execute(
            uri: try path(of: url), method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
            body: ByteBuffer(string: "kind=x&id=y&nationalId=\(nationalId)&decision=\(approve ? "approve" : "deny")")
        )
        #expect(response.status == .found)
        return response.headers[.location]
    }

    func connect(_ bank: String, psu: String = "15039010043", validUntil: String = "9999-12-31") async throws -> String {
        let consent = try await client.createConsent(bank: bank, psuIPAddress: "203.0.113.7", validUntil: validUntil, frequencyPerDay: 4)
        #expect(consent.status == "received")
        try await decide(consent.scaRedirect, approve: true, as: psu)
        return consent.id
    }
}
