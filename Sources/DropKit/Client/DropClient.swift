import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Sends one HTTP request. `URLSession` in the app; a stub in unit tests.
public protocol HTTPTransport: Sendable {
    func send(_ request: URLRequest) async throws -> (Data, HTTPURLResponse)
}

/// The transport the app uses: a `URLSession`.
public struct URLSessionTransport: HTTPTransport {
    let session: URLSession
    public init(session: URLSession = .shared) { self.session = session }
    public func send(_ request: URLRequest) async throws -> (Data, HTTPURLResponse) {
        let (data, response) = try await session.data(for: request)
        guard let http = response as? HTTPURLResponse else { throw URLError(.badServerResponse) }
        return (data, http)
    }
}

/// One operation of the API as `openapi.json` names it: method and path template.
public struct Endpoint: Hashable, Sendable, CustomStringConvertible {
    public let method: String
    public let template: String
    public init(_ method: String, _ template: String) {
        self.method = method
        self.template = template
    }
    public var description: String { "\(method) \(template)" }
}

/// The typed client of Drop's `/v1` API that the app uses: bearer auth from the token store,
/// the error envelope as `APIError` (`.problem` for views), retries of safe requests when the
/// network or server hiccups. A 401 to a request that carried a token means the session ended:
/// the token is removed from the store and the call throws `APIError` whose problem is `.signedOut`.
public struct DropClient: Sendable {
    public let baseURL: URL
    public let tokens: any TokenStore
    let transport: any HTTPTransport
    let maxRetries: Int
    /// Waits between two attempts (`Task.sleep` in the app; tests record the waits instead).
    let retryDelay: @Sendable (Duration) async throws -> Void
    /// Called after each answer was decoded into its type (the contract test records which operations it saw).
    let onDecoded: (@Sendable (Endpoint) -> Void)?

    public init(baseURL: URL, tokens: any TokenStore = InMemoryTokenStore(), transport: any HTTPTransport = URLSessionTransport(),
                maxRetries: Int = 2, retryDelay: (@Sendable (Duration) async throws -> Void)? = nil,
                onDecoded: (@Sendable (Endpoint) -> Void)? = nil) {
        self.baseURL = baseURL
        self.tokens = tokens
        self.transport = transport
        self.maxRetries = maxRetries
        self.retryDelay = retryDelay ?? { try await Task.sleep(for: $0) }
        self.onDecoded = onDecoded
    }

    public init(baseURL: URL, tokens: any TokenStore = InMemoryTokenStore(), session: URLSession, maxRetries: Int = 2) {
        self.init(baseURL: baseURL, tokens: tokens, transport: URLSessionTransport(session: session), maxRetries: maxRetries)
    }

    public struct Health: Decodable, Sendable, Equatable {
        public let status: String
        public init(status: String) { self.status = status }
    }

    public func health() async throws -> Health {
        try await send("GET", "health")
    }

    /// Sends a request to a literal path and decodes a 2xx JSON answer; anything else throws `APIError`.
    public func send<Response: Decodable>(
        _ method: String, _ path: String, body: (some Encodable & Sendable)? = Optional<Empty>.none,
        headers: [String: String] = [:], as: Response.Type = Response.self
    ) async throws -> Response {
        try await call(Endpoint(method, "/" + path), body: body, headers: headers)
    }

    // MARK: The one way requests are made

    /// Calls `endpoint` with its `{name}` path parameters filled from `path`, and decodes the JSON answer.
    func call<Response: Decodable>(
        _ endpoint: Endpoint, path: [String: String] = [:], query: [URLQueryItem] = [],
        body: (some Encodable & Sendable)? = Optional<Empty>.none, headers: [String: String] = [:], as: Response.Type = Response.self
    ) async throws -> Response {
        let data = try await raw(endpoint, path: path, query: query, body: body, headers: headers, accept: "application/json")
        let response = try Self.decoder.decode(Response.self, from: data)
        onDecoded?(endpoint)
        return response
    }

    /// Calls an operation whose answer is 204 No Content.
    func callNoContent(_ endpoint: Endpoint, path: [String: String] = [:], body: (some Encodable & Sendable)? = Optional<Empty>.none) async throws {
        _ = try await raw(endpoint, path: path, body: body, accept: "application/json")
        onDecoded?(endpoint)
    }

