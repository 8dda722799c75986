import DropHTML
import DropProviders
import DropStore
import DropTelemetry
import Foundation
import Hummingbird
import Logging
import Tracing

/// Turns every error into the envelope `{"error":{"code","message","details"}}` with the right
/// status — JSON for the API, an HTML page for browsers (`EdgeMiddleware`). 500s log the cause
/// under the request id and tell the client nothing internal.
struct ErrorResponder: Sendable {
    typealias Context = AppRequestContext
    let routes: @Sendable () -> RouteTable
    let renderPage: ErrorPageRenderer
    var errors: ErrorReporter = .disabled

    /// The answer for an error thrown anywhere below the edge.
    func answer(_ error: any Error, request: Request, context: Context) -> Response {
        let appError = classify(error, request: request, context: context)
        if appError.status.code >= 500 { report(error, as: appError, request: request, context: context) }
        return render(appError, request: request, context: context)
    }

    /// Unhandled errors and 5xx answers go to the error tracker with the route template, the
    /// request id and the trace, never the request itself.
    private func report(_ error: any Error, as answer: AppError, request: Request, context: Context) {
        let trace = InstrumentationContext.current?.traceParent
        errors.report(ErrorReport(errorType: String(reflecting: type(of: error)), code: answer.code, status: Int(answer.status.code),
                                  transaction: "\(request.method.rawValue) \(AccessLog.template(context.endpointPath))",
                                  requestId: context.requestID, traceId: trace?.traceId, spanId: trace?.spanId))
    }

    func classify(_ error: any Error, request: Request, context: Context) -> AppError {
        switch error {
        case let error as AppError:
            return error
        case let error as HTTPError:
            switch error.status {
            case .notFound:
                let allowed = context.endpointPath == "NotFound" ? routes().allowedMethods(for: request.uri.path) : []
                if !allowed.isEmpty {
                    return AppError(.methodNotAllowed, code: "METHOD_NOT_ALLOWED",
                                    message: "\(request.method.rawValue) is not supported here.",
                                    headers: [.allow: allowed.joined(separator: ", ")])
                }
                return .notFound("There is nothing at \(RouteTable.template(of: request.uri.path)).")
            case .contentTooLarge: return .payloadTooLarge
            case .methodNotAllowed:
                return AppError(.methodNotAllowed, code: "METHOD_NOT_ALLOWED", message: "\(request.method.rawValue) is not supported here.")
            case .badRequest: return .badRequest(error.body ?? "The request could not be read.")
            case .unauthorized: return .unauthenticated
            case .forbidden: return .forbidden
            default:
                if error.status.code >= 500 { return internalError(error, context: context) }
                return AppError(error.status, code: "HTTP_\(error.status.code)", message: error.body ?? error.status.reasonPhrase)
            }
        case let error as DecodingError:
            return .badRequest("The request body is not valid JSON for this endpoint.", details: [Self.detail(error)])
        case let error as ProviderError where error.isProviderUnavailable || error.indicatesProviderFailure:
            // A bank or provider is down or its breaker is open: say so, and when to try again.
            let seconds = error.retryAfter.map { max(1, Int($0.components.seconds)) } ?? 30
            return .providerUnavailable("A service Drop depends on is not answering. Try again shortly.", retryAfterSeconds: seconds)
        case let error as ProviderError where error.isUnreadableAnswer:
            // It answered something Drop can't take (a foreign approval page, a malformed body): what
            // was asked may have been done, so the caller retries with the same key, as for a timeout.
            // Still a 5xx, so the error tracker gets it.
            return .providerUnavailable("A service Drop depends on gave an answer Drop could not use. Try again shortly.", retryAfterSeconds: 30)
        case let error where classifyDatabaseError(error) == .characterRefused:
            // A NUL no field check caught (a query value, a header, an id): bad input, never a 500.
            return .badRequest("The request holds a character that can't be stored.", details: [ErrorDetail(field: nil, issue: "characters")])
        case let error where classifyDatabaseError(error) == .valueTooLarge:
            // A value past what an index entry holds that no field check caught: bad input, never a 500.
            return .badRequest("The request holds a value too large to store.", details: [ErrorDetail(field: nil, issue: "length")])
        default:
            return internalError(error, context: context)
        }
    }

    private func internalError(_ error: any Error, context: Context) -> AppError {
        // The type is enough to find the cause in the code; the description may carry data.
        context.logger.error("unhandled error", metadata: ["error_type": .string(String(reflecting: type(of: error)))])
        return .internalError
    }

    func render(_ error: AppError, request: Request, context: Context) -> Response {
        var headers = error.headers
        if Self.wantsJSON(request) {
            let envelope = ErrorEnvelope(error: .init(code: error.code, message: error.message, details: error.details))
            let data = (try? JSON.encoder.encode(envelope)) ?? Data(#"{"error":{"code":"INTERNAL","message":"","details":[]}}"#.utf8)
            headers[.contentType] = "application/json; charset=utf-8"
            return Response(status: error.status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
        headers[.contentType] = "text/html; charset=utf-8"
        let html = renderPage(ErrorPage(status: Int(error.status.code), code: error.code, message: error.message,
                                        requestID: context.requestID, acceptLanguage: request.headers[.acceptLanguage],
                                        languageCookie: request.cookie("drop_lang")))
        return Response(status: error.status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html.description)))
    }

    /// API paths and JSON-accepting clients get JSON; browsers asking for HTML get a page.
    static func wantsJSON(_ request: Request) -> Bool {
        let path = request.uri.path
        if path.hasPrefix("/v1/") || path == "/v1" || path == "/health" || path == "/ready" || path == "/metrics" { return true }
        let accept = request.headers[.accept] ?? ""
        if accept.contains("application/json") { return true }
        return !accept.contains("text/html")
    }

    static func detail(_ error: DecodingError) -> ErrorDetail {
        func path(_ codingPath: [any CodingKey]) -> String? {
            let joined = codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return joined.isEmpty ? nil : joined
        }
        switch error {
        case .keyNotFound(let key, let context):
            return ErrorDetail(field: path(context.codingPath + [key]), issue: "required", message: "This field is required.")
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return ErrorDetail(field: path(context.codingPath), issue: "type", message: "This field has the wrong type.")
        case .dataCorrupted(let context):
            return ErrorDetail(field: path(context.codingPath), issue: context.codingPath.isEmpty ? "malformed_json" : "invalid",
                               message: context.codingPath.isEmpty ? "The body is not well-formed JSON." : "This value is not valid.")
        @unknown default:
            return ErrorDetail(field: nil, issue: "invalid")
        }
    }
}

/// What an HTML error page needs to say.
public struct ErrorPage: Sendable {
    public let status: Int
    public let code: String
    public let message: String
    public let requestID: String
    public let acceptLanguage: String?
    /// The web app's remembered language choice (the `drop_lang` cookie), which wins over `acceptLanguage`.
    public let languageCookie: String?
}

public typealias ErrorPageRenderer = @Sendable (ErrorPage) -> HTML

/// The plain page used until the web app installs its own.
public let plainErrorPage: ErrorPageRenderer = { page in
    """
    <!doctype html><html lang="en"><head><meta charset="utf-8"><title>\(page.status) · Drop</title></head>
    <body><main><h1>\(page.status)</h1><p>\(page.message)</p><p><small>Reference: \(page.requestID)</small></p></main></body></html>
    """
}
