import Foundation

/// OTLP/HTTP's JSON encoding of metrics, as `POST /v1/metrics` takes it: counters as cumulative
/// monotonic sums, gauges as gauges, histograms as cumulative explicit-bucket histograms (per-bucket
/// counts, where Prometheus's `le` buckets are running totals). 64-bit integers are strings.
enum OTLPMetricsJSON {
    static func metrics(_ families: [MetricFamily], resource: [(String, String)], scope: String,
                        startNanoseconds: UInt64, nowNanoseconds: UInt64) -> Data {
        let times = ["startTimeUnixNano": String(startNanoseconds), "timeUnixNano": String(nowNanoseconds)]
        let metrics = families.compactMap { family -> [String: Any]? in
            var metric: [String: Any] = ["name": family.name, "description": family.help, "unit": unit(of: family.name)]
            switch family.kind {
            case .counter:
                guard !family.samples.isEmpty else { return nil }
                metric["sum"] = ["aggregationTemporality": 2, "isMonotonic": true,
                                 "dataPoints": family.samples.map { point($0, times) }]
            case .gauge:
                guard !family.samples.isEmpty else { return nil }
                metric["gauge"] = ["dataPoints": family.samples.map { point($0, ["timeUnixNano": times["timeUnixNano"]!]) }]
            case .histogram:
                let points = histogramPoints(family, times)
                guard !points.isEmpty else { return nil }
                metric["histogram"] = ["aggregationTemporality": 2, "dataPoints": points]
            }
            return metric
        }
        let body: [String: Any] = [
            "resourceMetrics": [[
                "resource": ["attributes": resource.map { OTLPJSON.attribute($0.0, .string($0.1)) }],
                "scopeMetrics": [["scope": ["name": scope], "metrics": metrics]],
            ]],
        ]
        return (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
    }

    /// UCUM units from Prometheus's name suffixes.
    static func unit(of name: String) -> String {
        name.hasSuffix("_seconds") ? "s" : name.hasSuffix("_bytes") ? "By" : "1"
    }

    private static func attributes(_ labels: [(String, String)]) -> [[String: Any]] {
        labels.map { OTLPJSON.attribute($0.0, .string($0.1)) }
    }

    private static func point(_ sample: MetricFamily.Sample, _ times: [String: String]) -> [String: Any] {
        var point: [String: Any] = times
        point["attributes"] = attributes(sample.labels)
        if sample.value.isFinite, sample.value == sample.value.rounded(), abs(sample.value) < 9e15 {
            point["asInt"] = String(Int64(sample.value))
        } else {
            point["asDouble"] = sample.value.isFinite ? sample.value : 0
        }
        return point
    }

    /// A count as OTLP's unsigned integer: never negative, and a NaN or infinity (which Prometheus's
    /// text may carry) is 0 rather than a trap.
    private static func nonNegative(_ value: Double) -> Int64 {
        value.isFinite ? Int64(min(max(0, value), 9e18)) : 0
    }

    /// One data point per label set (without `le`): explicit bounds from the finite `le`s, each
    /// bucket's own count, the sum and the count.
    private static func histogramPoints(_ family: MetricFamily, _ times: [String: String]) -> [[String: Any]] {
        struct Series { var labels: [(String, String)]; var buckets: [(Double, Double)] = []; var sum = 0.0; var count = 0.0 }
        var order: [String] = []
        var series: [String: Series] = [:]
        for sample in family.samples {
            let labels = sample.labels.filter { $0.0 != "le" }
            let key = labels.map { "\($0.0)=\($0.1)" }.joined(separator: "\u{1F}")
            if series[key] == nil { order.append(key); series[key] = Series(labels: labels) }
            switch sample.name {
            case family.name + "_bucket":
                if let le = sample.labels.first(where: { $0.0 == "le" }).flatMap({ PrometheusExposition.number(Substring($0.1)) }) {
                    series[key]?.buckets.append((le, sample.value))
                }
            case family.name + "_sum": series[key]?.sum = sample.value
            case family.name + "_count": series[key]?.count = sample.value
            default: break
            }
        }
        return order.compactMap { series[$0] }.map { one in
            let finite = one.buckets.filter { $0.0.isFinite }.sorted { $0.0 < $1.0 }
            var counts: [String] = []
            var below = 0.0
            for (_, cumulative) in finite {
                counts.append(String(nonNegative(cumulative - below)))
                below = cumulative
            }
            counts.append(String(nonNegative(one.count - below)))
            var point: [String: Any] = times
            point["attributes"] = attributes(one.labels)
            point["count"] = String(nonNegative(one.count))
            point["sum"] = one.sum.isFinite ? one.sum : 0
            point["explicitBounds"] = finite.map(\.0)
            point["bucketCounts"] = counts
            return point
        }
    }
}
