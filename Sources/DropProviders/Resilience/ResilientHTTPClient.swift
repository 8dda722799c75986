import AsyncHTTPClient
import DropCore
import DropTelemetry
import Foundation
import Logging
import Tracing

/// The one way provider clients make HTTP calls: per-attempt timeout, the provider's circuit
/// breaker, retries for idempotent requests, and every failure turned into a `ProviderError`.
///
/// Retries wrap the breaker, so each attempt counts: a provider that is down opens the breaker
/// during the first call's retries and later calls fail fast instead of waiting 1 + 2 + 4 s.
public struct ResilientHTTPClient: Sendable {
    public let provider: String
    public let breaker: CircuitBreaker
    private let httpClient: HTTPClient
    private let retryPolicy: RetryPolicy
    private let timeout: Duration
    private let maxResponseBytes: Int
    private let errorBodyLimit: Int
    private let logger: Logger

    /// - Parameters:
    ///   - provider: short stable name used in errors, logs and metrics, e.g. "norges-bank".
    ///   - timeout: limit for one attempt, from connecting to the last body byte.
    ///   - maxResponseBytes: larger answers are refused as `.decoding` instead of filling memory.
    ///   - errorBodyLimit: how many characters of a 4xx answer `ProviderError.http` keeps; raise
    ///     it for providers whose refusals carry long structured reasons (pain.002).
    public init(
        provider: String,
        httpClient: HTTPClient,
        breaker: CircuitBreaker,
        retryPolicy: RetryPolicy = RetryPolicy(),
        timeout: Duration = .seconds(10),
        maxResponseBytes: Int = 4 * 1024 * 1024,
        errorBodyLimit: Int = 2048,
        logger: Logger = Logger(label: "drop.providers.http")
    ) {
        self.provider = provider
        self.httpClient = httpClient
        self.breaker = breaker
        self.retryPolicy = retryPolicy
        self.timeout = timeout
        self.maxResponseBytes = maxResponseBytes
        self.errorBodyLimit = max(0, errorBodyLimit)
        self.logger = logger
    }

    /// Sends `request` and returns its 2xx answer.
    ///
    /// - Parameter idempotent: whether repeating the request is harmless. `nil` derives it from
    ///   the method (GET, HEAD, PUT, DELETE, OPTIONS yes; POST, PATCH no). Pass `true` for a
    ///   POST that carries an idempotency key. A repeated request is sent again as is, so give
    ///   retried requests a byte body (`.bytes`), not a one-shot stream.
    /// - Throws: `ProviderError`, or `CancellationError` when the calling task is cancelled.
    public func execute(_ request: HTTPClientRequest, idempotent: Bool? = nil) async throws -> ProviderResponse {
        let canRepeat = idempotent ?? Self.isIdempotent(method: request.method.rawValue)
        return try await retryPolicy.run(idempotent: canRepeat) {
            do {
                return try await breaker.run { try await attempt(request) }
            } catch let open as CircuitOpenError {
                throw ProviderError.circuitOpen(provider: provider, retryAfter: open.retryAfter)
            }
        }
    }

    static func isIdempotent(method: String) -> Bool {
        ["GET", "HEAD", "PUT", "DELETE", "OPTIONS"].contains(method.uppercased())
    }

    /// One attempt, bounded by `timeout` as a whole: AsyncHTTPClient's own deadline stops at the
    /// response head, so reading the body is raced against the same limit here.
    private func attempt(_ request: HTTPClientRequest) async throws -> ProviderResponse {
        // A client span per attempt when the caller is traced; the provider gets it as the parent
        // of its own work in `traceparent` (the sandboxes log it).
        try await Traced.span("\(request.method.rawValue) \(provider)", kind: .client, attributes: [
            "http.request.method": .string(request.method.rawValue), "drop.provider": .string(provider),
            "server.address": .string(URLComponents(string: request.url)?.host ?? ""),
        ]) { span in
            var request = request
            if let parent = Traced.traceParentHeader { request.headers.replaceOrAdd(name: TraceParent.headerName, value: parent) }
            let response = try await untracedAttempt(request)
            span?.attributes["http.response.status_code"] = SpanAttribute.int64(Int64(response.status))
            return response
        }
    }

