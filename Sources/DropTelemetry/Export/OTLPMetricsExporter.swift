import AsyncHTTPClient
import Foundation
import Logging
import NIOCore

/// Sends the process's metrics to an OpenTelemetry collector over OTLP/HTTP (JSON) every
/// `interval` (`OTEL_METRIC_EXPORT_INTERVAL`), and once more at shutdown. It reads the same
/// registry `/metrics` serves (`source` gives its exposition text), so a Prometheus scrape and
/// the collector see the same numbers.
public actor OTLPMetricsExporter {
    public struct Configuration: Sendable {
        /// `OTEL_EXPORTER_OTLP_METRICS_ENDPOINT`, or `OTEL_EXPORTER_OTLP_ENDPOINT` + `/v1/metrics`.
        public var metricsURL: String
        public var headers: [(String, String)]
        public var resource: [(String, String)]
        public var interval: Duration

        public init(metricsURL: String, headers: [(String, String)] = [], resource: [(String, String)], interval: Duration = .seconds(60)) {
            self.metricsURL = metricsURL
            self.headers = headers
            self.resource = resource
            self.interval = interval
        }
    }

    private let configuration: Configuration
    private let source: @Sendable () -> String
    private let httpClient: HTTPClient
    private let logger: Logger
    /// Cumulative sums start when the process (its registry) started.
    private let startNanoseconds = OTLPMetricsExporter.nanoseconds(Date())
    private var loop: Task<Void, Never>?

    public init(configuration: Configuration, source: @escaping @Sendable () -> String, httpClient: HTTPClient, logger: Logger) {
        self.configuration = configuration
        self.source = source
        self.httpClient = httpClient
        self.logger = logger
    }

    public func start() {
        guard loop == nil else { return }
        let interval = configuration.interval
        loop = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                guard !Task.isCancelled, let self else { return }
                await self.export()
            }
        }
    }

    /// Sends the metrics as they stand now.
    public func export() async {
        let families = PrometheusExposition.parse(source())
        let body = OTLPMetricsJSON.metrics(families, resource: configuration.resource, scope: "drop",
                                           startNanoseconds: startNanoseconds, nowNanoseconds: Self.nanoseconds(Date()))
        // A collector that is down costs one export, never a request.
        await CollectorUpload.post(body, to: configuration.metricsURL, contentType: "application/json", headers: configuration.headers,
                                   what: "metrics export", httpClient: httpClient, logger: logger)
    }

    /// Stops the timer and sends the last numbers.
    public func shutdown() async {
        loop?.cancel()
        loop = nil
        await export()
    }

    private static func nanoseconds(_ date: Date) -> UInt64 { UInt64(max(0, date.timeIntervalSince1970) * 1_000_000_000) }
}
