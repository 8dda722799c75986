import AsyncHTTPClient
import DropAPI
import DropKit
import DropSandboxHosting
@_spi(FaultInjection) import DropStore
@_spi(FaultInjection) import DropTestSupport
import DropWeb
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import Testing

/// The whole of Drop — API, web, sandboxes — listening on a loopback port, driven over real HTTP
/// the way a browser or the app would (redirects are followed by hand, cookies kept by the test).
struct LiveServer: Sendable {
    let baseURL: String
    let services: AppServices
    /// The sandboxes this server mounted, and their fault switches.
    let sandboxes: HostedSandboxes
    let http: HTTPClient
    /// The clock Drop and its sandboxes read; tests move it to make retries and expiries fall due.
    let clock: TestClock

    struct Reply: Sendable {
        let status: Int
        let headers: HTTPHeaders
        let body: String

        var location: String? { headers.first(name: "location") }
        /// The body read as the app reads it, into DropKit's wire types: a field the server renames
        /// or retypes fails here as it would in the app.
        func decode<Value: Decodable>(_ type: Value.Type) throws -> Value {
            try DropClient.decoder.decode(type, from: Data(body.utf8))
        }
        /// The error envelope as the app reads it (as `TestResponse.apiError`).
        var apiError: APIError {
            APIError.decode(status: status, body: Data(body.utf8), retryAfter: nil)
        }
        /// The value a `Set-Cookie` header gives `name`, if any.
        func cookie(_ name: String) -> String? {
            for header in headers[canonicalForm: "set-cookie"] {
                let pair = header.split(separator: ";").first.map(String.init) ?? ""
                if pair.hasPrefix(name + "=") { return String(pair.dropFirst(name.count + 1)) }
            }
            return nil
        }
    }

    /// Starts Drop on a free port with a fresh database and runs `body` against it. `partiesElsewhere`:
    /// Drop reaches the bank and Sumsub sandboxes at `localhost`, another origin than its own `127.0.0.1`,
    /// as it reaches the real ones, so their pages' links lead off Drop's origin.
    static func run(
        clock: TestClock = .startingNow(), rateLimited: Bool = false, environment: [String: String] = [:],
        extraFeatures: [any AppFeature] = [], partiesElsewhere: Bool = false, databaseFaults: DatabaseFaults? = nil,
        _ body: @Sendable (LiveServer) async throws -> Void
    ) async throws {
        try await TestDatabase.with(faults: databaseFaults) { database in
            // The port was free when chosen; another test's connection may take it before Drop binds it.
            var attempts = 0
            while true {
                attempts += 1
                do {
                    return try await serve(database: database, clock: clock, rateLimited: rateLimited, environment: environment,
                                           extraFeatures: extraFeatures, partiesElsewhere: partiesElsewhere, body)
                } catch is DidNotStart where attempts < 3 {
                    continue
                }
            }
        }
    }

    /// Drop ended before it was listening (`body` never ran).
    struct DidNotStart: Error, CustomStringConvertible {
        let reason: String
        var description: String { "Drop did not start: \(reason)" }
    }

