import DropCore
import DropTelemetry
import HTTPTypes
import Hummingbird
import Tracing

/// A server span per request, named after its route template (`GET /v1/recipients/{id}`),
/// continuing the caller's W3C trace when it sent a valid `traceparent`. Everything below runs
/// in the span's context, so database statements and provider calls become its children. Only
/// in the chain when tracing is configured (`OTEL_EXPORTER_OTLP_ENDPOINT`).
struct TraceMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let tracer: DropTracer

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var parent = InstrumentationContext.topLevel
        tracer.extract(request.headers, into: &parent, using: HTTPFieldsExtractor())
        let method = request.method.rawValue
        return try await tracer.span(method, context: parent, kind: .server) { span in
            var context = context
            context.logger[metadataKey: "trace_id"] = .string(span.traceParent.traceId.hex)
            do {
                let response = try await next(request, context)
                finish(span, method: method, route: AccessLogMiddleware.template(context.endpointPath), status: Int(response.status.code))
                return response
            } catch {
                // Errors are turned into answers inside the chain; one that gets here is still named.
                finish(span, method: method, route: AccessLogMiddleware.template(context.endpointPath),
                       status: (error as? any HTTPResponseError).map { Int($0.status.code) } ?? 500)
                throw error
            }
        }
    }

    private func finish(_ span: TraceSpan, method: String, route: String, status: Int) {
        span.operationName = "\(method) \(route)"
        span.attributes["http.request.method"] = SpanAttribute.string(method)
        span.attributes["http.route"] = SpanAttribute.string(route)
        span.attributes["http.response.status_code"] = SpanAttribute.int64(Int64(status))
        if status >= 500 { span.setStatus(SpanStatus(code: .error)) }
    }
}

/// Reads `traceparent` from a request's header fields.
struct HTTPFieldsExtractor: Extractor {
    func extract(key: String, from fields: HTTPFields) -> String? {
        HTTPField.Name(key).flatMap { fields[$0] }
    }
}
