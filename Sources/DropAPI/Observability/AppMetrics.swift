import NIOConcurrencyHelpers
import Prometheus

/// Drop's Prometheus metrics. One registry per application value (not the global metrics
/// system), so tests and several apps in one process never share counters.
public final class AppMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    /// Per-route instruments, looked up once: the registry builds names and takes its lock on every
    /// `make…` call, which showed up under load.
    private let instruments = NIOLockedValueBox<[RouteKey: (Counter, DurationHistogram)]>([:])

    private struct RouteKey: Hashable {
        let method: String
        let route: String
        let status: UInt16
    }

    static let latencyBuckets: [Duration] = [
        .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
        .milliseconds(100), .milliseconds(200), .milliseconds(500), .seconds(1), .seconds(2), .seconds(5),
    ]

    /// An answer each process keeps in memory (`AnswerCache`), counted on every read of it.
    enum CachedAnswer: CaseIterable {
        /// `drop_transaction_list_reads_total{outcome}`: the newest page of a transaction list.
        case transactionList
        /// `drop_balance_reads_total{outcome}`: `GET /v1/balance`.
        case balance
    }

    /// Made once: the hit, kept and miss counters of each cached answer.
    private let cachedReads: [CachedAnswer: (hit: Counter, kept: Counter, miss: Counter)]

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        cachedReads = Dictionary(uniqueKeysWithValues: CachedAnswer.allCases.map { answer in
            let descriptor = Self.reads(of: answer)
            return (answer, (registry.makeCounter(descriptor: descriptor, labels: [("outcome", "hit")]),
                             registry.makeCounter(descriptor: descriptor, labels: [("outcome", "kept")]),
                             registry.makeCounter(descriptor: descriptor, labels: [("outcome", "miss")])))
        })
    }

    static var requests: MetricNameDescriptor { MetricNameDescriptor(namespace: "drop", metricName: "http_requests", unitName: "total",
                                               helpText: "HTTP requests by method, route template and status.") }
    static var requestDuration: MetricNameDescriptor { MetricNameDescriptor(namespace: "drop", metricName: "http_request_duration", unitName: "seconds",
                                                      helpText: "HTTP request latency by method and route template.") }
    static var circuitState: MetricNameDescriptor { MetricNameDescriptor(namespace: "drop", metricName: "provider_circuit", unitName: "state",
                                                   helpText: "Circuit breaker per provider: 0 closed, 1 half-open, 2 open.") }
    static var reconciliationFindings: MetricNameDescriptor {
        MetricNameDescriptor(namespace: "drop", metricName: "reconciliation", unitName: "findings",
                             helpText: "Transactions whose state breaks an invariant of the money flow (0 when healthy).")
    }
    static var operationsAlerts: MetricNameDescriptor {
        MetricNameDescriptor(namespace: "drop", metricName: "operations_alerts", unitName: "open",
                             helpText: "Open operations alerts (partner refused credentials, late settlements, mismatches).")
    }
    static func reads(of answer: CachedAnswer) -> MetricNameDescriptor {
        switch answer {
        case .transactionList:
            MetricNameDescriptor(namespace: "drop", metricName: "transaction_list_reads", unitName: "total",
                                 helpText: "Reads of the newest page of a transaction list: hit (from memory), kept (as the database kept it) or miss (its rows read).")
        case .balance:
            MetricNameDescriptor(namespace: "drop", metricName: "balance_reads", unitName: "total",
                                 helpText: "Reads of a customer's balance: hit (from memory) or miss (from the database, and the bank when old).")
        }
    }
    static var workerClockOffset: MetricNameDescriptor {
        MetricNameDescriptor(namespace: "drop", metricName: "worker_clock_offset", unitName: "seconds",
                             helpText: "How far this process's clock is ahead of the database's (negative: behind); its job worker claims nothing beyond JOB_MAX_CLOCK_SKEW_SECONDS.")
    }
    static var jobs: MetricNameDescriptor { MetricNameDescriptor(namespace: "drop", metricName: "jobs", unitName: "total",
                                           helpText: "Background jobs run, by kind and outcome.") }

    func recordRequest(method: String, route: String, status: UInt16, duration: Duration) {
        let key = RouteKey(method: method, route: route, status: status)
        let (counter, histogram) = instruments.withLockedValue { cache in
            if let found = cache[key] { return found }
            let made = (
                registry.makeCounter(descriptor: Self.requests, labels: [("method", method), ("route", route), ("status", String(status))]),
                registry.makeDurationHistogram(descriptor: Self.requestDuration, labels: [("method", method), ("route", route)],
                                               buckets: Self.latencyBuckets)
            )
            cache[key] = made
            return made
        }
        counter.increment()
        histogram.recordNanoseconds(duration.wholeNanoseconds)
    }

    /// A provider's circuit breaker state: 0 closed, 1 half-open, 2 open.
    public func setCircuitState(provider: String, state: Int) {
        registry.makeGauge(descriptor: Self.circuitState, labels: [("provider", provider)]).set(Double(state))
    }

    /// What the invariant checker found (`GET /v1/admin/reconciliation`).
    public func setReconciliationFindings(_ count: Int) {
        registry.makeGauge(descriptor: Self.reconciliationFindings).set(Double(count))
    }

    /// How far this process's clock is ahead of the database's (negative: behind), as its job worker last measured it.
    public func setWorkerClockOffset(_ seconds: Double) {
        registry.makeGauge(descriptor: Self.workerClockOffset).set(seconds)
    }

    public func setOpenOperationsAlerts(_ count: Int) {
        registry.makeGauge(descriptor: Self.operationsAlerts).set(Double(count))
    }

    /// One read of a cached answer, served from memory (`hit`) or read again.
    func countRead(of answer: CachedAnswer, hit: Bool) {
        guard let counters = cachedReads[answer] else { return }
        (hit ? counters.hit : counters.miss).increment()
    }

    /// One read of a cached answer served as the database kept it (ADR 0023: the newest page of a list).
    func countKeptRead(of answer: CachedAnswer) {
        cachedReads[answer]?.kept.increment()
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
