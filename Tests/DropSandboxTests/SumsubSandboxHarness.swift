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

/// A clock for the Sumsub sandbox that tests move by hand (wall-clock dates: signatures use unix seconds).
final class SumsubTestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    init(_ start: Date = Date(timeIntervalSince1970: 1_795_000_000)) {
        current = start
    }

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
}

/// Plays Drop's `/v1/webhooks/sumsub`: verifies each delivery with `SumsubWebhook` and records it.
/// Can be told to answer 500 to the next deliveries, to exercise the sandbox's retries.
final class SumsubWebhookInbox: @unchecked Sendable {
    struct Delivery: Sendable {
        let event: SumsubWebhookEvent
        let rawBody: String
        let algorithm: String?
    }

    private let lock = NSLock()
    private var received: [Delivery] = []
    private var attemptCount = 0
    private var refusedCount = 0
    private var failuresToAnswer = 0

    var deliveries: [Delivery] { locked { received } }
    var events: [SumsubWebhookEvent] { deliveries.map(\.event) }
    /// Every POST that reached the endpoint, accepted or not.
    var attempts: Int { locked { attemptCount } }
    /// Deliveries refused for a bad signature.
    var refused: Int { locked { refusedCount } }

    func failNext(_ count: Int) {
        locked { failuresToAnswer += count }
    }

    func handle(rawBody: [UInt8], headers: SumsubWebhookHeaders, secret: String) -> HTTPResponse.Status {
        locked {
            attemptCount += 1
            if failuresToAnswer > 0 {
                failuresToAnswer -= 1
                return .internalServerError
            }
            do {
                let event = try SumsubWebhook.verifiedEvent(rawBody: rawBody, headers: headers, secret: secret)
                received.append(Delivery(
                    event: event, rawBody: String(decoding: rawBody, as: UTF8.self), algorithm: headers.algorithm
                ))
                return .ok
            } catch SumsubWebhookError.badSignature {
                refusedCount += 1
                return .unauthorized
            } catch {
                return .badRequest
            }
        }
    }

    private func locked<T>(_ body: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body()
    }
}

/// The port the live server got, known only once it listens; the sandbox asks for it per delivery.
final class SumsubPortBox: @unchecked Sendable {
    private let lock = NSLock()
    private var port = 1

    var value: Int {
        lock.lock()
        defer { lock.unlock() }
        return port
    }

    func set(_ newValue: Int) {
        lock.lock()
        port = newValue
        lock.unlock()
    }
}

/// The Sumsub sandbox mounted where Drop mounts it, next to a stand-in for Drop's webhook endpoint,
/// served live on 127.0.0.1 with an OS-chosen port.
struct SumsubSandboxHarness {
    static let appToken = "sbx:drop-test-app-token"
    static let secretKey = "drop-test-secret-key-0123456789abcdef"
    static let webhookSecret = "drop-test-webhook-secret-0123456789"
    static let mount = "/sandbox/sumsub"
    static let webhookPath = "/drop/webhooks/sumsub"

    let clock: SumsubTestClock
    let inbox: SumsubWebhookInbox
    let port: SumsubPortBox
    let sandbox: SumsubSandbox
    let stateFilePath: String
    private let app: Application<RouterResponder<BasicRequestContext>>

    /// - Parameter webhookPort: where webhooks go; nil means this server's own port.
    init(
        stateFilePath: String,
        clock: SumsubTestClock = SumsubTestClock(),
        retrySchedule: [Duration] = [.seconds(2), .seconds(10)],
        deliversBeforeResponding: Bool = true,
        webhookPort: Int? = nil
    ) throws {
        let inbox = SumsubWebhookInbox()
        let port = SumsubPortBox()
        self.clock = clock
        self.inbox = inbox
        self.port = port
        self.stateFilePath = stateFilePath
        let configuration = SumsubSandboxConfiguration(
            credentials: [.init(appToken: Self.appToken, secretKey: Self.secretKey)],
            webhookSecret: Self.webhookSecret,
            stateFilePath: stateFilePath,
            webhookRetrySchedule: retrySchedule,
            webhookTimeout: .seconds(1),
            deliversWebhooksBeforeResponding: deliversBeforeResponding
        )
        sandbox = try SumsubSandbox(
            configuration: configuration,
            webhookURL: { "http://127.0.0.1:\(webhookPort ?? port.value)\(Self.webhookPath)" },
            httpClient: .shared,
            now: { clock.now() }
        )
        let router = Router()
        sandbox.addRoutes(to: router.group("sandbox/sumsub"))
        router.post("drop/webhooks/sumsub") { request, _ -> Response in
            var request = request
            let body = try await request.collectBody(upTo: 1 << 20)
            let headers = SumsubWebhookHeaders { name in HTTPField.Name(name).flatMap { request.headers[$0] } }
            return Response(status: inbox.handle(
                rawBody: Array(body.readableBytesView), headers: headers, secret: Self.webhookSecret
            ))
        }
        app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }

    /// Runs `body` while the server listens.
    @discardableResult
    func run<Value>(_ body: @Sendable (SumsubLive) async throws -> Value) async throws -> Value {
        try await app.test(.live) { client in
            let port = try #require(client.port)
            self.port.set(port)
            return try await body(SumsubLive(harness: self, client: client, port: port))
        }
    }

