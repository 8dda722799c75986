import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
@testable import DropKit

/// A scripted server: answers each request from `handler`, and keeps every request it saw.
final class StubTransport: HTTPTransport, @unchecked Sendable {
    struct Answer {
        var status: Int
        var body: String
        var headers: [String: String] = [:]
    }

    private let lock = NSLock()
    private var seen: [URLRequest] = []
    private let handler: @Sendable (URLRequest, Int) throws -> Answer

    /// `handler` gets the request and how many requests came before it.
    init(_ handler: @escaping @Sendable (URLRequest, Int) throws -> Answer) {
        self.handler = handler
    }

    var requests: [URLRequest] { lock.withLock { seen } }

    func send(_ request: URLRequest) async throws -> (Data, HTTPURLResponse) {
        let index = lock.withLock { () -> Int in
            seen.append(request)
            return seen.count - 1
        }
        let answer = try handler(request, index)
        var headers = answer.headers
        headers["Content-Type"] = headers["Content-Type"] ?? "application/json"
        let response = HTTPURLResponse(url: request.url!, statusCode: answer.status, httpVersion: "HTTP/1.1", headerFields: headers)!
        return (Data(answer.body.utf8), response)
    }

    static func client(tokens: any TokenStore = InMemoryTokenStore(token: "t0"), _ handler: @escaping @Sendable (URLRequest, Int) throws -> Answer)
        -> (DropClient, StubTransport) {
        let transport = StubTransport(handler)
        return (DropClient(baseURL: URL(string: "https://drop.example")!, tokens: tokens, transport: transport, retryDelay: { _ in }), transport)
    }
}

/// Holds the answer to the first price asked for until the test releases it, so the draft can
/// change while that price is on its way.
final class HeldFirstQuote: HTTPTransport, @unchecked Sendable {
    let stub: StubTransport
    /// Yields once the first price has been asked for.
    let asked: AsyncStream<Void>
    /// Lets the first price's answer go.
    let release: AsyncStream<Void>.Continuation
    private let askedContinuation: AsyncStream<Void>.Continuation
    private let released: AsyncStream<Void>
    private let lock = NSLock()
    private var held = false

    init(_ stub: StubTransport) {
        self.stub = stub
        (asked, askedContinuation) = AsyncStream.makeStream(of: Void.self)
        (released, release) = AsyncStream.makeStream(of: Void.self)
    }

    func send(_ request: URLRequest) async throws -> (Data, HTTPURLResponse) {
        let first = request.route == "POST /v1/quotes" && lock.withLock {
            defer { held = true }
            return !held
        }
        if first {
            askedContinuation.yield()
            for await _ in released { break }
        }
        return try await stub.send(request)
    }
}

extension URLRequest {
    /// `METHOD /path` of the request.
    var route: String { "\(httpMethod ?? "GET") \(url?.path ?? "")" }
    var bodyText: String { httpBody.map { String(decoding: $0, as: UTF8.self) } ?? "" }
}

/// A clock tests move by hand.
final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date
    init(_ start: Date) { current = start }
    var now: Date { lock.withLock { current } }
    func advance(_ seconds: TimeInterval) { lock.withLock { current = current.addingTimeInterval(seconds) } }
}

/// Canned answers in the server's format.
enum Wire {
    static let userJSON = #"{"id":"0b9c1c1e-0000-4000-8000-000000000001","name":"Kari Nordmann","role":"user","kycStatus":"approved","locale":"nb","createdAt":"2026-10-14T12:00:00Z","phone":"+4791234567","emailVerified":false}"#
    static func recipient(_ id: String = "11111111-0000-4000-8000-000000000001") -> String {
        #"{"id":"\#(id)","name":"Hans Meier","country":"DE","currency":"EUR","iban":"DE89370400440532013000","rail":"sepa","createdAt":"2026-10-14T12:00:00Z","updatedAt":"2026-10-14T12:00:00Z"}"#
    }
    static let account = #"{"id":"22222222-0000-4000-8000-000000000001","bank":{"id":"dnb","name":"DNB"},"bban":"12345678903","currency":"NOK","balance":{"amountMinor":4235000,"currency":"NOK"},"balanceSyncedAt":"2026-10-14T12:00:00Z","stale":false,"status":"active"}"#
    static func quote(id: String, expiresAt: String) -> String {
        #"{"id":"\#(id)","country":"DE","send":{"amountMinor":100000,"currency":"NOK"},"fee":{"amountMinor":500,"currency":"NOK"},"total":{"amountMinor":100500,"currency":"NOK"},"rate":"0.0851","receive":{"amountMinor":8510,"currency":"EUR"},"rateAsOf":"2026-10-13","createdAt":"2026-10-14T12:00:00Z","expiresAt":"\#(expiresAt)","status":"open"}"#
    }
    static func transaction(_ id: String, status: String, kind: String = "remittance") -> String {
        #"{"id":"\#(id)","kind":"\#(kind)","status":"\#(status)","amount":{"amountMinor":100000,"currency":"NOK"},"fee":{"amountMinor":500,"currency":"NOK"},"total":{"amountMinor":100500,"currency":"NOK"},"endToEndId":"E2E1","createdAt":"2026-10-14T12:00:00Z","updatedAt":"2026-10-14T12:00:00Z"}"#
    }
    static func error(_ code: String, _ details: String = "[]") -> String {
        #"{"error":{"code":"\#(code)","message":"\#(code) happened.","details":\#(details)}}"#
    }
    static func page(_ items: String...) -> String { #"{"items":[\#(items.joined(separator: ","))],"nextCursor":null}"# }
}

/// Holds the requests `holds` picks until the test lets them go, so the person can act in the app
/// while a request is on its way; every other request goes straight to `server`.
final class HeldTransport: HTTPTransport, @unchecked Sendable {
    let server: StubTransport
    private let holds: @Sendable (URLRequest) -> Bool
    private let lock = NSLock()
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(_ server: StubTransport, holding holds: @escaping @Sendable (URLRequest) -> Bool) {
        self.server = server
        self.holds = holds
    }

    func send(_ request: URLRequest) async throws -> (Data, HTTPURLResponse) {
        if holds(request) {
            await withCheckedContinuation { continuation in lock.withLock { waiting.append(continuation) } }
        }
        return try await server.send(request)
    }

    /// Returns once a request is being held.
    func arrival() async throws {
        while lock.withLock({ waiting.isEmpty }) { try await Task.sleep(for: .milliseconds(1)) }
    }

    /// Lets the held requests go on to the server.
    func release() {
        let held = lock.withLock { () -> [CheckedContinuation<Void, Never>] in
            defer { waiting = [] }
            return waiting
        }
        held.forEach { $0.resume() }
    }

    func client() -> DropClient {
        DropClient(baseURL: URL(string: "https://drop.example")!, tokens: InMemoryTokenStore(token: "t0"), transport: self, retryDelay: { _ in })
    }
}
