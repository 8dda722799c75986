/// Prometheus's text exposition format read back into metric families: the process's one registry
/// stays the single source of its numbers, and the OTLP exporter sends exactly what `/metrics` shows.
/// Reads what swift-prometheus writes (counters, gauges, histograms; `# HELP` and `# TYPE` first);
/// lines it doesn't understand are skipped, never guessed.
public struct MetricFamily: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case counter, gauge, histogram
    }

    public struct Sample: Sendable, Equatable {
        /// The sample's own name: the family's, or for a histogram `_bucket`, `_sum` or `_count` after it.
        public var name: String
        public var labels: [(String, String)]
        public var value: Double

        public init(name: String, labels: [(String, String)], value: Double) {
            self.name = name
            self.labels = labels
            self.value = value
        }

        public static func == (a: Sample, b: Sample) -> Bool {
            a.name == b.name && a.value == b.value && a.labels.elementsEqual(b.labels) { $0 == $1 }
        }
    }

    public var name: String
    public var help: String
    public var kind: Kind
    public var samples: [Sample]
}

public enum PrometheusExposition {
    public static func parse(_ text: String) -> [MetricFamily] {
        var families: [MetricFamily] = []
        var help: [String: String] = [:]
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            if line.hasPrefix("# HELP ") {
                let rest = line.dropFirst("# HELP ".count)
                guard let space = rest.firstIndex(of: " ") else { continue }
                help[String(rest[..<space])] = String(rest[rest.index(after: space)...])
            } else if line.hasPrefix("# TYPE ") {
                let parts = line.dropFirst("# TYPE ".count).split(separator: " ")
                guard parts.count == 2, let kind = MetricFamily.Kind(rawValue: String(parts[1])) else { continue }
                let name = String(parts[0])
                families.append(MetricFamily(name: name, help: help[name] ?? "", kind: kind, samples: []))
            } else if !line.hasPrefix("#"), let sample = sample(line), let last = families.indices.last,
                      belongs(sample.name, to: families[last]) {
                families[last].samples.append(sample)
            }
        }
        return families
    }

    private static func belongs(_ sampleName: String, to family: MetricFamily) -> Bool {
        switch family.kind {
        case .counter, .gauge: sampleName == family.name
        case .histogram: ["_bucket", "_sum", "_count"].contains { sampleName == family.name + $0 }
        }
    }

    /// `name{label="value",…} 1.5` or `name 1.5`; label values unescaped (`\\`, `\"`, `\n`).
    static func sample(_ line: Substring) -> MetricFamily.Sample? {
        var labels: [(String, String)] = []
        let name: Substring
        var rest: Substring
        if let brace = line.firstIndex(of: "{") {
            name = line[..<brace]
            rest = line[line.index(after: brace)...]
            while !rest.hasPrefix("}") {
                guard let equals = rest.firstIndex(of: "="), rest[rest.index(after: equals)...].hasPrefix("\"") else { return nil }
                let key = String(rest[..<equals])
                var value = ""
                var index = rest.index(equals, offsetBy: 2)
                var closed = false
                while index < rest.endIndex {
                    let character = rest[index]
                    if character == "\\" {
                        index = rest.index(after: index)
                        guard index < rest.endIndex else { return nil }
                        value.append(rest[index] == "n" ? "\n" : rest[index])
                    } else if character == "\"" {
                        closed = true
                        break
                    } else {
                        value.append(character)
                    }
                    index = rest.index(after: index)
                }
                guard closed else { return nil }
                labels.append((key, value))
                rest = rest[rest.index(after: index)...]
                if rest.hasPrefix(",") { rest = rest.dropFirst() }
                guard !rest.isEmpty else { return nil }
            }
            rest = rest.dropFirst()
        } else {
            guard let space = line.firstIndex(of: " ") else { return nil }
            name = line[..<space]
            rest = line[space...]
        }
        let fields = rest.split(separator: " ")
        guard !name.isEmpty, let first = fields.first, let value = number(first) else { return nil }
        return MetricFamily.Sample(name: String(name), labels: labels, value: value)
    }

    static func number(_ text: Substring) -> Double? {
        switch text {
        case "+Inf": .infinity
        case "-Inf": -.infinity
        case "NaN": .nan
        default: Double(text)
        }
    }
}