    /// Calls an operation whose answer is text (a receipt's HTML, a QR code's SVG).
    func callText(_ endpoint: Endpoint, path: [String: String] = [:], query: [URLQueryItem] = [], accept: String) async throws -> String {
        let data = try await raw(endpoint, path: path, query: query, accept: accept)
        guard let text = String(data: data, encoding: .utf8) else { throw URLError(.cannotDecodeContentData) }
        onDecoded?(endpoint)
        return text
    }

    func raw(
        _ endpoint: Endpoint, path: [String: String] = [:], query: [URLQueryItem] = [],
        body: (some Encodable & Sendable)? = Optional<Empty>.none, headers: [String: String] = [:], accept: String
    ) async throws -> Data {
        var request = URLRequest(url: url(endpoint, path: path, query: query))
        request.httpMethod = endpoint.method
        request.setValue(accept, forHTTPHeaderField: "Accept")
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let token = await tokens.load()
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let body {
            request.httpBody = try Self.encoder.encode(body)
            request.setValue("application/json; charset=utf-8", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await perform(request, retrying: endpoint.method == "GET" || headers["Idempotency-Key"] != nil)
        guard (200..<300).contains(response.statusCode) else {
            let error = APIError.decode(status: response.statusCode, body: data,
                                        retryAfter: APIError.retryAfterSeconds(response.value(forHTTPHeaderField: "Retry-After")))
            // The session ended (expired, revoked, signed out elsewhere): forget the token so the
            // app shows sign-in instead of failing every call.
            if error.problem == .signedOut, token != nil, await tokens.load() == token { await tokens.save(nil) }
            throw error
        }
        return data
    }

    /// `baseURL` + the template with its parameters percent-encoded + the query.
    func url(_ endpoint: Endpoint, path: [String: String], query: [URLQueryItem] = []) -> URL {
        var filled = endpoint.template
        for (name, value) in path {
            var allowed = CharacterSet.alphanumerics
            allowed.insert(charactersIn: "-._~")
            filled = filled.replacingOccurrences(of: "{\(name)}", with: value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")
        }
        var components = URLComponents(url: baseURL, resolvingAgainstBaseURL: false) ?? URLComponents()
        components.percentEncodedPath = components.percentEncodedPath.trimmingSlashesAtEnd + filled
        if !query.isEmpty { components.queryItems = query }
        return components.url ?? baseURL
    }

    /// The longest `Retry-After` the client waits out by itself before trying again: a longer one is
    /// the view's to show (``Problem/retryAfter``), not seconds of a spinner.
    static let longestSilentWait = 5

    /// Retries only requests that are safe to repeat (a GET, or a write under its `Idempotency-Key`,
    /// the same one each time), after transport errors or 502/503/504: 200 and 400 ms apart, or after
    /// the `Retry-After` the server asked for when it is at most `longestSilentWait` seconds; an
    /// answer asking for longer is returned at once.
    private func perform(_ request: URLRequest, retrying: Bool) async throws -> (Data, HTTPURLResponse) {
        var attempt = 0
        while true {
            do {
                let (data, http) = try await transport.send(request)
                if retrying, attempt < maxRetries, [502, 503, 504].contains(http.statusCode) {
                    attempt += 1
                    let backoff = Duration.milliseconds(200 * attempt)
                    if let asked = APIError.retryAfterSeconds(http.value(forHTTPHeaderField: "Retry-After")) {
                        guard asked <= Self.longestSilentWait else { return (data, http) }
                        try await retryDelay(max(backoff, .seconds(asked)))
                    } else {
                        try await retryDelay(backoff)
                    }
                    continue
                }
                return (data, http)
            } catch let error as URLError where retrying && attempt < maxRetries && error.code != .cancelled {
                attempt += 1
                try await retryDelay(.milliseconds(200 * attempt))
            }
        }
    }

    /// How the client reads Drop's answers (RFC 3339 dates); tests read the server's answers with it too.
    public static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        // The same input is the same bytes every time: a retry with an Idempotency-Key must send
        // exactly the body the server stored the key with.
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()
}

/// An empty request body.
public struct Empty: Codable, Sendable {}

extension String {
    fileprivate var trimmingSlashesAtEnd: String {
        var value = self
        while value.hasSuffix("/") { value.removeLast() }
        return value
    }
}
