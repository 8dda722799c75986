import DropCore
import Tracing

/// Drop's tracer (swift-distributed-tracing's `Tracer`): W3C trace context in and out, every
/// span sampled, finished spans handed to a `SpanSink`.
///
/// It is not installed globally. The request middleware and the job runner put it in the task's
/// `InstrumentationContext` (`activeTracer`), and the database and provider layers start their
/// child spans from there, so tests can run many apps with different tracers in one process.
public struct DropTracer: Tracer {
    public typealias Span = TraceSpan
    let sink: any SpanSink

    public init(sink: any SpanSink) {
        self.sink = sink
    }

    public func startSpan<Instant: TracerInstant>(
        _ operationName: String, context: @autoclosure () -> InstrumentationContext, ofKind kind: SpanKind,
        at instant: @autoclosure () -> Instant, function: String, file fileID: String, line: UInt
    ) -> TraceSpan {
        var context = context()
        let parent = context.traceParent
        let own = TraceParent(traceId: parent?.traceId ?? .random(), spanId: .random())
        context.traceParent = own
        context.activeTracer = self
        return TraceSpan(name: operationName, context: context, traceParent: own, parentSpanId: parent?.spanId, kind: RecordedSpan.Kind(kind),
                         startNanoseconds: instant().nanosecondsSinceEpoch, sink: sink)
    }

    public func forceFlush() {}

    public func inject<Carrier, Inject: Injector>(_ context: InstrumentationContext, into carrier: inout Carrier, using injector: Inject)
    where Inject.Carrier == Carrier {
        guard let parent = context.traceParent else { return }
        injector.inject(parent.header, forKey: TraceParent.headerName, into: &carrier)
    }

    /// A malformed `traceparent` is ignored (a new trace starts), as the spec asks.
    public func extract<Carrier, Extract: Extractor>(_ carrier: Carrier, into context: inout InstrumentationContext, using extractor: Extract)
    where Extract.Carrier == Carrier {
        guard let value = extractor.extract(key: TraceParent.headerName, from: carrier), let parent = TraceParent(header: value) else { return }
        context.traceParent = parent
    }
}

private enum TraceParentKey: InstrumentationContextKey {
    typealias Value = TraceParent
}

private enum ActiveTracerKey: InstrumentationContextKey {
    typealias Value = DropTracer
}

extension InstrumentationContext {
    /// The span the next span is a child of (or the caller's, at the edge).
    public var traceParent: TraceParent? {
        get { self[TraceParentKey.self] }
        set { self[TraceParentKey.self] = newValue }
    }

    /// The tracer of the request or job this task works for; nil: nothing is traced.
    public var activeTracer: DropTracer? {
        get { self[ActiveTracerKey.self] }
        set { self[ActiveTracerKey.self] = newValue }
    }
}

extension DropTracer {
    /// Runs `body` in a new span under `context` (its parent, or `.topLevel` for a new trace):
    /// everything `body` starts is the span's child; a thrown error marks it failed.
    public func span<T>(
        _ name: String, context: InstrumentationContext, kind: SpanKind, attributes: SpanAttributes = [:],
        _ body: (TraceSpan) async throws -> T
    ) async rethrows -> T {
        let span = startSpan(name, context: context, ofKind: kind)
        span.attributes = attributes
        return try await InstrumentationContext.withValue(span.context) {
            do {
                let result = try await body(span)
                span.end()
                return result
            } catch {
                span.recordError(error)
                span.setStatus(SpanStatus(code: .error))
                span.end()
                throw error
            }
        }
    }
}

/// Child spans for the layers below the edge (database, providers): a span when the current
/// request or job is traced, and nothing at all (not even a span object) when it isn't.
public enum Traced {
    public static func span<T>(
        _ name: String, kind: SpanKind = .internal, attributes: SpanAttributes = [:],
        _ body: (TraceSpan?) async throws -> T
    ) async rethrows -> T {
        guard let current = InstrumentationContext.current, let tracer = current.activeTracer else { return try await body(nil) }
        return try await tracer.span(name, context: current, kind: kind, attributes: attributes) { try await body($0) }
    }

    /// The current trace's `traceparent` value, for a request to another party.
    public static var traceParentHeader: String? { InstrumentationContext.current?.traceParent?.header }
}
