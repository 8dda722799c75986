import Hummingbird
import Logging
import NIOConcurrencyHelpers

/// One JSON log line per request and the Prometheus request metrics, for the answer as the client
/// gets it (errors already turned into their envelope; `EdgeMiddleware`). It logs the route template
/// (`/v1/recipients/{id}`), never the concrete path or query, which may carry personal data.
struct AccessLog: Sendable {
    let metrics: AppMetrics

    func record(_ request: Request, _ response: Response, context: AppRequestContext, elapsed: Duration) {
        let route = Self.template(context.endpointPath)
        metrics.recordRequest(method: request.method.rawValue, route: route, status: UInt16(response.status.code), duration: elapsed)
        // Skip building the line when info is filtered out (the hot path under load).
        guard context.logger.logLevel <= .info else { return }
        context.logger.info("request", metadata: [
            "method": .string(request.method.rawValue),
            "route": .string(route),
            "status": .stringConvertible(response.status.code),
            "duration_ms": .string(Self.milliseconds(elapsed)),
        ])
    }

    /// `elapsed` in milliseconds to two decimals, `12.35`, rounded to the nearest: what `%.2f` writes,
    /// without `String(format:)`'s cost on every request.
    static func milliseconds(_ elapsed: Duration) -> String {
        let hundredths = (max(0, elapsed.wholeNanoseconds) + 5_000) / 10_000
        let fraction = hundredths % 100
        return "\(hundredths / 100)." + (fraction < 10 ? "0" : "") + "\(fraction)"
    }

    /// Route templates are few and fixed: computed once each, not split and joined per request.
    private static let templates = NIOLockedValueBox<[String: String]>([:])

    static func template(_ endpointPath: String?) -> String {
        guard let endpointPath else { return "unmatched" }
        if let known = templates.withLockedValue({ $0[endpointPath] }) { return known }
        let made = RouteTable.template(of: endpointPath)
        templates.withLockedValue { if $0.count < 4096 { $0[endpointPath] = made } }
        return made
    }
}
