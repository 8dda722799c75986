import DropCore
import Foundation
import Tracing

/// One span of Drop's tracer: the unit of work between `startSpan` and `end`. It is handed to
/// the tracer's sink once, when it ends; later changes are ignored.
public final class TraceSpan: Tracing.Span, @unchecked Sendable {
    public let context: InstrumentationContext
    public let traceParent: TraceParent
    public let parentSpanId: SpanId?
    let kind: RecordedSpan.Kind
    let startNanoseconds: UInt64
    private let sink: any SpanSink

    private let lock = NSLock()
    private var name: String
    private var attributeValues = SpanAttributes()
    private var status: RecordedSpan.Status?
    private var events: [RecordedSpan.Event] = []
    private var ended = false

    init(name: String, context: InstrumentationContext, traceParent: TraceParent, parentSpanId: SpanId?, kind: RecordedSpan.Kind,
         startNanoseconds: UInt64, sink: any SpanSink) {
        self.name = name
        self.context = context
        self.traceParent = traceParent
        self.parentSpanId = parentSpanId
        self.kind = kind
        self.startNanoseconds = startNanoseconds
        self.sink = sink
    }

    private func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    public var operationName: String {
        get { locked { name } }
        set { locked { if !ended { name = newValue } } }
    }

    public var attributes: SpanAttributes {
        get { locked { attributeValues } }
        set { locked { if !ended { attributeValues = newValue } } }
    }

    public var isRecording: Bool { locked { !ended } }

    public func setStatus(_ status: SpanStatus) {
        locked {
            // OTel: an OK status is final; an error may not replace it.
            guard !ended, self.status != .ok else { return }
            switch status.code {
            case .ok: self.status = .ok
            case .error: self.status = .error(message: status.message)
            }
        }
    }

    public func addEvent(_ event: SpanEvent) {
        locked {
            guard !ended else { return }
            events.append(.init(name: event.name, nanoseconds: event.nanosecondsSinceEpoch, attributes: Self.pairs(event.attributes)))
        }
    }

    /// Records the error's type only: descriptions may carry personal data (OTel's `exception` event).
    public func recordError<Instant: TracerInstant>(_ error: any Error, attributes: SpanAttributes, at instant: @autoclosure () -> Instant) {
        var eventAttributes = attributes
        eventAttributes["exception.type"] = SpanAttribute.string(String(reflecting: type(of: error)))
        addEvent(SpanEvent(name: "exception", at: instant(), attributes: eventAttributes))
    }

    public func addLink(_ link: SpanLink) {}

    public func end<Instant: TracerInstant>(at instant: @autoclosure () -> Instant) {
        let recorded: RecordedSpan? = locked {
            guard !ended else { return nil }
            ended = true
            return RecordedSpan(name: name, traceId: traceParent.traceId, spanId: traceParent.spanId, parentSpanId: parentSpanId, kind: kind,
                                startNanoseconds: startNanoseconds, endNanoseconds: max(startNanoseconds, instant().nanosecondsSinceEpoch),
                                attributes: Self.pairs(attributeValues), status: status, events: events)
        }
        if let recorded { sink.record(recorded) }
    }

    static func pairs(_ attributes: SpanAttributes) -> [(key: String, value: RecordedSpan.Value)] {
        var pairs: [(key: String, value: RecordedSpan.Value)] = []
        attributes.forEach { pairs.append(($0, RecordedSpan.Value($1))) }
        return pairs.sorted { $0.key < $1.key }
    }
}

/// Where finished spans go: the OTLP exporter, or a test's collector.
public protocol SpanSink: Sendable {
    func record(_ span: RecordedSpan)
}