    /// A fresh state file path in a new temporary directory.
    static func temporaryStateFile() -> String {
        TestScratch.path("sumsub-sandbox") + "/sandbox-sumsub.json"
    }
}

/// One running harness: the HTTP test client, and Drop's Sumsub client pointed at the sandbox.
struct SumsubLive: Sendable {
    let client: any TestClientProtocol
    let port: Int
    let clock: SumsubTestClock
    let inbox: SumsubWebhookInbox
    let sandbox: SumsubSandbox

    init(harness: SumsubSandboxHarness, client: any TestClientProtocol, port: Int) {
        self.client = client
        self.port = port
        self.clock = harness.clock
        self.inbox = harness.inbox
        self.sandbox = harness.sandbox
    }

    var baseURL: String { "http://127.0.0.1:\(port)\(SumsubSandboxHarness.mount)" }

    /// Drop's client, without retries so failures show at once.
    func sumsubClient(
        secretKey: String = SumsubSandboxHarness.secretKey, port: Int? = nil, timeout: Duration = .seconds(5)
    ) -> SumsubClient {
        let clock = self.clock
        let http = ResilientHTTPClient(
            provider: SumsubClient.providerName, httpClient: .shared,
            breaker: CircuitBreaker(provider: SumsubClient.providerName, configuration: .init(failureThreshold: 100)),
            retryPolicy: RetryPolicy(maxRetries: 0), timeout: timeout
        )
        return SumsubClient(
            baseURL: "http://127.0.0.1:\(port ?? self.port)\(SumsubSandboxHarness.mount)",
            appToken: SumsubSandboxHarness.appToken, secretKey: secretKey, levelName: "basic-kyc-level",
            http: http, now: { clock.now() }
        )
    }

    /// A request to the sandbox signed like Sumsub wants, with knobs to spoil the signature.
    func signed(
        _ method: HTTPRequest.Method, _ pathWithQuery: String, body: String? = nil,
        secretKey: String = SumsubSandboxHarness.secretKey, appToken: String = SumsubSandboxHarness.appToken,
        timestampOffset: Int = 0, signedPathWithQuery: String? = nil, signedBody: String? = nil
    ) async throws -> TestResponse {
        let target = SumsubSandboxHarness.mount + pathWithQuery
        let timestamp = Int(clock.now().timeIntervalSince1970) + timestampOffset
        let signer = SumsubRequestSigner(appToken: appToken, secretKey: secretKey)
        var headers: HTTPFields = [.contentType: "application/json"]
        for header in signer.headers(
            timestamp: timestamp, method: method.rawValue,
            pathWithQuery: signedPathWithQuery.map { SumsubSandboxHarness.mount + $0 } ?? target,
            body: Array((signedBody ?? body ?? "").utf8)
        ) {
            headers[HTTPField.Name(header.name)!] = header.value
        }
        return try await client.execute(uri: target, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
    }

    /// GET of the WebSDK page.
    func webSDKPage(accessToken: String, returnURL: String? = nil) async throws -> TestResponse {
        var uri = "\(SumsubSandboxHarness.mount)/websdk?accessToken=\(formEncoded(accessToken))"
        if let returnURL { uri += "&returnUrl=\(formEncoded(returnURL))" }
        return try await client.execute(uri: uri, method: .get)
    }

    /// The WebSDK form's submit, as a browser sends it.
    func submitWebSDK(accessToken: String, returnURL: String? = nil, decision: String = "submit") async throws -> TestResponse {
        var form = "decision=\(formEncoded(decision))&accessToken=\(formEncoded(accessToken))"
        if let returnURL { form += "&returnUrl=\(formEncoded(returnURL))" }
        return try await client.execute(
            uri: "\(SumsubSandboxHarness.mount)/websdk", method: .post,
            headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: form)
        )
    }

    private func formEncoded(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? value
    }
}

/// Names, birth dates and expected review outcomes of the sandbox persons the tests use.
struct SumsubPersonCase: Sendable, CustomTestStringConvertible {
    let firstName: String
    let lastName: String
    let dob: String
    let answer: SumsubReviewAnswer
    let rejectType: SumsubReviewRejectType?
    let labels: [String]
    let tags: [String]

    var testDescription: String { "\(firstName) \(lastName)" }

    static let kari = SumsubPersonCase(
        firstName: "Kari", lastName: "Nordmann", dob: "1990-03-15", answer: .green, rejectType: nil, labels: [], tags: []
    )
    static let rita = SumsubPersonCase(
        firstName: "Rita", lastName: "Rejected", dob: "1979-02-28", answer: .red, rejectType: .final,
        labels: ["FORGERY", "DOCUMENT_TEMPLATE"], tags: []
    )
    static let sven = SumsubPersonCase(
        firstName: "Sven", lastName: "Sanctioned", dob: "1970-01-09", answer: .red, rejectType: .final,
        labels: ["SANCTIONS"], tags: []
    )
    static let per = SumsubPersonCase(
        firstName: "Per", lastName: "Politiker", dob: "1961-11-11", answer: .green, rejectType: nil, labels: [], tags: ["PEP"]
    )

    func fixedInfo() throws -> SumsubFixedInfo {
        SumsubFixedInfo(firstName: firstName, lastName: lastName, dateOfBirth: try CalendarDate(iso: dob))
    }
}
