@testable import DropAPI
import DropCore
import DropSandbox
@testable import DropTelemetry
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOConcurrencyHelpers
import Testing

/// Traces (OTLP/HTTP) and error reports (Sentry envelopes) arrive at a collector, carry one
/// trace id from the caller through Drop, its database and its providers, and name no person.
@Suite("Telemetry: traces and error reports reach the collector")
struct TelemetryTests {
    static let callerTrace = "4bf92f3577b34da6a3ce929d0e0e4736"
    static let callerSpan = "00f067aa0ba902b7"

    static func environment(_ receiver: TelemetryReceiver) -> [String: String] {
        let port = receiver.url.split(separator: ":").last.map(String.init) ?? ""
        return ["OTEL_EXPORTER_OTLP_ENDPOINT": receiver.url, "OTEL_SERVICE_NAME": "drop-test",
                "SENTRY_DSN": "http://publickey@127.0.0.1:\(port)/42"]
    }

    static func spans(_ receiver: TelemetryReceiver, trace: String) throws -> [OTLPExport.Span] {
        try receiver.spans().filter { $0.traceId == trace }
    }

    @Test func aRequestIsOneTraceThroughTheServerAndItsDatabase() async throws {
        try await TelemetryReceiver.run { receiver in
            try await LiveServer.run(environment: Self.environment(receiver)) { server in
                let kari = try await server.bearer("15039010043")
                let userId = try await server.userId(kari)
                let reply = try await server.get("/v1/me", headers: [kari, ("traceparent", "00-\(Self.callerTrace)-\(Self.callerSpan)-01")])
                #expect(reply.status == 200)
                await server.services.telemetry.flush()

                let trace = try Self.spans(receiver, trace: Self.callerTrace)
                let root = try #require(trace.first { $0.name == "GET /v1/me" })
                #expect(root.parentSpanId == Self.callerSpan)  // the caller's span is the parent
                #expect(root.kind == .server)
                #expect(root.attribute("http.route") == "/v1/me")
                #expect(root.attribute("http.response.status_code") == "200")
                let statements = trace.filter { $0.isChild(of: root) && $0.kind == .client }
                #expect(!statements.isEmpty)
                #expect(statements.allSatisfy { $0.attribute("db.system.name") != nil && $0.attribute("db.query.text") != nil })
                // Statements are sent with their placeholders: no bound value (ids, names, numbers) is in any span.
                let exported = String(decoding: receiver.deliveries.filter { $0.path == "/v1/traces" }.flatMap(\.body), as: UTF8.self)
                #expect(!exported.contains(userId) && !exported.contains("15039010043") && !exported.contains("Kari"))
                let resource = receiver.deliveries.first { $0.path == "/v1/traces" }.map { String(decoding: $0.body, as: UTF8.self) } ?? ""
                #expect(resource.contains("drop-test"))
            }
        }
    }

    @Test func aProviderCallCarriesTheTraceToTheProvider() async throws {
        try await TelemetryReceiver.run { receiver in
            try await LiveServer.run(environment: Self.environment(receiver)) { server in
                // Sign-in calls BankID (the sandbox, over HTTP): its token request is a client span, and the
                // sandbox's side of it arrives with that span as its parent in `traceparent`.
                _ = try await server.bearer("15039010043")
                await server.services.telemetry.flush()
                let spans = try receiver.spans()
                let calls = spans.filter { $0.kind == .client && $0.attribute("drop.provider") == "bankid" }
                #expect(!calls.isEmpty)
                let answered = calls.filter { call in
                    spans.contains { $0.kind == .server && $0.isChild(of: call) && ($0.attribute("http.route") ?? "").hasPrefix("/sandbox/bankid") }
                }
                #expect(!answered.isEmpty)
            }
        }
    }

