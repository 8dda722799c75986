import DropCore
import DropProviders
import DropSandbox
import Foundation
import Hummingbird
import HummingbirdTesting
import DropTestTools
import Testing

/// The real FX client against the FX sandbox over real HTTP on a loopback port.
@Suite("Norges Bank client over HTTP")
struct NorgesBankRatesClientLiveTests {
    static let saturday = utcInstant("2026-11-21T12:00:00Z")

    let time = StepClock()
    let sleeps = InstantSleeper()

    /// Starts the sandbox on 127.0.0.1 with an OS-chosen port and runs `body` with that port.
    func withLiveSandbox<T: Sendable>(
        now: Date = saturday, faults: SandboxFaultControl = SandboxFaultControl(),
        _ body: @Sendable (Int) async throws -> T
    ) async throws -> T {
        let harness = FXFeedHarness(now: now, faults: faults)
        return try await harness.app.test(.live) { client in
            try await body(try #require(client.port))
        }
    }

    func makeClient(
        port: Int, failureThreshold: Int = 3, maxRetries: Int = 3, timeout: Duration = .seconds(5)
    ) -> (NorgesBankRatesClient, CircuitBreaker) {
        let time = self.time
        let sleeps = self.sleeps
        let breaker = CircuitBreaker(
            provider: NorgesBankRatesClient.providerName,
            configuration: .init(failureThreshold: failureThreshold),
            now: { time.now() }
        )
        let http = ResilientHTTPClient(
            provider: NorgesBankRatesClient.providerName,
            httpClient: .shared,
            breaker: breaker,
            retryPolicy: RetryPolicy(maxRetries: maxRetries, sleep: { try await sleeps.sleep($0) }, randomness: .seeded(7)),
            timeout: timeout
        )
        return (NorgesBankRatesClient(baseURL: "http://127.0.0.1:\(port)/sandbox/fx/", http: http), breaker)
    }

    @Test("fetches the newest rates; on a Saturday they are Friday's")
    func fetchesRates() async throws {
        try await withLiveSandbox { port in
            let (client, _) = makeClient(port: port)
            let quotes = try await client.latestRates(for: ["SEK", "EUR", "PKR", "USD", "EUR"])
            #expect(quotes.map(\.quote) == ["SEK", "EUR", "PKR", "USD"])
            for quote in quotes {
                #expect(quote.base == "NOK")
                #expect(quote.asOf == "2026-11-20")
                #expect(quote.source == "Norges Bank")
                #expect(quote.unitsPerNok == (try quote.nokPerUnit.inverse()))
            }
            let (sekLow, sekHigh) = (try FixedPointRate(parsing: "1.05"), try FixedPointRate(parsing: "1.10"))
            #expect(quotes[0].nokPerUnit > sekLow && quotes[0].nokPerUnit < sekHigh)
            let (eurLow, eurHigh) = (try FixedPointRate(parsing: "11.5"), try FixedPointRate(parsing: "11.9"))
            #expect(quotes[1].nokPerUnit > eurLow && quotes[1].nokPerUnit < eurHigh)
        }
    }

    @Test("all currencies at once")
    func allRates() async throws {
        try await withLiveSandbox { port in
            let quotes = try await makeClient(port: port).0.allLatestRates()
            #expect(quotes.count >= 40)
            #expect(quotes.map(\.quote) == quotes.map(\.quote).sorted())
        }
    }

    @Test("unknown currencies are left out; only unknown ones is a 404")
    func unknownCurrencies() async throws {
        try await withLiveSandbox { port in
            let (client, _) = makeClient(port: port)
            let known = try await client.latestRates(for: ["EUR", "XXX"])
            #expect(known.map(\.quote) == ["EUR"])
            let error = await #expect(throws: ProviderError.self) { try await client.latestRates(for: ["XXX"]) }
            guard case .http(_, 404, let body) = error else {
                Issue.record("expected a 404, got \(String(describing: error))")
                return
            }
            #expect(body.contains("No Results Found"))
            await #expect(throws: ProviderError.self) { try await client.latestRates(for: ["eur"]) }
        }
    }

    @Test("transient 5xx answers are retried")
    func retriesTransientFailures() async throws {
        let faults = SandboxFaultControl()
        faults.failNext(2, with: .serverError)
        try await withLiveSandbox(faults: faults) { port in
            let quotes = try await makeClient(port: port).0.latestRates(for: ["EUR"])
            #expect(quotes.count == 1)
        }
        #expect(faults.requestCount == 3)
        #expect(sleeps.delays.count == 2)
    }

    @Test("a sandbox that stays down gives ProviderError.unavailable after 3 retries")
    func downAfterRetries() async throws {
        let faults = SandboxFaultControl(fault: .unavailable)
        try await withLiveSandbox(faults: faults) { port in
            let (client, _) = makeClient(port: port, failureThreshold: 10)
            let error = await #expect(throws: ProviderError.self) { try await client.latestRates(for: ["EUR"]) }
            #expect(error == .unavailable(provider: "norges-bank", retryAfter: .seconds(1)))
            #expect(error?.isProviderUnavailable == true)
        }
        #expect(faults.requestCount == 4)
        let delays = sleeps.delays
        #expect(delays.count == 3)
        #expect(delays == delays.sorted())
        #expect(delays.allSatisfy { $0 >= .seconds(1) && $0 <= .milliseconds(4_800) })
    }

    @Test("the breaker opens, fails fast, and closes after a successful trial")
    func breakerOpensAndRecovers() async throws {
        let faults = SandboxFaultControl(fault: .unavailable)
        try await withLiveSandbox(faults: faults) { port in
            let (client, breaker) = makeClient(port: port)
            let first = await #expect(throws: ProviderError.self) { try await client.latestRates(for: ["EUR"]) }
            // Attempts 1-3 reached the sandbox and opened the breaker; the 4th was refused locally.
            #expect(first == .circuitOpen(provider: "norges-bank", retryAfter: .seconds(60)))
            #expect(faults.requestCount == 3)
            #expect(await breaker.snapshot.state == .open)

            time.advance(by: .seconds(30))
            let second = await #expect(throws: ProviderError.self) { try await client.latestRates(for: ["EUR"]) }
            #expect(second?.retryAfter == .seconds(30))
            #expect(faults.requestCount == 3)

            faults.fault = nil
            time.advance(by: .seconds(30))
            let recovered = try await client.latestRates(for: ["EUR"])
            #expect(recovered.count == 1)
            #expect(faults.requestCount == 4)
            #expect(await breaker.snapshot.state == .closed)
        }
    }

    @Test("a garbled answer is a decoding error, not retried, not held against the provider")
    func garbage() async throws {
        let faults = SandboxFaultControl(fault: .garbage)
        try await withLiveSandbox(faults: faults) { port in
            let (client, breaker) = makeClient(port: port)
            let error = await #expect(throws: ProviderError.self) { try await client.latestRates(for: ["EUR"]) }
            guard case .decoding(let provider, _) = error else {
                Issue.record("expected a decoding error, got \(String(describing: error))")
                return
            }
            #expect(provider == "norges-bank")
            #expect(await breaker.snapshot.consecutiveFailures == 0)
        }
        #expect(faults.requestCount == 1)
    }

    @Test("a slow answer hits the per-call timeout")
    func timeout() async throws {
        let faults = SandboxFaultControl(fault: .delay(.milliseconds(1_500)))
        try await withLiveSandbox(faults: faults) { port in
            let (client, _) = makeClient(port: port, maxRetries: 0, timeout: .milliseconds(200))
            // The sandbox would answer normally after 1.5 s, so a timeout error is the proof that the
            // 200 ms limit cut the call short (no wall-clock assertion: CI machines are loaded).
            let error = await #expect(throws: ProviderError.self) { try await client.latestRates(for: ["EUR"]) }
            #expect(error == .timeout(provider: "norges-bank"))
        }
    }

    @Test("nobody listening is a transient provider failure")
    func connectionRefused() async throws {
        // Port 1 on loopback: nothing listens there, so the connection is refused.
        let (client, _) = makeClient(port: 1, failureThreshold: 10, maxRetries: 1, timeout: .milliseconds(500))
        let error = await #expect(throws: ProviderError.self) { try await client.latestRates(for: ["EUR"]) }
        // AsyncHTTPClient retries a refused connection until the deadline, so on a loaded machine the
        // same outage may surface as a timeout; both mean "unavailable, retry later" to the API.
        #expect(error == .unavailable(provider: "norges-bank", retryAfter: nil) || error == .timeout(provider: "norges-bank"))
        #expect(error?.isProviderUnavailable == true)
        #expect(sleeps.delays.count == 1)
    }
}
