import Hummingbird

/// One entry of an error's `details`: which field, what is wrong with it.
public struct ErrorDetail: Codable, Sendable, Equatable {
    public var field: String?
    public var issue: String
    public var message: String?

    public init(field: String?, issue: String, message: String? = nil) {
        self.field = field
        self.issue = issue
        self.message = message
    }
}

/// Every error a client sees: `{"error":{"code","message","details"}}` with the right status.
/// Handlers throw these; the error middleware renders them (JSON for the API, HTML for pages).
public struct AppError: Error, Sendable {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    public var details: [ErrorDetail]
    public var headers: HTTPFields

    public init(_ status: HTTPResponse.Status, code: String, message: String, details: [ErrorDetail] = [], headers: HTTPFields = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.headers = headers
    }
}

extension AppError {
    public static func validation(_ message: String, details: [ErrorDetail] = [], status: HTTPResponse.Status = .unprocessableContent) -> AppError {
        AppError(status, code: "VALIDATION_FAILED", message: message, details: details)
    }
    public static func badRequest(_ message: String, details: [ErrorDetail] = []) -> AppError {
        AppError(.badRequest, code: "VALIDATION_FAILED", message: message, details: details)
    }
    public static let unauthenticated = AppError(.unauthorized, code: "UNAUTHENTICATED", message: "Sign in to continue.")
    public static let forbidden = AppError(.forbidden, code: "FORBIDDEN", message: "You are not allowed to do this.")
    public static func notFound(_ message: String = "Nothing here.") -> AppError {
        AppError(.notFound, code: "NOT_FOUND", message: message)
    }
    public static func conflict(_ message: String, code: String = "CONFLICT") -> AppError {
        AppError(.conflict, code: code, message: message)
    }
    public static func gone(_ message: String) -> AppError {
        AppError(.gone, code: "GONE", message: message)
    }
    public static let payloadTooLarge = AppError(.contentTooLarge, code: "PAYLOAD_TOO_LARGE", message: "The request body is too large.")
    public static func providerUnavailable(_ message: String, retryAfterSeconds: Int) -> AppError {
        AppError(.serviceUnavailable, code: "PROVIDER_UNAVAILABLE", message: message,
                 headers: [.retryAfter: String(retryAfterSeconds)])
    }
    /// An amount outside the product's range or over a spending limit (docs/api.md, "Errors": 422).
    public static func limitExceeded(_ message: String, details: [ErrorDetail] = []) -> AppError {
        AppError(.unprocessableContent, code: "LIMIT_EXCEEDED", message: message, details: details)
    }
    public static let quoteExpired = AppError(.unprocessableContent, code: "QUOTE_EXPIRED",
                                              message: "This quote has expired. Get a new quote to see today's price.")
    /// No reference rate recent enough to price with: the feed (or our refresh of it) is behind.
    /// A server-side condition, so 503, and worth retrying once the next refresh has run.
    public static func rateUnavailable(_ message: String, retryAfterSeconds: Int = 300) -> AppError {
        AppError(.serviceUnavailable, code: "RATE_UNAVAILABLE", message: message, headers: [.retryAfter: String(retryAfterSeconds)])
    }
    public static let internalError = AppError(.internalServerError, code: "INTERNAL", message: "Something went wrong on our side. Try again shortly.")
}

/// The JSON shape of the envelope.
struct ErrorEnvelope: Codable, Sendable {
    struct Body: Codable, Sendable {
        var code: String
        var message: String
        var details: [ErrorDetail]
    }
    var error: Body
}