    @Test func anUnhandledErrorIsReportedWithItsTraceAndNoPersonalData() async throws {
        try await TelemetryReceiver.run { receiver in
            try await LiveServer.run(environment: Self.environment(receiver)) { server in
                let kari = try await server.bearer("15039010043")
                let userId = try await server.userId(kari)
                // Break the store under the handler: the answer is a bare 500, the cause goes to the tracker.
                try await server.services.database.withConnection { try await $0.raw("ALTER TABLE recipients RENAME TO recipients_gone").run() }
                let reply = try await server.get("/v1/recipients", headers: [kari, ("traceparent", "00-\(Self.callerTrace)-\(Self.callerSpan)-01")])
                #expect(reply.status == 500)
                #expect(reply.errorCode != nil)  // the envelope, with nothing of the cause
                await server.services.telemetry.flush()

                let envelope = try #require(receiver.envelopes.first)
                #expect(envelope.path == "/api/42/envelope/")
                #expect(envelope.headers["x-sentry-auth"]?.contains("sentry_key=publickey") == true)
                let lines = String(decoding: envelope.body, as: UTF8.self).split(separator: "\n").map(String.init)
                #expect(lines.count == 3)
                try #require(lines.count == 3)
                struct ItemHeader: Decodable { let type: String }
                #expect(try OTLPExport.decode(ItemHeader.self, Data(lines[1].utf8)).type == "event")
                let event = try OTLPExport.decode(OTLPExport.SentryEvent.self, Data(lines[2].utf8))
                #expect(event.transaction == "GET /v1/recipients")
                #expect(event.tags?["request_id"] == reply.headers.first(name: "x-request-id"))
                #expect(event.contexts.trace.trace_id == Self.callerTrace)
                #expect(event.exception.values.first?.type.isEmpty == false)
                // Nothing about the person: no user, no request data, no error description.
                #expect(event.user == nil && event.request == nil)
                let text = String(decoding: envelope.body, as: UTF8.self)
                #expect(!text.contains(userId) && !text.contains("15039010043") && !text.contains("recipients\" does not exist"))
                // And the span of that request is marked failed.
                let root = try Self.spans(receiver, trace: Self.callerTrace).first { $0.name == "GET /v1/recipients" }
                #expect(root?.status?.code == 2)  // ERROR
            }
        }
    }

    @Test func aJobIsATraceOfItsOwn() async throws {
        try await TelemetryReceiver.run { receiver in
            try await LiveServer.run(environment: Self.environment(receiver)) { server in
                #expect(try await JobWorker(services: server.services).runOnce())
                await server.services.telemetry.flush()
                let spans = try receiver.spans()
                let job = try #require(spans.first { $0.name.hasPrefix("job ") })
                #expect(job.kind == .consumer)
                #expect(job.parentSpanId == nil)
                #expect(spans.contains { $0.isChild(of: job) })
            }
        }
    }

    @Test func aSandboxLogsTheTraceOfTheCallItAnswers() async throws {
        let lines = NIOLockedValueBox<[Logger.Metadata]>([])
        let logger = Logger(label: "drop.sandbox") { _ in CapturingLogHandler(lines: lines) }
        let router = Router()
        router.group("/sandbox/fx").add(middleware: SandboxRequestLog(sandbox: "fx", logger: logger)).get("/ping") { _, _ in "pong" }
        try await Application(router: router).test(.router) { client in
            let traceparent = HTTPField.Name("traceparent")!
            _ = try await client.execute(uri: "/sandbox/fx/ping", method: .get, headers: [traceparent: "00-\(Self.callerTrace)-\(Self.callerSpan)-01"])
            _ = try await client.execute(uri: "/sandbox/fx/ping", method: .get, headers: [traceparent: "garbage"])
        }
        let logged = lines.withLockedValue { $0 }
        #expect(logged.count == 2)
        #expect(logged.first?["trace_id"] == .string(Self.callerTrace))
        #expect(logged.first?["parent_span_id"] == .string(Self.callerSpan))
        #expect(logged.first?["status"]?.description == "200")
        #expect(logged.last?["trace_id"] == nil)  // a malformed header is not logged as a trace
    }

    @Test func withoutConfigurationNothingIsTracedOrReported() async throws {
        try await LiveServer.run { (server: LiveServer) async throws in
            #expect(server.services.telemetry.tracer == nil)
            #expect(try await server.get("/health").status == 200)
        }
    }
}

@Suite("Telemetry formats: traceparent, Sentry DSN, OTLP JSON")
struct TelemetryFormatTests {
    @Test func sentryDSNNamesItsEnvelopeEndpoint() throws {
        let dsn = try #require(SentryDSN("https://abc123@o1.ingest.sentry.io/4506"))
        #expect(dsn.envelopeURL == "https://o1.ingest.sentry.io/api/4506/envelope/")
        #expect(dsn.authHeader.contains("sentry_key=abc123"))
        let hosted = try #require(SentryDSN("http://key@127.0.0.1:9000/sentry/7"))
        #expect(hosted.envelopeURL == "http://127.0.0.1:9000/sentry/api/7/envelope/")
        for bad in ["", "https://o1.ingest.sentry.io/4506", "https://key@host/not-a-number", "ftp://key@host/1", "key@host/1"] {
            #expect(SentryDSN(bad) == nil, "\(bad)")
        }
    }

