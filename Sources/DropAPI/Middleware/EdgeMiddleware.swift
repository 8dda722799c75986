import DropCore
import Hummingbird

/// The outer half of the chain, everything that every request gets whatever it asks for, in this
/// order (docs/architecture.md, "The request path"):
/// 1. the client address, so logs, rate limits and `PSU-IP-Address` see the real client;
/// 2. the request id, on every log line and echoed on every response;
/// 3. the trace span, when tracing is configured;
/// 4. the error envelope, so nothing below answers with anything but `{"error":…}` or the error page;
/// 5. the access log and request metrics, for the answer as the client gets it;
/// 6. the security headers, on errors too (a page's set, or a JSON answer's), and `Cache-Control: no-store`
///    on any answer that didn't say how it may be kept.
///
/// One value rather than six layers: each layer of Hummingbird's chain is an async frame, a copy of
/// the context and its retains on every request, and these steps need none of that between them
/// (bench/README.md, "Profiling"). Each step is its own small value with its own file; `RequestChain`
/// runs this, then `AdmissionMiddleware`.
struct EdgeMiddleware: Sendable {
    typealias Context = AppRequestContext
    let clientAddress: ClientAddressResolver
    let span: RequestSpan?
    let errors: ErrorResponder
    let accessLog: AccessLog
    let securityHeaders: SecurityHeaders

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.clientIP = clientAddress.clientAddress(peer: context.clientIP, forwarded: request.headers[values: .forwarded],
                                                       forwardedFor: request.headers[values: .xForwardedFor])
        let id = RequestID.of(request)
        context.requestID = id
        context.logger[metadataKey: "request_id"] = .string(id)
        var response = if let span {
            await span.around(request, context: context) { context in await serve(request, context: context, next: next) }
        } else {
            await serve(request, context: context, next: next)
        }
        response.headers[.xRequestID] = id
        response.headers.append(contentsOf: securityHeaders.fields(for: response))
        return response
    }

    /// The rest of the chain and the route, every error turned into its answer, logged and counted.
    private func serve(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async -> Response {
        let start = ContinuousClock.now
        let response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = errors.answer(error, request: request, context: context)
        }
        accessLog.record(request, response, context: context, elapsed: ContinuousClock.now - start)
        return response
    }
}
