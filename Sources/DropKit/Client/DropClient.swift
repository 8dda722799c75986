import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The typed client of Drop's `/v1` API that the iOS app uses: bearer auth from the token store,
/// the error envelope as `APIError`, retries of safe requests when the network or server hiccups.
public struct DropClient: Sendable {
    public let baseURL: URL
    let tokens: any TokenStore
    let session: URLSession
    let maxRetries: Int

    public init(baseURL: URL, tokens: any TokenStore = InMemoryTokenStore(), session: URLSession = .shared, maxRetries: Int = 2) {
        self.baseURL = baseURL
        self.tokens = tokens
        self.session = session
        self.maxRetries = maxRetries
    }

    public struct Health: Decodable, Sendable, Equatable {
        public let status: String
        public init(status: String) { self.status = status }
    }

    public func health() async throws -> Health {
        try await send("GET", "health")
    }

    /// Sends a request and decodes a 2xx JSON answer; anything else throws `APIError`.
    public func send<Response: Decodable>(
        _ method: String, _ path: String, body: (some Encodable & Sendable)? = Optional<Empty>.none,
        headers: [String: String] = [:], as: Response.Type = Response.self
    ) async throws -> Response {
        var request = URLRequest(url: baseURL.appendingPathComponent(path))
        request.httpMethod = method
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        if let token = await tokens.load() { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let body {
            request.httpBody = try JSONEncoder().encode(body)
            request.setValue("application/json; charset=utf-8", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await perform(request, retrying: method == "GET" || headers["Idempotency-Key"] != nil)
        guard (200..<300).contains(response.statusCode) else {
            throw APIError.decode(status: response.statusCode, body: data,
                                  retryAfter: response.value(forHTTPHeaderField: "Retry-After").flatMap(Int.init))
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(Response.self, from: data)
    }

    /// Retries only requests that are safe to repeat, after transport errors or 502/503/504.
    private func perform(_ request: URLRequest, retrying: Bool) async throws -> (Data, HTTPURLResponse) {
        var attempt = 0
        while true {
            do {
                let (data, response) = try await session.data(for: request)
                guard let http = response as? HTTPURLResponse else { throw URLError(.badServerResponse) }
                if retrying, attempt < maxRetries, [502, 503, 504].contains(http.statusCode) {
                    attempt += 1
                    try await Task.sleep(for: .milliseconds(200 * attempt))
                    continue
                }
                return (data, http)
            } catch let error as URLError where retrying && attempt < maxRetries && error.code != .cancelled {
                attempt += 1
                try await Task.sleep(for: .milliseconds(200 * attempt))
            }
        }
    }
}

/// An empty request body.
public struct Empty: Codable, Sendable {}
