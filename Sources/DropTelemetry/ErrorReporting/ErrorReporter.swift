import AsyncHTTPClient
import Foundation
import Logging
import NIOCore

/// Reports unhandled errors and 5xx answers to an error tracker. A value with two
/// implementations: `.disabled` (no `SENTRY_DSN`) and `.sentry(...)`; tests pass their own.
public struct ErrorReporter: Sendable {
    public let report: @Sendable (ErrorReport) -> Void
    public let flush: @Sendable () async -> Void

    public init(report: @escaping @Sendable (ErrorReport) -> Void, flush: @escaping @Sendable () async -> Void = {}) {
        self.report = report
        self.flush = flush
    }

    public static let disabled = ErrorReporter(report: { _ in })

    /// Sentry's envelope endpoint: one envelope per event, sent in the background.
    public static func sentry(dsn: SentryDSN, environment: String, release: String?, httpClient: HTTPClient, logger: Logger) -> (ErrorReporter, stop: @Sendable () async -> Void) {
        let sender = BatchSender<ErrorReport>(queue: BatchQueue(capacity: 1000, batchSize: 50), interval: .seconds(1)) { reports in
            for report in reports {
                await CollectorUpload.post(SentryEnvelope.event(report, dsn: dsn, environment: environment, release: release),
                                           to: dsn.envelopeURL, contentType: "application/x-sentry-envelope",
                                           headers: [("X-Sentry-Auth", dsn.authHeader)], what: "error report", httpClient: httpClient, logger: logger)
            }
        }
        sender.start()
        return (ErrorReporter(report: { sender.queue.add($0) }, flush: { await sender.flush() }), { await sender.stop() })
    }
}

/// Sentry's envelope format (https://develop.sentry.dev/sdk/envelopes/): a header line, an item
/// header line, and the event as JSON.
enum SentryEnvelope {
    static func event(_ report: ErrorReport, dsn: SentryDSN, environment: String, release: String?) -> Data {
        let eventId = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let sentAt = ISO8601DateFormatter().string(from: Date())
        var tags: [String: String] = ["error.code": report.code]
        if let status = report.status { tags["http.status_code"] = String(status) }
        if let requestId = report.requestId { tags["request_id"] = requestId }
        var event: [String: Any] = [
            "event_id": eventId,
            "timestamp": report.at.timeIntervalSince1970,
            "platform": "other",
            "level": "error",
            "logger": "drop",
            "environment": environment,
            "transaction": report.transaction,
            "tags": tags,
            "exception": ["values": [["type": report.errorType, "value": "\(report.code) in \(report.transaction)"]]],
        ]
        if let release { event["release"] = release }
        if let traceId = report.traceId {
            var trace: [String: Any] = ["trace_id": traceId.hex, "op": report.transaction.hasPrefix("job ") ? "queue.task" : "http.server"]
            if let spanId = report.spanId { trace["span_id"] = spanId.hex }
            event["contexts"] = ["trace": trace]
        }
        let header: [String: Any] = ["event_id": eventId, "sent_at": sentAt, "dsn": dsn.text]
        let options: JSONSerialization.WritingOptions = [.sortedKeys, .withoutEscapingSlashes]
        var data = Data()
        data.append((try? JSONSerialization.data(withJSONObject: header, options: options)) ?? Data("{}".utf8))
        data.append(0x0A)
        data.append(Data(#"{"type":"event","content_type":"application/json"}"#.utf8))
        data.append(0x0A)
        data.append((try? JSONSerialization.data(withJSONObject: event, options: options)) ?? Data("{}".utf8))
        data.append(0x0A)
        return data
    }
}
