import Foundation

/// An error the Drop API answered with, decoded from its envelope `{"error":{"code","message","details"}}`.
public struct APIError: Error, Sendable, Equatable {
    public struct Detail: Sendable, Equatable, Decodable {
        public let field: String?
        public let issue: String
        public let message: String?
    }

    public let status: Int
    public let code: String
    public let message: String
    public let details: [Detail]
    /// Seconds to wait before retrying, from `Retry-After` (rate limits, provider outages).
    public let retryAfter: Int?

    private struct Envelope: Decodable {
        struct Body: Decodable {
            let code: String
            let message: String
            let details: [Detail]?
        }
        let error: Body
    }

    init(status: Int, code: String, message: String, details: [Detail] = [], retryAfter: Int? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.retryAfter = retryAfter
    }

    /// Reads an error response; a body that isn't the envelope still becomes a typed error.
    public static func decode(status: Int, body: Data, retryAfter: Int?) -> APIError {
        if let envelope = try? JSONDecoder().decode(Envelope.self, from: body) {
            return APIError(status: status, code: envelope.error.code, message: envelope.error.message,
                            details: envelope.error.details ?? [], retryAfter: retryAfter)
        }
        return APIError(status: status, code: "HTTP_\(status)", message: "The server answered \(status).", retryAfter: retryAfter)
    }
}
