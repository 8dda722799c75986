import DropCore
import HTTPTypes
import Hummingbird
import Logging

/// One log line per request a sandbox answers, with the caller's W3C trace id and span, so a
/// trace in Drop's collector leads to the sandbox's side of the call (as a real provider's
/// support would look it up). Nothing else of the request is logged: bodies carry personal data.
public struct SandboxRequestLog<Context: RequestContext>: RouterMiddleware {
    let sandbox: String
    let logger: Logger
    static var traceparent: HTTPField.Name { HTTPField.Name(TraceParent.headerName)! }

    public init(sandbox: String, logger: Logger) {
        self.sandbox = sandbox
        self.logger = logger
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let parent = request.headers[Self.traceparent].flatMap(TraceParent.init(header:))
        do {
            let response = try await next(request, context)
            log(request, status: Int(response.status.code), parent: parent)
            return response
        } catch {
            log(request, status: (error as? any HTTPResponseError).map { Int($0.status.code) } ?? 500, parent: parent)
            throw error
        }
    }

    private func log(_ request: Request, status: Int, parent: TraceParent?) {
        var metadata: Logger.Metadata = ["sandbox": .string(sandbox), "method": .string(request.method.rawValue), "status": .stringConvertible(status)]
        if let parent {
            metadata["trace_id"] = .string(parent.traceId.hex)
            metadata["parent_span_id"] = .string(parent.spanId.hex)
        }
        logger.info("sandbox request", metadata: metadata)
    }
}