    private static func serve(
        database: Database, clock: TestClock, rateLimited: Bool, environment: [String: String], extraFeatures: [any AppFeature],
        partiesElsewhere: Bool, _ body: @Sendable (LiveServer) async throws -> Void
    ) async throws {
        let port = try freePort()
        var settings = ["PORT": String(port), "PUBLIC_BASE_URL": "http://127.0.0.1:\(port)"]
        if partiesElsewhere {
            settings["OPENBANKING_BASE_URL"] = "http://localhost:\(port)/sandbox/bank"
            settings["SUMSUB_BASE_URL"] = "http://localhost:\(port)/sandbox/sumsub"
        }
        var config = try TestApp.config(settings.merging(environment) { $1 })
        // Flows sign in many times from one address; the limits have their own tests.
        if !rateLimited { config.rateLimits = [] }
        // The sandboxes' keys and state are this run's alone, unless the test gave a directory to keep.
        let services = try await TestApp.services(database: database, clock: clock, config: config)
        let ready = AsyncStream.makeStream(of: Void.self)
        let sandboxes = HostedSandboxes()
        let app = buildApplication(services: services, extraFeatures: [WebFeature(), SandboxFeature(sandboxes)] + extraFeatures,
                                   runWorker: false) { _ in
            ready.continuation.yield()
        }
        var logger = Logger(label: "drop.test.live")
        logger.logLevel = .critical
        let group = ServiceGroup(services: [app], gracefulShutdownSignals: [], logger: logger)
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.timeout = .init(connect: .seconds(5), read: .seconds(20))
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                // Ends the wait below also when Drop stops before listening (a port taken meanwhile):
                // waiting for a readiness that never comes would hang the whole test run.
                defer { ready.continuation.finish() }
                try await group.run()
            }
            var listening = false
            for await _ in ready.stream {
                listening = true
                break
            }
            guard listening else {
                let reason: String
                do { try await tasks.waitForAll(); reason = "it stopped" } catch { reason = String(describing: error) }
                try? await http.shutdown()
                throw DidNotStart(reason: reason)
            }
            do {
                try await body(LiveServer(baseURL: "http://127.0.0.1:\(port)", services: services, sandboxes: sandboxes,
                                          http: http, clock: clock))
            } catch {
                await group.triggerGracefulShutdown()
                try? await http.shutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await http.shutdown()
            try await tasks.waitForAll()
        }
    }

    func request(_ method: HTTPMethod, _ url: String, headers: [(String, String)] = [], body: String? = nil) async throws -> Reply {
        var request = HTTPClientRequest(url: url.hasPrefix("http") ? url : baseURL + url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let response = try await http.execute(request, timeout: .seconds(20))
        let bytes = try await response.body.collect(upTo: 4 * 1024 * 1024)
        return Reply(status: Int(response.status.code), headers: response.headers, body: String(buffer: bytes))
    }

    /// A GET whose answer is binary (a PDF): status, headers and the bytes as sent.
    func getBytes(_ url: String, headers: [(String, String)] = []) async throws -> (status: Int, headers: HTTPHeaders, bytes: [UInt8]) {
        var request = HTTPClientRequest(url: url.hasPrefix("http") ? url : baseURL + url)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let response = try await http.execute(request, timeout: .seconds(20))
        let bytes = try await response.body.collect(upTo: 4 * 1024 * 1024)
        return (Int(response.status.code), response.headers, Array(buffer: bytes))
    }

    /// Waits for something that arrives asynchronously (a provider's webhook). A delivery that
    /// failed under load is retried by its sender on a schedule, so the clock is moved on too.
    func eventually(_ what: String, _ condition: @Sendable () async throws -> Bool) async throws {
        for attempt in 1...80 {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(250))
            if attempt.isMultiple(of: 4) { clock.advance(15) }
        }
        throw DriverError("\(what) did not happen in time")
    }

    func get(_ url: String, headers: [(String, String)] = []) async throws -> Reply {
        try await request(.GET, url, headers: headers)
    }

    /// Posts a form. A form of Drop's own never answers with a redirect off Drop's origin (to another
    /// origin, or to the BankID start that redirects on): browsers hold every redirect after a form to
    /// CSP `form-action 'self'` and would stop there (`WebFeature.handOff`).
    func postForm(_ url: String, _ fields: [(String, String)], headers: [(String, String)] = []) async throws -> Reply {
        let body = fields.map { "\(Self.formEncode($0.0))=\(Self.formEncode($0.1))" }.joined(separator: "&")
        let reply = try await request(.POST, url, headers: headers + [("content-type", "application/x-www-form-urlencoded")], body: body)
        func onDrop(_ url: String) -> String { url.hasPrefix(baseURL + "/") ? String(url.dropFirst(baseURL.count)) : url }
        let path = onDrop(url)
        if path.hasPrefix("/"), !path.hasPrefix("/sandbox/"), (300..<400).contains(reply.status), let location = reply.location.map(onDrop),
           !location.hasPrefix("/") || location.hasPrefix("//") || location.hasPrefix("/v1/auth/bankid/start") {
            Issue.record("POST \(path) redirects off Drop's origin, which a browser refuses after a form: \(reply.status) \(location)")
        }
        return reply
    }

    /// Where a form's hand-off page (`WebFeature.handOff`) sends the person: its button's link, which its
    /// refresh follows at once; nil when `reply` is no such page.
    func handOff(_ reply: Reply) -> String? {
        guard reply.status == 200,
              let refresh = WebSendMoneyTests.capture(#"<meta http-equiv="refresh" content="0;url=([^"]*)">"#, in: reply.body),
              let link = WebSendMoneyTests.capture(#"<a class="button primary" id="hand-off" href="([^"]*)">"#, in: reply.body),
              refresh == link else { return nil }
        return HTMLForm.unescape(link)
    }

    func postJSON(_ url: String, _ json: String, headers: [(String, String)] = []) async throws -> Reply {
        try await request(.POST, url, headers: headers + [("content-type", "application/json")], body: json)
    }

    static func formEncode(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }

    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw POSIXError(.EADDRINUSE) }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// Reads an HTML form the way a browser submits it: its action and its hidden inputs.
struct HTMLForm {
    let action: String
    let fields: [(String, String)]

    init?(html: String) {
        guard let formTag = html.range(of: "<form[^>]*>", options: .regularExpression).map({ String(html[$0]) }) else { return nil }
        action = Self.attribute("action", in: formTag).map(Self.unescape) ?? ""
        var fields: [(String, String)] = []
        var rest = html[...]
        while let range = rest.range(of: "<input[^>]*type=\"hidden\"[^>]*>", options: .regularExpression) {
            let tag = String(rest[range])
            if let name = Self.attribute("name", in: tag) {
                fields.append((Self.unescape(name), Self.unescape(Self.attribute("value", in: tag) ?? "")))
            }
            rest = rest[range.upperBound...]
        }
        self.fields = fields
    }

    static func attribute(_ name: String, in tag: String) -> String? {
        guard let range = tag.range(of: " \(name)=\"[^\"]*\"", options: .regularExpression) else { return nil }
        return String(tag[range].dropFirst(name.count + 3).dropLast())
    }

    static func unescape(_ value: String) -> String {
        value.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
