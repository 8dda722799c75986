import Foundation

/// An error the Drop API answered with, decoded from its envelope `{"error":{"code","message","details"}}`.
public struct APIError: Error, Sendable, Equatable {
    public struct Detail: Sendable, Equatable, Decodable {
        public let field: String?
        public let issue: String
        public let message: String?

        public init(field: String?, issue: String, message: String? = nil) {
            self.field = field
            self.issue = issue
            self.message = message
        }
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

    public init(status: Int, code: String, message: String, details: [Detail] = [], retryAfter: Int? = nil) {
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

    /// `Retry-After` as delta-seconds (what Drop sends) or an HTTP date, relative to `now`.
    public static func retryAfterSeconds(_ header: String?, now: Date = Date()) -> Int? {
        guard let header = header?.trimmingCharacters(in: .whitespaces), !header.isEmpty else { return nil }
        if let seconds = Int(header) { return max(0, seconds) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: header) else { return nil }
        return max(0, Int(date.timeIntervalSince(now).rounded(.up)))
    }

    /// The issue per field, for showing next to each input (`details[]` with a `field`).
    public var fieldIssues: [String: FieldIssue] {
        var issues: [String: FieldIssue] = [:]
        for detail in details {
            guard let field = detail.field, issues[field] == nil else { continue }
            issues[field] = FieldIssue(issue: detail.issue, message: detail.message)
        }
        return issues
    }

    /// What a view shows for this answer.
    public var problem: Problem {
        switch (status, code) {
        case (401, "STEP_UP_REQUIRED"): .stepUpRequired
        case (401, _): .signedOut
        case (429, _), (_, "RATE_LIMITED"): .rateLimited(retryAfter: retryAfter)
        case (_, "PROVIDER_UNAVAILABLE"): .providerUnavailable(retryAfter: retryAfter)
        case (400, _) where !fieldIssues.isEmpty, (422, _) where !fieldIssues.isEmpty: .invalid(code: code, message: message, fields: fieldIssues)
        case (404, _): .notFound(message: message)
        case (403, _): .forbidden(code: code, message: message)
        case (409, _): .conflict(code: code, message: message)
        case (400, _), (422, _): .rejected(code: code, message: message)
        default: .server(code: code, message: message)
        }
    }
}

/// Why one field was refused: the machine-readable issue (`required`, `format`, `too_long`, …) and the server's words.
public struct FieldIssue: Sendable, Hashable {
    public let issue: String
    public let message: String?
    public init(issue: String, message: String? = nil) {
        self.issue = issue
        self.message = message
    }
}

/// Every failure as a value a view can switch over: what happened and what the person can do.
public enum Problem: Error, Sendable, Hashable {
    /// No session, or it expired or was revoked: the token is gone; sign in again.
    case signedOut
    /// A fresh BankID sign-in is needed (``SessionModel/beginSignIn(stepUp:)``): for an admin write, or
    /// a customer changing a recipient's bank details, their email or phone, deleting their account or downloading its data.
    case stepUpRequired
    /// Too many attempts; try again after `retryAfter` seconds.
    case rateLimited(retryAfter: Int?)
    /// A bank, BankID, the identity check or the payout partner is down; try again after `retryAfter` seconds.
    case providerUnavailable(retryAfter: Int?)
    /// Some inputs were refused: show each issue next to its field.
    case invalid(code: String, message: String, fields: [String: FieldIssue])
    /// Refused as a whole (a limit, an expired quote, …): show `message`.
    case rejected(code: String, message: String)
    case notFound(message: String)
    case forbidden(code: String, message: String)
    case conflict(code: String, message: String)
    /// No connection to Drop.
    case offline
    /// Drop failed, or answered something this version of the app cannot read.
    case server(code: String, message: String)

    /// 409: an earlier attempt under the same `Idempotency-Key` is still being processed; send
    /// the same request with the same key again after `Retry-After`.
    public static let keyInUse = "IDEMPOTENCY_KEY_IN_USE"
    /// 409: the recipient was edited after the app showed it (``RemittanceInput/payeeVersion``); nothing was sent.
    public static let recipientChanged = "RECIPIENT_CHANGED"

    /// Whether a money write that failed so may be sent again only with the same key: the server
    /// did not answer, answered "not now", or is still working on an earlier attempt under it
    /// (only the same key learns that attempt's answer; a new one could make a second payment). A
    /// session that ran out processed nothing: after signing in again the same request goes with
    /// the same key. After a definite refusal (invalid, rejected, another conflict) it is dropped.
    public var keepsIdempotencyKey: Bool {
        switch self {
        case .offline, .server, .providerUnavailable, .rateLimited, .signedOut: true
        case .conflict(let code, _): code == Self.keyInUse
        default: false
        }
    }

    /// Any error the client throws, as a problem.
    public init(_ error: any Error) {
        switch error {
        case let problem as Problem: self = problem
        case let api as APIError: self = api.problem
        case let url as URLError: self = url.code == .cancelled ? .server(code: "CANCELLED", message: "Cancelled.") : .offline
        case let error as DecodingError: self = .server(code: "UNREADABLE_RESPONSE", message: "Drop answered something this app cannot read (\(error)).")
        default: self = .server(code: "UNKNOWN", message: String(describing: error))
        }
    }

    /// The field issues to show next to inputs (empty unless `.invalid`).
    public var fields: [String: FieldIssue] {
        if case .invalid(_, _, let fields) = self { return fields }
        return [:]
    }

    /// The envelope's code, when the server sent one.
    public var code: String? {
        switch self {
        case .invalid(let code, _, _), .rejected(let code, _), .forbidden(let code, _), .conflict(let code, _), .server(let code, _): code
        case .rateLimited: "RATE_LIMITED"
        case .providerUnavailable: "PROVIDER_UNAVAILABLE"
        case .signedOut: "UNAUTHENTICATED"
        case .stepUpRequired: "STEP_UP_REQUIRED"
        case .notFound: "NOT_FOUND"
        case .offline: nil
        }
    }

    /// Seconds until a retry makes sense, when the server said.
    public var retryAfter: Int? {
        switch self {
        case .rateLimited(let seconds), .providerUnavailable(let seconds): seconds
        default: nil
        }
    }
}