    /// Metrics go to the same collector as traces, from the same registry `/metrics` serves:
    /// requests as a cumulative sum by route, their latency as a histogram, gauges as gauges.
    @Test func metricsReachTheCollectorWithTheNumbersMetricsShows() async throws {
        try await TelemetryReceiver.run { receiver in
            var environment = TelemetryTests.environment(receiver)
            environment["OTEL_METRIC_EXPORT_INTERVAL"] = "200"
            try await LiveServer.run(environment: environment) { server in
                for _ in 0..<3 { #expect(try await server.get("/health").status == 200) }
                // The due jobs, among them the reconciliation check that sets its gauge.
                try await server.refreshExchangeRates()
                // The timer sends on its own: wait for an export that has the three requests.
                @Sendable func healthRequests() throws -> Int? {
                    let points = try receiver.latestMetrics()?[name: "drop_http_requests_total"]?.sum?.dataPoints ?? []
                    let health = points.first { $0.attribute("route") == "/health" && $0.attribute("status") == "200" }
                    return health?.asInt.flatMap(Int.init)
                }
                try await server.eventually("an export with the three requests and the reconciliation gauge") {
                    let requests = try healthRequests() ?? 0
                    let gauge = try receiver.latestMetrics()?[name: "drop_reconciliation_findings"]
                    return requests >= 3 && gauge != nil
                }
                let metrics = try #require(try receiver.latestMetrics())
                let requests = try #require(metrics[name: "drop_http_requests_total"]?.sum)
                #expect(requests.isMonotonic && requests.aggregationTemporality == 2)  // cumulative

                let latency = try #require(metrics[name: "drop_http_request_duration_seconds"])
                #expect(latency.unit == "s")
                let health = try #require(latency.histogram?.dataPoints.first { $0.attribute("route") == "/health" })
                let bounds = health.explicitBounds
                let buckets = health.bucketCounts.compactMap { Int($0) }
                #expect(bounds.first == 0.001 && bounds.last == 5 && buckets.count == bounds.count + 1)
                #expect(buckets.reduce(0, +) == Int(health.count) && buckets.reduce(0, +) >= 3)

                let findings = try #require(metrics[name: "drop_reconciliation_findings"]?.gauge)
                #expect(findings.dataPoints.first?.asInt == "0")
                let resource = String(decoding: receiver.deliveries.last { $0.path == "/v1/metrics" }?.body ?? Data(), as: UTF8.self)
                #expect(resource.contains("drop-test"))
            }
        }
    }

    @Test func prometheusTextIsReadBackAsItWasWritten() throws {
        let text = #"""
            # HELP drop_jobs_total Background jobs run.
            # TYPE drop_jobs_total counter
            drop_jobs_total{kind="payouts.submit",outcome="done"} 4
            drop_jobs_total{kind="odd \\ \"quoted\"",outcome="failed"} 1.0
            # TYPE drop_latency_seconds histogram
            drop_latency_seconds_bucket{route="/a",le="0.1"} 2
            drop_latency_seconds_bucket{route="/a",le="1.0"} 5
            drop_latency_seconds_bucket{route="/a",le="+Inf"} 6
            drop_latency_seconds_sum{route="/a"} 2.5
            drop_latency_seconds_count{route="/a"} 6
            # TYPE drop_state gauge
            drop_state 1.5
            not a sample line {
            """#
        let families = PrometheusExposition.parse(text)
        #expect(families.map(\.name) == ["drop_jobs_total", "drop_latency_seconds", "drop_state"])
        #expect(families[0].help == "Background jobs run." && families[0].samples.count == 2)
        #expect(families[0].samples[1].labels.map(\.1) == [#"odd \ "quoted""#, "failed"])
        #expect(families[2].samples == [MetricFamily.Sample(name: "drop_state", labels: [], value: 1.5)])

        let data = OTLPMetricsJSON.metrics(families, resource: [("service.name", "drop")], scope: "drop", startNanoseconds: 1, nowNanoseconds: 2)
        let metrics = try OTLPExport.decode(OTLPExport.Metrics.self, data)
        let histogram = try #require(metrics[name: "drop_latency_seconds"]?.histogram?.dataPoints.first)
        // Per-bucket counts from Prometheus's running totals: 2 below 0.1, 3 between, 1 above 1.
        #expect(histogram.bucketCounts == ["2", "3", "1"])
        #expect(histogram.explicitBounds == [0.1, 1.0] && histogram.count == "6")
        #expect(metrics[name: "drop_state"]?.gauge?.dataPoints.first?.asDouble == 1.5)
        // A histogram whose text carries NaN or +Inf counts is sent, not a crash.
        let odd = PrometheusExposition.parse("""
            # TYPE drop_odd_seconds histogram
            drop_odd_seconds_bucket{le="1.0"} NaN
            drop_odd_seconds_bucket{le="+Inf"} +Inf
            drop_odd_seconds_sum NaN
            drop_odd_seconds_count +Inf
            """)
        #expect(!OTLPMetricsJSON.metrics(odd, resource: [], scope: "drop", startNanoseconds: 1, nowNanoseconds: 2).isEmpty)
    }

    @Test func configurationReadsTheStandardVariables() {
        let (config, problems) = TelemetryConfiguration.from([
            "OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318/", "OTEL_EXPORTER_OTLP_HEADERS": "x-api-key=s%20ecret,tenant=drop",
            "OTEL_RESOURCE_ATTRIBUTES": "deployment.region=eu-north-1",
        ])
        #expect(problems.isEmpty)
        #expect(config.tracesURL == "http://collector:4318/v1/traces" && config.metricsURL == "http://collector:4318/v1/metrics")
        #expect(config.metricsInterval == .seconds(60))
        let metricsOnly = TelemetryConfiguration.from(["OTEL_EXPORTER_OTLP_METRICS_ENDPOINT": "https://m.example/v1/metrics",
                                                       "OTEL_METRIC_EXPORT_INTERVAL": "15000", "OTEL_TRACES_EXPORTER": "none"]).0
        #expect(metricsOnly.metricsURL == "https://m.example/v1/metrics" && metricsOnly.tracesURL == nil && metricsOnly.metricsInterval == .seconds(15))
        #expect(TelemetryConfiguration.from(["OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318", "OTEL_METRICS_EXPORTER": "none"]).0.metricsURL == nil)
        #expect(!TelemetryConfiguration.from(["OTEL_METRIC_EXPORT_INTERVAL": "soon"]).problems.isEmpty)
        #expect(config.otlpHeaders.map { "\($0.0)=\($0.1)" } == ["x-api-key=s ecret", "tenant=drop"])
        #expect(config.resourceAttributes.first?.1 == "eu-north-1")
        #expect(TelemetryConfiguration.from(["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "https://t.example/v1/traces"]).0.tracesURL == "https://t.example/v1/traces")
        #expect(!TelemetryConfiguration.from(["OTEL_EXPORTER_OTLP_ENDPOINT": "collector:4318"]).problems.isEmpty)
        #expect(!TelemetryConfiguration.from(["SENTRY_DSN": "nonsense"]).problems.isEmpty)
        #expect(!TelemetryConfiguration.from(["OTEL_EXPORTER_OTLP_HEADERS": "novalue"]).problems.isEmpty)
        #expect(!TelemetryConfiguration().isEnabled)
    }

    @Test func spansAreEncodedAsOTLPJSON() throws {
        let span = RecordedSpan(name: "GET /v1/me", traceId: try #require(TraceId(hex: TelemetryTests.callerTrace)),
                                spanId: try #require(SpanId(hex: "b7ad6b7169203331")), parentSpanId: SpanId(hex: TelemetryTests.callerSpan),
                                kind: .server, startNanoseconds: 1_700_000_000_000_000_000, endNanoseconds: 1_700_000_000_500_000_000,
                                attributes: [("http.route", .string("/v1/me")), ("http.response.status_code", .int(200))],
                                status: .error(message: nil), events: [])
        let data = OTLPJSON.traces([span], resource: [("service.name", "drop")], scope: "drop")
        let encoded = try #require(try OTLPExport.decode(OTLPExport.Traces.self, data).spans.first)
        #expect(encoded.traceId == TelemetryTests.callerTrace)
        #expect(encoded.parentSpanId == TelemetryTests.callerSpan)
        #expect(encoded.kind == .server)
        #expect(encoded.startTimeUnixNano == "1700000000000000000")  // a 64-bit integer is a string in OTLP JSON
        #expect(encoded.status?.code == 2)
        #expect(encoded.attribute("http.response.status_code") == "200")
    }

    @Test func aQueueThatCannotKeepUpDropsTheOldestAndSaysSo() {
        let queue = BatchQueue<Int>(capacity: 3, batchSize: 2)
        for item in 1...5 { queue.add(item) }
        #expect(queue.dropped == 2)
        #expect(queue.take() == [3, 4])
        #expect(queue.take() == [5])
        #expect(queue.isEmpty)
    }

    /// A flush right after the background task took a batch waits until that batch has been sent (a CI
    /// run saw an error report missing at the collector because flush found the queue empty and returned).
    @Test func flushWaitsForTheBatchTheBackgroundTaskIsSending() async throws {
        let delivered = NIOLockedValueBox<[Int]>([])
        let sender = BatchSender(queue: BatchQueue<Int>(), interval: .milliseconds(1)) { batch in
            try? await Task.sleep(for: .milliseconds(300))
            delivered.withLockedValue { $0 += batch }
        }
        sender.start()
        sender.queue.add(1)
        // The background task takes it within a few milliseconds; then the queue is empty but the batch is on its way.
        while !sender.queue.isEmpty { try await Task.sleep(for: .milliseconds(1)) }
        await sender.flush()
        #expect(delivered.withLockedValue { $0 } == [1])
        await sender.stop()
    }
}

/// Keeps the metadata of every line logged through it.
struct CapturingLogHandler: LogHandler {
    let lines: NIOLockedValueBox<[Logger.Metadata]>
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        lines.withLockedValue { $0.append(merged) }
    }
}
