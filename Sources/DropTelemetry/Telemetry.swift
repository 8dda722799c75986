import AsyncHTTPClient
import DropCore
import Foundation
import Logging

/// Traces, metrics and error reports of one process, as one value: `.disabled`, or `live` from a
/// `TelemetryConfiguration`. The request middleware and the job runner read `tracer` and
/// `errors`; metrics are read from the process's registry on a timer; `shutdown` sends what is
/// still queued.
public struct Telemetry: Sendable {
    /// nil: requests and jobs are not traced (and cost nothing extra).
    public let tracer: DropTracer?
    public let errors: ErrorReporter
    private let stops: [@Sendable () async -> Void]
    private let flushes: [@Sendable () async -> Void]

    public init(tracer: DropTracer?, errors: ErrorReporter, stops: [@Sendable () async -> Void] = [],
                flushes: [@Sendable () async -> Void] = []) {
        self.tracer = tracer
        self.errors = errors
        self.stops = stops
        self.flushes = flushes
    }

    public static let disabled = Telemetry(tracer: nil, errors: .disabled)

    /// - Parameter metrics: the process's metrics in Prometheus's text format (what `/metrics` serves).
    public static func live(_ configuration: TelemetryConfiguration, environment: String, metrics: @escaping @Sendable () -> String,
                            httpClient: HTTPClient, logger: Logger) -> Telemetry {
        var tracer: DropTracer?
        var errors = ErrorReporter.disabled
        var stops: [@Sendable () async -> Void] = []
        var flushes: [@Sendable () async -> Void] = []
        let resource = [("service.name", configuration.serviceName), ("service.instance.id", RecordID.make()),
                        ("deployment.environment.name", environment)] + configuration.resourceAttributes
        if let url = configuration.metricsURL {
            let exporter = OTLPMetricsExporter(configuration: .init(metricsURL: url, headers: configuration.otlpHeaders, resource: resource,
                                                                    interval: configuration.metricsInterval),
                                               source: metrics, httpClient: httpClient, logger: logger)
            Task { await exporter.start() }
            stops.append { await exporter.shutdown() }
            flushes.append { await exporter.export() }
        }
        if let url = configuration.tracesURL {
            let exporter = OTLPTraceExporter(configuration: .init(tracesURL: url, headers: configuration.otlpHeaders, resource: resource),
                                             httpClient: httpClient, logger: logger)
            tracer = DropTracer(sink: exporter)
            stops.append { await exporter.shutdown() }
            flushes.append { await exporter.flush() }
        }
        if let dsn = configuration.sentryDSN {
            let (reporter, stop) = ErrorReporter.sentry(dsn: dsn, environment: environment, release: configuration.release,
                                                        httpClient: httpClient, logger: logger)
            errors = reporter
            stops.append(stop)
            flushes.append(reporter.flush)
        }
        return Telemetry(tracer: tracer, errors: errors, stops: stops, flushes: flushes)
    }

    /// Sends what is queued now (tests; a process that is about to be suspended).
    public func flush() async {
        for flush in flushes { await flush() }
    }

    public func shutdown() async {
        for stop in stops { await stop() }
    }
}
