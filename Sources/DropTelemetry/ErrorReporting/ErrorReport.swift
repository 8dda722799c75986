import DropCore
import Foundation

/// What Drop tells the error tracker about a failure: where and what kind, never whose.
/// No user, no request body, no query string, no error description (it may quote data); the
/// type, the route template, the status and the ids to find the logs and the trace.
public struct ErrorReport: Sendable, Equatable {
    /// The Swift type of the error, e.g. `PostgresNIO.PSQLError`.
    public let errorType: String
    /// The answer's error code (`INTERNAL`, `PROVIDER_UNAVAILABLE`) or the job's name.
    public let code: String
    public let status: Int?
    /// `GET /v1/recipients/{id}`, or `job fx.refresh`.
    public let transaction: String
    public let requestId: String?
    public let traceId: TraceId?
    public let spanId: SpanId?
    public let at: Date

    public init(errorType: String, code: String, status: Int?, transaction: String, requestId: String?,
                traceId: TraceId?, spanId: SpanId?, at: Date = Date()) {
        self.errorType = errorType
        self.code = code
        self.status = status
        self.transaction = transaction
        self.requestId = requestId
        self.traceId = traceId
        self.spanId = spanId
        self.at = at
    }
}
