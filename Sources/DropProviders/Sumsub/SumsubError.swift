/// Sumsub refused a request and said why: `{"description","code","correlationId",…}`.
///
/// Transport trouble (timeouts, 5xx, refused connections) is a `ProviderError` instead. The
/// `message` can quote request data (e.g. the external user id), so `description` leaves it out.
public struct SumsubError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The HTTP status of the answer.
    public let status: Int
    /// Sumsub's `code`, usually the HTTP status again.
    public let code: Int?
    /// Sumsub's finer-grained `errorCode`, when sent.
    public let errorCode: Int?
    /// Sumsub's `description`: human text.
    public let message: String
    /// Sumsub's request id, to quote when asking their support.
    public let correlationId: String?

    public init(status: Int, code: Int? = nil, errorCode: Int? = nil, message: String, correlationId: String? = nil) {
        self.status = status
        self.code = code
        self.errorCode = errorCode
        self.message = message
        self.correlationId = correlationId
    }

    /// Reads Sumsub's error body; a body that is not one keeps its first 200 characters as the message.
    init(status: Int, body: String) {
        struct Body: Decodable {
            let description: String?
            let code: Int?
            let errorCode: Int?
            let correlationId: String?
        }
        let decoded = try? SumsubJSON.decode(Body.self, from: Array(body.utf8))
        self.init(
            status: status, code: decoded?.code, errorCode: decoded?.errorCode,
            message: decoded?.description ?? String(body.prefix(200)), correlationId: decoded?.correlationId
        )
    }

    /// No such applicant (or other resource).
    public var isNotFound: Bool { status == 404 }
    /// An applicant with this external user id exists already.
    public var isConflict: Bool { status == 409 }
    /// App token, timestamp or signature refused: a configuration problem, not the user's.
    public var isAuthenticationFailure: Bool { status == 401 }

    public var description: String {
        "Sumsub refused the request: HTTP \(status)" + (correlationId.map { " (correlation id \($0))" } ?? "")
    }
}
