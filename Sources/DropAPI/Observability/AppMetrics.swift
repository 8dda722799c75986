import Prometheus

/// Drop's Prometheus metrics. One registry per application value (not the global metrics
/// system), so tests and several apps in one process never share counters.
public final class AppMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry

    static let latencyBuckets: [Duration] = [
        .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
        .milliseconds(100), .milliseconds(200), .milliseconds(500), .seconds(1), .seconds(2), .seconds(5),
    ]

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
    }

    static var requests: MetricNameDescriptor { MetricNameDescriptor(namespace: "drop", metricName: "http_requests", unitName: "total",
                                               helpText: "HTTP requests by method, route template and status.") }
    static var requestDuration: MetricNameDescriptor { MetricNameDescriptor(namespace: "drop", metricName: "http_request_duration", unitName: "seconds",
                                                      helpText: "HTTP request latency by method and route template.") }
    static var circuitState: MetricNameDescriptor { MetricNameDescriptor(namespace: "drop", metricName: "provider_circuit", unitName: "state",
                                                   helpText: "Circuit breaker per provider: 0 closed, 1 half-open, 2 open.") }
    static var jobs: MetricNameDescriptor { MetricNameDescriptor(namespace: "drop", metricName: "jobs", unitName: "total",
                                           helpText: "Background jobs run, by kind and outcome.") }

    func recordRequest(method: String, route: String, status: UInt16, duration: Duration) {
        registry.makeCounter(
            descriptor: Self.requests,
            labels: [("method", method), ("route", route), ("status", String(status))]
        ).increment()
        registry.makeDurationHistogram(
            descriptor: Self.requestDuration,
            labels: [("method", method), ("route", route)],
            buckets: Self.latencyBuckets
        ).recordNanoseconds(duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
    }

    /// A provider's circuit breaker state: 0 closed, 1 half-open, 2 open.
    public func setCircuitState(provider: String, state: Int) {
        registry.makeGauge(descriptor: Self.circuitState, labels: [("provider", provider)]).set(Double(state))
    }

    public func countJob(kind: String, outcome: String) {
        registry.makeCounter(descriptor: Self.jobs, labels: [("kind", kind), ("outcome", outcome)]).increment()
    }

    /// The text exposition format served at `/metrics`.
    public func exposition() -> String {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }
}
