import Foundation

/// Where traces and error reports go, from the standard OpenTelemetry variables and `SENTRY_DSN`.
/// Both are off unless set.
public struct TelemetryConfiguration: Sendable {
    /// nil: no tracing.
    public var tracesURL: String?
    /// nil: no metrics over OTLP (`/metrics` is always served for a Prometheus scrape).
    public var metricsURL: String?
    /// `OTEL_METRIC_EXPORT_INTERVAL`, in milliseconds in the variable; 60 s by default, as the specification says.
    public var metricsInterval: Duration = .seconds(60)
    public var otlpHeaders: [(String, String)] = []
    public var serviceName = "drop"
    public var resourceAttributes: [(String, String)] = []
    /// nil: no error reporting.
    public var sentryDSN: SentryDSN?
    public var release: String?

    public init() {}

    public var isEnabled: Bool { tracesURL != nil || metricsURL != nil || sentryDSN != nil }

    /// Reads `OTEL_EXPORTER_OTLP_ENDPOINT` (base URL, `/v1/traces` and `/v1/metrics` appended) or
    /// `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` and `OTEL_EXPORTER_OTLP_METRICS_ENDPOINT` (used as they are),
    /// `OTEL_TRACES_EXPORTER` / `OTEL_METRICS_EXPORTER` (`none` turns one off), `OTEL_METRIC_EXPORT_INTERVAL`, `OTEL_EXPORTER_OTLP_HEADERS`
    /// (`key=value,…`, values percent-encoded), `OTEL_SERVICE_NAME`, `OTEL_RESOURCE_ATTRIBUTES`,
    /// `SENTRY_DSN` and `SENTRY_RELEASE`. Returns the problems instead of guessing.
    public static func from(_ env: [String: String]) -> (TelemetryConfiguration, problems: [String]) {
        var configuration = TelemetryConfiguration()
        var problems: [String] = []
        if let traces = env["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"], !traces.isEmpty {
            configuration.tracesURL = traces
        } else if let base = env["OTEL_EXPORTER_OTLP_ENDPOINT"], !base.isEmpty {
            configuration.tracesURL = (base.hasSuffix("/") ? String(base.dropLast()) : base) + "/v1/traces"
        }
        if let url = configuration.tracesURL, !Self.isHTTPURL(url) {
            problems.append("OTEL_EXPORTER_OTLP_ENDPOINT must be an http(s) URL")
            configuration.tracesURL = nil
        }
        if let metrics = env["OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"], !metrics.isEmpty {
            configuration.metricsURL = metrics
        } else if let base = env["OTEL_EXPORTER_OTLP_ENDPOINT"], !base.isEmpty, Self.isHTTPURL(base) {
            configuration.metricsURL = (base.hasSuffix("/") ? String(base.dropLast()) : base) + "/v1/metrics"
        }
        if let url = configuration.metricsURL, !Self.isHTTPURL(url) {
            problems.append("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT must be an http(s) URL")
            configuration.metricsURL = nil
        }
        if env["OTEL_TRACES_EXPORTER"] == "none" { configuration.tracesURL = nil }
        if env["OTEL_METRICS_EXPORTER"] == "none" { configuration.metricsURL = nil }
        if let raw = env["OTEL_METRIC_EXPORT_INTERVAL"] {
            if let milliseconds = Int(raw), (100...3_600_000).contains(milliseconds) {
                configuration.metricsInterval = .milliseconds(milliseconds)
            } else {
                problems.append("OTEL_METRIC_EXPORT_INTERVAL must be milliseconds between 100 and 3600000")
            }
        }
        if let raw = env["OTEL_EXPORTER_OTLP_HEADERS"] {
            guard let headers = Self.pairs(raw) else {
                problems.append("OTEL_EXPORTER_OTLP_HEADERS must be key=value pairs separated by commas")
                return (configuration, problems)
            }
            configuration.otlpHeaders = headers
        }
        if let name = env["OTEL_SERVICE_NAME"], !name.isEmpty { configuration.serviceName = name }
        if let raw = env["OTEL_RESOURCE_ATTRIBUTES"] {
            if let attributes = Self.pairs(raw) { configuration.resourceAttributes = attributes }
            else { problems.append("OTEL_RESOURCE_ATTRIBUTES must be key=value pairs separated by commas") }
        }
        if let raw = env["SENTRY_DSN"], !raw.isEmpty {
            if let dsn = SentryDSN(raw) { configuration.sentryDSN = dsn }
            else { problems.append("SENTRY_DSN must look like https://<key>@<host>/<project id>") }
        }
        configuration.release = env["SENTRY_RELEASE"]
        return (configuration, problems)
    }

    static func isHTTPURL(_ text: String) -> Bool {
        guard let url = URLComponents(string: text), let scheme = url.scheme?.lowercased(), let host = url.host else { return false }
        return ["http", "https"].contains(scheme) && !host.isEmpty
    }

    /// W3C Baggage-style `k=v,k2=v2` with percent-encoded values; nil when malformed.
    static func pairs(_ raw: String) -> [(String, String)]? {
        var pairs: [(String, String)] = []
        for item in raw.split(separator: ",") {
            let parts = item.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { return nil }
            let key = parts[0].trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty, let value = parts[1].trimmingCharacters(in: .whitespaces).removingPercentEncoding else { return nil }
            pairs.append((key, value))
        }
        return pairs
    }
}
