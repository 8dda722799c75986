@testable import DropProviders
import DropTestTools
import Testing

@Suite("RetryPolicy")
struct RetryPolicyTests {
    let sleeps = InstantSleeper()

    func policy(jitterPercent: Int = 0, seed: UInt64 = 1) -> RetryPolicy {
        let sleeps = self.sleeps
        return RetryPolicy(jitterPercent: jitterPercent, sleep: { try await sleeps.sleep($0) }, randomness: .seeded(seed))
    }

    static let down = ProviderError.unavailable(provider: "bank", retryAfter: nil)

    @Test("retries a failing idempotent call 3 times, waiting 1, 2, 4 s")
    func retriesThreeTimes() async throws {
        let attempts = CallCounter()
        let error = await #expect(throws: ProviderError.self) {
            try await policy().run(idempotent: true) { () async throws -> Int in
                attempts.increment()
                throw Self.down
            }
        }
        #expect(error == Self.down)
        #expect(attempts.value == 4)
        #expect(sleeps.delays == [.seconds(1), .seconds(2), .seconds(4)])
    }

    @Test("stops retrying once the call succeeds")
    func succeedsAfterTransientFailures() async throws {
        let attempts = CallCounter()
        let value = try await policy().run(idempotent: true) { () async throws -> String in
            if attempts.increment() < 3 { throw ProviderError.timeout(provider: "bank") }
            return "ok"
        }
        #expect(value == "ok")
        #expect(attempts.value == 3)
        #expect(sleeps.delays == [.seconds(1), .seconds(2)])
    }

    @Test("jitter stays within ±20 % and grows", arguments: [UInt64(1), 7, 42, 1_000_003])
    func jitterBounds(seed: UInt64) async throws {
        let attempts = CallCounter()
        _ = try? await policy(jitterPercent: 20, seed: seed).run(idempotent: true) { () async throws -> Int in
            attempts.increment()
            throw Self.down
        }
        let delays = sleeps.delays
        #expect(delays.count == 3)
        for (delay, nominal) in zip(delays, [Duration.seconds(1), .seconds(2), .seconds(4)]) {
            #expect(delay >= nominal * 8 / 10 && delay <= nominal * 12 / 10)
        }
        #expect(delays == delays.sorted())
    }

    @Test("the same seed gives the same delays")
    func jitterIsReproducible() {
        let first = policy(jitterPercent: 20, seed: 99)
        let second = policy(jitterPercent: 20, seed: 99)
        let a = (1...3).map { first.delay(beforeRetry: $0) }
        let b = (1...3).map { second.delay(beforeRetry: $0) }
        #expect(a == b)
        #expect(a != [.seconds(1), .seconds(2), .seconds(4)])
    }

    @Test("does not retry 4xx, decoding errors or an open circuit", arguments: [
        ProviderError.http(provider: "bank", status: 400, body: ""),
        .http(provider: "bank", status: 404, body: ""),
        .http(provider: "bank", status: 409, body: ""),
        .decoding(provider: "bank", reason: "x"),
        .circuitOpen(provider: "bank", retryAfter: .seconds(60)),
        .invalidRequest(provider: "bank", reason: "x"),
    ])
    func doesNotRetryPermanentErrors(error: ProviderError) async throws {
        let attempts = CallCounter()
        await #expect(throws: error) {
            try await policy().run(idempotent: true) { () async throws -> Int in
                attempts.increment()
                throw error
            }
        }
        #expect(attempts.value == 1)
        #expect(sleeps.delays.isEmpty)
    }

    @Test("retries 5xx, 408 and 429 answers", arguments: [500, 502, 503, 408, 429])
    func retriesTransientStatuses(status: Int) async throws {
        let attempts = CallCounter()
        _ = try? await policy().run(idempotent: true) { () async throws -> Int in
            attempts.increment()
            throw ProviderError.http(provider: "bank", status: status, body: "")
        }
        #expect(attempts.value == 4)
    }

    @Test("never retries a non-idempotent call")
    func nonIdempotentNotRetried() async throws {
        let attempts = CallCounter()
        await #expect(throws: ProviderError.self) {
            try await policy().run(idempotent: false) { () async throws -> Int in
                attempts.increment()
                throw Self.down
            }
        }
        #expect(attempts.value == 1)
        #expect(sleeps.delays.isEmpty)
    }

    @Test("waits at least the provider's Retry-After, and gives up if it is too long")
    func honoursRetryAfter() async throws {
        let attempts = CallCounter()
        _ = try? await policy().run(idempotent: true) { () async throws -> Int in
            attempts.increment()
            throw ProviderError.unavailable(provider: "bank", retryAfter: .seconds(3))
        }
        #expect(sleeps.delays == [.seconds(3), .seconds(3), .seconds(4)])

        let patient = CallCounter()
        _ = try? await policy().run(idempotent: true) { () async throws -> Int in
            patient.increment()
            throw ProviderError.unavailable(provider: "bank", retryAfter: .seconds(120))
        }
        #expect(patient.value == 1)
    }

    @Test("unknown errors are not retried by default; a custom rule can change that")
    func customClassification() async throws {
        struct Flaky: Error {}
        let attempts = CallCounter()
        _ = try? await policy().run(idempotent: true) { () async throws -> Int in
            attempts.increment()
            throw Flaky()
        }
        #expect(attempts.value == 1)

        let sleeps = self.sleeps
        let custom = RetryPolicy(maxRetries: 2, jitterPercent: 0, isRetryable: { $0 is Flaky }, sleep: { try await sleeps.sleep($0) })
        let customAttempts = CallCounter()
        _ = try? await custom.run(idempotent: true) { () async throws -> Int in
            customAttempts.increment()
            throw Flaky()
        }
        #expect(customAttempts.value == 3)
    }

    @Test("HTTP methods map to idempotency")
    func methodIdempotency() {
        #expect(ResilientHTTPClient.isIdempotent(method: "GET"))
        #expect(ResilientHTTPClient.isIdempotent(method: "PUT"))
        #expect(ResilientHTTPClient.isIdempotent(method: "DELETE"))
        #expect(!ResilientHTTPClient.isIdempotent(method: "POST"))
        #expect(!ResilientHTTPClient.isIdempotent(method: "PATCH"))
    }

    @Test("Retry-After seconds are read, dates and junk ignored")
    func retryAfterHeader() {
        #expect(ResilientHTTPClient.retryAfter("30") == .seconds(30))
        #expect(ResilientHTTPClient.retryAfter(" 5 ") == .seconds(5))
        #expect(ResilientHTTPClient.retryAfter("Wed, 21 Oct 2026 07:28:00 GMT") == nil)
        #expect(ResilientHTTPClient.retryAfter("-1") == nil)
        #expect(ResilientHTTPClient.retryAfter(nil) == nil)
    }
}