    private func untracedAttempt(_ request: HTTPClientRequest) async throws -> ProviderResponse {
        let started = ContinuousClock.now
        do {
            let response = try await withThrowingTaskGroup(of: AttemptOutcome.self) { group in
                group.addTask { .answered(try await send(request)) }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    return .timedOut
                }
                defer { group.cancelAll() }
                switch try await group.next() {
                case .answered(let response)?:
                    return response
                case .timedOut?, nil:
                    group.cancelAll()
                    return try await outcomeAfterTimeout(of: &group)
                }
            }
            try Task.checkCancellation()
            return try checked(response, method: request.method.rawValue, started: started)
        } catch {
            let mapped = map(error)
            if !(mapped is CancellationError) {
                // A 4xx is an answer (e.g. "no such applicant"), not an outage: the caller decides.
                let isOutage = (mapped as? ProviderError)?.indicatesProviderFailure ?? true
                logger.log(level: isOutage ? .warning : .debug, "provider call failed", metadata: [
                    "provider": "\(provider)", "method": "\(request.method.rawValue)",
                    "duration_ms": "\((ContinuousClock.now - started).wholeMilliseconds)",
                    "error": "\(RetryPolicy.safeDescription(mapped))",
                ])
            }
            throw mapped
        }
    }

    private enum AttemptOutcome: Sendable {
        case answered(ProviderResponse)
        case timedOut
    }

    /// After the timer fired and the request was cancelled: AsyncHTTPClient then reports why it
    /// never got a connection (e.g. refused), which says "unavailable" better than "timeout".
    private func outcomeAfterTimeout(of group: inout ThrowingTaskGroup<AttemptOutcome, any Error>) async throws -> ProviderResponse {
        do {
            if case .answered(let response)? = try await group.next() { return response }
        } catch {
            if case .unavailable? = map(error) as? ProviderError, !Task.isCancelled { throw map(error) }
        }
        throw ProviderError.timeout(provider: provider)
    }

    private func send(_ request: HTTPClientRequest) async throws -> ProviderResponse {
        let response = try await httpClient.execute(request, timeout: .nanoseconds(timeout.wholeNanoseconds), logger: logger)
        var body: [UInt8] = []
        for try await chunk in response.body {
            guard body.count + chunk.readableBytes <= maxResponseBytes else {
                throw ProviderError.decoding(provider: provider, reason: "answer larger than \(maxResponseBytes) bytes")
            }
            body.append(contentsOf: chunk.readableBytesView)
        }
        return ProviderResponse(
            status: Int(response.status.code),
            headers: response.headers.map { (name: $0.name, value: $0.value) },
            body: body
        )
    }

    private func checked(_ response: ProviderResponse, method: String, started: ContinuousClock.Instant) throws -> ProviderResponse {
        let status = response.status
        logger.debug("provider call", metadata: [
            "provider": "\(provider)", "method": "\(method)", "status": "\(status)",
            "duration_ms": "\((ContinuousClock.now - started).wholeMilliseconds)",
        ])
        switch status {
        case 200..<300:
            return response
        case 429, 500...:
            throw ProviderError.unavailable(provider: provider, retryAfter: Self.retryAfter(response.header("Retry-After")))
        default:
            throw ProviderError.http(provider: provider, status: status, body: String(response.text.prefix(errorBodyLimit)))
        }
    }

    private func map(_ error: any Error) -> any Error {
        if error is ProviderError || error is CancellationError { return error }
        if let clientError = error as? HTTPClientError {
            switch clientError {
            case .deadlineExceeded, .readTimeout, .writeTimeout, .connectTimeout, .tlsHandshakeTimeout,
                 .getConnectionFromPoolTimeout, .socksHandshakeTimeout, .httpProxyHandshakeTimeout:
                return ProviderError.timeout(provider: provider)
            case .cancelled:
                return CancellationError()
            case .invalidURL, .emptyHost, .emptyScheme, .missingSocketPath:
                return ProviderError.invalidRequest(provider: provider, reason: "\(clientError)")
            default:
                return ProviderError.unavailable(provider: provider, retryAfter: nil)
            }
        }
        // Connection refused/reset, DNS and TLS failures arrive as NIO or POSIX errors.
        return ProviderError.unavailable(provider: provider, retryAfter: nil)
    }

    /// `Retry-After` in delta-seconds form; the HTTP-date form is rare from APIs and ignored.
    static func retryAfter(_ value: String?) -> Duration? {
        guard let value, let seconds = Int(value.trimmingSurroundingWhitespace()), seconds >= 0 else { return nil }
        return .seconds(seconds)
    }
}

extension Duration {
    /// Whole nanoseconds (saturating), for NIO's `TimeAmount`.
    var wholeNanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? .max : whole + attoseconds / 1_000_000_000
    }
}
