import DropCore
import DropTelemetry
import HTTPTypes
import Hummingbird
import Tracing

/// A server span per request, named after its route template (`GET /v1/recipients/{id}`),
/// continuing the caller's W3C trace when it sent a valid `traceparent`. Everything below runs
/// in the span's context, so database statements and provider calls become its children. Only
/// used when tracing is configured (`OTEL_EXPORTER_OTLP_ENDPOINT`; `EdgeMiddleware`).
struct RequestSpan: Sendable {
    let tracer: DropTracer

    /// Runs `serve` inside the request's span, with the trace id on every log line; `serve` answers
    /// every error itself, so the span always ends with the status the client gets.
    func around(_ request: Request, context: AppRequestContext,
                _ serve: (AppRequestContext) async -> Response) async -> Response {
        var parent = InstrumentationContext.topLevel
        tracer.extract(request.headers, into: &parent, using: HTTPFieldsExtractor())
        let method = request.method.rawValue
        return await tracer.span(method, context: parent, kind: .server) { span in
            var context = context
            context.logger[metadataKey: "trace_id"] = .string(span.traceParent.traceId.hex)
            let response = await serve(context)
            finish(span, method: method, route: AccessLog.template(context.endpointPath), status: Int(response.status.code))
            return response
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
