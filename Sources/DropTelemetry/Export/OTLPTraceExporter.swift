import AsyncHTTPClient
import Foundation
import Logging
import NIOCore

/// Sends finished spans to an OpenTelemetry collector over OTLP/HTTP (JSON), in batches, in the
/// background. Works with any OTLP endpoint: the OpenTelemetry Collector, Jaeger, Tempo, or an
/// error tracker's OTLP intake (`OTEL_EXPORTER_OTLP_HEADERS` carries its key).
public final class OTLPTraceExporter: SpanSink, @unchecked Sendable {
    public struct Configuration: Sendable {
        /// The full traces URL (`OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, or `OTEL_EXPORTER_OTLP_ENDPOINT` + `/v1/traces`).
        public var tracesURL: String
        public var headers: [(String, String)]
        /// `service.name`, `service.instance.id`, `deployment.environment.name`, and `OTEL_RESOURCE_ATTRIBUTES`.
        public var resource: [(String, String)]
        public var interval: Duration

        public init(tracesURL: String, headers: [(String, String)] = [], resource: [(String, String)], interval: Duration = .seconds(1)) {
            self.tracesURL = tracesURL
            self.headers = headers
            self.resource = resource
            self.interval = interval
        }
    }

    private let sender: BatchSender<RecordedSpan>

    public init(configuration: Configuration, httpClient: HTTPClient, logger: Logger) {
        let queue = BatchQueue<RecordedSpan>(capacity: 8192, batchSize: 512)
        sender = BatchSender(queue: queue, interval: configuration.interval) { spans in
            // Spans are diagnostics: a collector that is down costs them, never a request.
            await CollectorUpload.post(OTLPJSON.traces(spans, resource: configuration.resource, scope: "drop"), to: configuration.tracesURL,
                                       contentType: "application/json", headers: configuration.headers, what: "trace export",
                                       metadata: ["spans": "\(spans.count)"], httpClient: httpClient, logger: logger)
        }
        sender.start()
    }

    public func record(_ span: RecordedSpan) { sender.queue.add(span) }

    /// Spans dropped because the collector could not keep up.
    public var dropped: Int { sender.queue.dropped }

    public func flush() async { await sender.flush() }
    public func shutdown() async { await sender.stop() }
}
