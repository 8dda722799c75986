import DropAPI
import DropStore
import DropTestSupport
import DropWeb
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Signs in whoever sends `Authorization: Bearer <user id>`; cookie `drop_token=<user id>` signs in via cookie.
struct FakeAuthenticator: RequestAuthenticator {
    func authenticate(_ request: Request, context: AppRequestContext) async throws -> Identity? {
        if let header = request.headers[.authorization], header.hasPrefix("Bearer ") {
            return Identity(userId: String(header.dropFirst(7)), sessionId: "s-" + header.dropFirst(7), role: .user, transport: .bearer)
        }
        if let cookie = request.cookies["drop_token"]?.value {
            return Identity(userId: cookie, sessionId: "s-" + cookie, role: .user, transport: .cookie)
        }
        return nil
    }
}

@Suite("Rate limits")
struct RateLimitTests {
    @Test func authRoutesAllowTenPerMinutePerIP() async throws {
        let clock = TestClock(Date(timeIntervalSince1970: 1_790_000_080))  // 40 s into a 60 s window
        try await TestApp.test(clock: clock) { client, _ in
            for attempt in 1...10 {
                try await client.execute(uri: "/v1/auth/login", method: .post) { response in
                    #expect(response.status == .gone, "attempt \(attempt)")
                    #expect(response.headers[HTTPField.Name("RateLimit-Remaining")!] == String(10 - attempt))
                }
            }
            try await client.execute(uri: "/v1/auth/login", method: .post) { response in
                #expect(response.status == .tooManyRequests)
                #expect(response.apiError.code == "RATE_LIMITED")
                #expect(response.headers[.retryAfter] == "20")
                #expect(response.headers[HTTPField.Name("RateLimit-Limit")!] == "10")
            }
            // Other routes are not affected; the next window starts fresh.
            try await client.execute(uri: "/health", method: .get) { #expect($0.status == .ok) }
            clock.advance(20)
            try await client.execute(uri: "/v1/auth/login", method: .post) { #expect($0.status == .gone) }
        }
    }

    @Test func transactionsAllowThreePerMinutePerUser() async throws {
        try await TestApp.test(authenticator: FakeAuthenticator(), extraFeatures: [ProbeFeature()]) { client, _ in
            for _ in 1...3 {
                try await client.execute(uri: "/v1/transactions/test", method: .post, headers: [.authorization: "Bearer kari"]) {
                    #expect($0.status == .created)
                }
            }
            try await client.execute(uri: "/v1/transactions/test", method: .post, headers: [.authorization: "Bearer kari"]) {
                #expect($0.status == .tooManyRequests)
            }
            // Another user from the same address still has their own three (and the IP's ten).
            try await client.execute(uri: "/v1/transactions/test", method: .post, headers: [.authorization: "Bearer ola"]) {
                #expect($0.status == .created)
            }
        }
    }

    /// Every spelling the router resolves to a route is that route for the limits too.
    @Test func standingTransfersAllowTenChangesPerMinutePerUserOnTheAPIAndTheWeb() async throws {
        try await TestApp.test(authenticator: FakeAuthenticator()) { client, _ in
            for attempt in 1...10 {
                let uri = attempt.isMultiple(of: 2) ? "/standing/pause?id=x" : "/v1/standing-orders/x/stop"
                try await client.execute(uri: uri, method: .post, headers: [.authorization: "Bearer kari"]) {
                    #expect($0.status != .tooManyRequests, "attempt \(attempt)")
                }
            }
            try await client.execute(uri: "/v1/standing-orders", method: .post, headers: [.authorization: "Bearer kari"]) {
                #expect($0.status == .tooManyRequests)
            }
        }
    }

    /// Each quote is a stored row: a customer asking for prices in a loop is stopped at 30 a minute,
    /// the API and the web's send form together.
    @Test func quotesAllowThirtyPerMinutePerUserOnTheAPIAndTheWeb() async throws {
        try await TestApp.test(authenticator: FakeAuthenticator()) { client, _ in
            for attempt in 1...30 {
                let uri = attempt.isMultiple(of: 3) ? "/send/quote" : "/v1/quotes"
                try await client.execute(uri: uri, method: .post, headers: [.authorization: "Bearer kari"]) {
                    #expect($0.status != .tooManyRequests, "attempt \(attempt)")
                }
            }
            try await client.execute(uri: "/v1/quotes", method: .post, headers: [.authorization: "Bearer kari"]) {
                #expect($0.status == .tooManyRequests)
                #expect($0.apiError.code == "RATE_LIMITED")
            }
            // Another customer has their own thirty.
            try await client.execute(uri: "/v1/quotes", method: .post, headers: [.authorization: "Bearer ola"]) {
                #expect($0.status != .tooManyRequests)
            }
        }
    }

    /// Linking a bank and refreshing it spend Drop's access at the bank; starting the identity check asks
    /// Sumsub; a complaint is a case someone must answer; recipients are kept for years. Each is bounded
    /// per customer, the API and the web form alike, and what one customer spends leaves another's alone.
    @Test func bankLinksIdentityChecksComplaintsAndRecipientsAreBoundedPerCustomer() async throws {
        let clock = TestClock(Date(timeIntervalSince1970: 1_790_000_000))
        try await TestApp.test(clock: clock, authenticator: FakeAuthenticator()) { client, _ in
            let kari: HTTPFields = [.authorization: "Bearer kari"]
            func spend(_ uris: [String], _ count: Int, method: HTTPRequest.Method = .post) async throws {
                for attempt in 0..<count {
                    let uri = uris[attempt % uris.count]
                    try await client.execute(uri: uri, method: method, headers: kari) { #expect($0.status != .tooManyRequests, "\(uri) #\(attempt)") }
                }
            }
            func refused(_ uri: String, method: HTTPRequest.Method = .post, limit: Int) async throws {
                try await client.execute(uri: uri, method: method, headers: kari) { response in
                    #expect(response.status == .tooManyRequests, "\(uri)")
                    #expect(response.apiError.code == "RATE_LIMITED")
                    #expect(response.headers[.retryAfter] != nil)
                    #expect(response.headers[HTTPField.Name("RateLimit-Limit")!] == String(limit))
                }
            }
            try await spend(["/v1/bank-accounts/connect", "/v1/bank-accounts/a/refresh", "/bank-accounts/connect", "/bank-accounts/a/refresh"], 10)
            try await refused("/v1/bank-accounts/connect", limit: 10)
            try await spend(["/v1/kyc/start", "/onboarding/kyc"], 10)
            try await refused("/onboarding/kyc", limit: 10)
            try await spend(["/v1/complaints", "/complaints"], 10)
            try await refused("/v1/complaints", limit: 10)
            try await spend(["/v1/recipients", "/recipients", "/recipients/r/delete"], 28)
            try await spend(["/v1/recipients/r"], 1, method: .patch)
            try await spend(["/v1/recipients/r"], 1, method: .delete)
            try await refused("/v1/recipients", limit: 30)
            // Reading is not changing, and Ola has his own budgets.
            try await spend(["/v1/recipients", "/v1/bank-accounts", "/v1/complaints"], 3, method: .get)
            for uri in ["/v1/bank-accounts/connect", "/v1/kyc/start", "/v1/complaints", "/v1/recipients"] {
                try await client.execute(uri: uri, method: .post, headers: [.authorization: "Bearer ola"]) { #expect($0.status != .tooManyRequests, "\(uri)") }
            }
            // Ten minutes on, a bank can be linked again; a complaint waits for the next day.
            clock.advance(600)
            try await spend(["/v1/bank-accounts/connect"], 1)
            try await refused("/complaints", limit: 10)
        }
    }

    /// The pages a bank sends the browser back to are public and each asks the bank: per address, whichever
    /// id is in the path. Linking banks is bounded per address too, whoever signs in.
    @Test func theBanksReturnPagesAndBankLinksAreBoundedPerAddress() async throws {
        try await TestApp.test(authenticator: FakeAuthenticator()) { client, _ in
            let returns = ["/v1/transactions/\(UUID())/sca-callback", "/v1/standing-orders/\(UUID())/sca-callback?client=mobile",
                           "/v1/bank-accounts/callback?connection=\(UUID())"]
            for attempt in 0..<120 {
                try await client.execute(uri: returns[attempt % 3], method: .get) { #expect($0.status == .found, "\(attempt)") }
            }
            for uri in returns {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .tooManyRequests, "\(uri)")
                    #expect(response.headers[HTTPField.Name("RateLimit-Limit")!] == "120")
                }
            }
            // A transaction's own page is not a bank's return page.
            try await client.execute(uri: "/v1/transactions/\(UUID())", method: .get) { #expect($0.status != .tooManyRequests) }
            for user in 0..<30 {
                let uri = user.isMultiple(of: 2) ? "/v1/bank-accounts/connect" : "/bank-accounts/connect"
                try await client.execute(uri: uri, method: .post, headers: [.authorization: "Bearer user\(user)"]) {
                    #expect($0.status != .tooManyRequests, "\(user)")
                }
            }
            try await client.execute(uri: "/v1/bank-accounts/connect", method: .post, headers: [.authorization: "Bearer another"]) { response in
                #expect(response.status == .tooManyRequests)
                #expect(response.headers[HTTPField.Name("RateLimit-Limit")!] == "30")
            }
        }
    }

    /// What a merchant code names is public, but looked up at a person's pace: no walking the code space.
    @Test func merchantCodesAreLookedUpAtAPersonsPace() async throws {
        try await TestApp.test(authenticator: FakeAuthenticator()) { client, _ in
            for attempt in 0..<60 {
                let uri = attempt.isMultiple(of: 2) ? "/v1/merchants/ABCDEFGH" : "/pay/ABCDEFGH"
                try await client.execute(uri: uri, method: .get) { #expect($0.status != .tooManyRequests, "\(uri)") }
            }
            try await client.execute(uri: "/v1/merchants/HGFEDCBA", method: .get) { #expect($0.status == .tooManyRequests) }
            // A shop owner's own pages are not lookups.
            try await client.execute(uri: "/v1/merchants/me", method: .get, headers: [.authorization: "Bearer kari"]) {
                #expect($0.status != .tooManyRequests)
            }
        }
    }

    @Test func noPathSpellingEscapesTheLimits() async throws {
        let spellings = ["//v1/auth/bankid/start?client=web", "/v1//auth/login", "/v1/./auth/login", "/v1/x/../auth/login", "/v1/%61uth/login",
                         "/v1/auth/login/", "///v1/auth/login", "/v1/auth/%2E/login", "/v1/auth/login?next=/v1/me", "/v1/auth/%2e%2e/auth/login"]
        try await TestApp.test { client, _ in
            for uri in spellings {
                try await client.execute(uri: uri, method: uri.contains("bankid") ? .get : .post) { response in
                    #expect(response.status != .tooManyRequests, "\(uri)")
                }
            }
            // Ten spellings, one bucket: the eleventh request is refused, so every one of them was counted.
            try await client.execute(uri: "/v1/auth/bankid/start?client=web", method: .get) { #expect($0.status == .tooManyRequests) }
        }
        try await TestApp.test(authenticator: FakeAuthenticator(), extraFeatures: [ProbeFeature()]) { client, _ in
            for uri in ["/v1//transactions/test", "//v1/transactions/test", "/v1/transactions/./test"] {
                try await client.execute(uri: uri, method: .post, headers: [.authorization: "Bearer kari"]) {
                    #expect($0.status != .tooManyRequests, "\(uri)")
                }
            }
            try await client.execute(uri: "/v1/transactions/test", method: .post, headers: [.authorization: "Bearer kari"]) {
                #expect($0.status == .tooManyRequests)
            }
        }
    }

    /// The web's send and pay forms move money like the API routes they stand for, and share their budget.
    @Test func webMoneyFormsShareTheTransactionLimits() async throws {
        try await TestApp.test(authenticator: FakeAuthenticator(), extraFeatures: [ProbeFeature()]) { client, _ in
            let kari: HTTPFields = [.cookie: "drop_token=kari"]
            try await client.execute(uri: "/v1/transactions/test", method: .post, headers: [.authorization: "Bearer kari"]) { #expect($0.status == .created) }
            try await client.execute(uri: "/send/confirm", method: .post, headers: kari) { #expect($0.status != .tooManyRequests) }
            try await client.execute(uri: "//pay/ABC123", method: .post, headers: kari) { #expect($0.status != .tooManyRequests) }
            for uri in ["/send/confirm", "/pay/ABC123", "/send//confirm"] {
                try await client.execute(uri: uri, method: .post, headers: kari) { response in
                    #expect(response.status == .tooManyRequests, "\(uri)")
                    #expect(response.headers[HTTPField.Name("RateLimit-Limit")!] == "3")
                }
            }
            // Per address: ten whoever signs in (the four above count too; the 429s as well).
            for user in ["ola", "per", "liv", "eva"] {
                try await client.execute(uri: "/pay/ABC123", method: .post, headers: [.cookie: "drop_token=\(user)"]) { #expect($0.status != .tooManyRequests) }
            }
            try await client.execute(uri: "/send/confirm", method: .post, headers: [.cookie: "drop_token=siv"]) { response in
                #expect(response.status == .tooManyRequests)
                #expect(response.headers[HTTPField.Name("RateLimit-Limit")!] == "10")
            }
            // Reading the forms is not moving money.
            try await client.execute(uri: "/pay/ABC123", method: .get, headers: kari) { #expect($0.status != .tooManyRequests) }
        }
    }

    @Test func signingOutIsNotASignInAttempt() async throws {
        try await TestApp.test(authenticator: FakeAuthenticator()) { client, _ in
            for _ in 1...11 {
                try await client.execute(uri: "/v1/auth/login", method: .post) { _ in }
            }
            try await client.execute(uri: "/v1/auth/login", method: .post) { #expect($0.status == .tooManyRequests) }
            try await client.execute(uri: "/v1/auth/me", method: .get, headers: [.authorization: "Bearer kari"]) { response in
                #expect(response.status != .tooManyRequests)
                #expect(response.headers[HTTPField.Name("RateLimit-Limit")!] == nil)
            }
            try await client.execute(uri: "/v1/auth/logout", method: .post, headers: [.authorization: "Bearer kari"]) { response in
                #expect(response.status == .noContent)
                #expect(response.headers[HTTPField.Name("RateLimit-Limit")!] == nil)
            }
        }
    }

    /// Behind our own proxy each client has its own budget; nobody else picks theirs with a header.
    @Test func limitsCountTheClientBehindTrustedProxies() async throws {
        try await LiveServer.run(rateLimited: true, environment: ["TRUST_FORWARDED_FOR": "true"], extraFeatures: [ProbeFeature()]) { server in
            // The test's connection comes from 127.0.0.1, a trusted proxy by default.
            let ip = try await server.get("/v1/test/client-ip", headers: [("x-forwarded-for", "1.1.1.1, 203.0.113.9")])
            #expect(try ip.decode(ProbeFeature.ClientIP.self).ip == "203.0.113.9")
            for _ in 1...10 {
                #expect(try await server.get("/v1/auth/bankid/start?client=web", headers: [("x-forwarded-for", "203.0.113.9")]).status == 302)
            }
            #expect(try await server.get("/v1/auth/bankid/start?client=web", headers: [("x-forwarded-for", "203.0.113.9")]).status == 429)
            #expect(try await server.get("/v1/auth/bankid/start?client=web", headers: [("x-forwarded-for", "2001:db8::7")]).status == 302)
        }
        try await LiveServer.run(rateLimited: true, extraFeatures: [ProbeFeature()]) { server in
            // Not trusted (the default): the header is the caller's own claim and changes nothing.
            let ip = try await server.get("/v1/test/client-ip", headers: [("x-forwarded-for", "203.0.113.9")])
            #expect(try ip.decode(ProbeFeature.ClientIP.self).ip == "127.0.0.1")
            for attempt in 1...11 {
                let spoofed = [("x-forwarded-for", "198.51.100.\(attempt)")]
                let status = try await server.get("/v1/auth/bankid/start?client=web", headers: spoofed).status
                #expect(status == (attempt <= 10 ? 302 : 429))
            }
        }
    }

    /// An IPv6 client can take any address in its /64: rotating through them doesn't buy more attempts.
    @Test func anIPv6CallerIsItsSlash64() async throws {
        try await LiveServer.run(rateLimited: true, environment: ["TRUST_FORWARDED_FOR": "true"]) { server in
            @Sendable func signInFrom(_ address: String) async throws -> Int {
                try await server.get("/v1/auth/bankid/start?client=web", headers: [("x-forwarded-for", address)]).status
            }
            for host in 1...10 {
                let status = try await signInFrom("2001:db8:7:9::\(String(host, radix: 16))")
                #expect(status == 302)
            }
            let rotated = try await signInFrom("2001:db8:7:9:ffff::1")
            // The neighbour's /64 is another line.
            let neighbour = try await signInFrom("2001:db8:7:a::1")
            #expect(rotated == 429 && neighbour == 302)
        }
    }

    @Test func countsAreSharedByServersOnOneDatabase() async throws {
        // Two independent applications (as two processes would be) over the same database.
        try await TestDatabase.with { database in
            let clock = TestClock(Date(timeIntervalSince1970: 1_790_000_000))
            let first = buildApplication(services: try await TestApp.services(database: database, clock: clock))
            let second = buildApplication(services: try await TestApp.services(database: database, clock: clock))
            try await first.test(.router) { one in
                try await second.test(.router) { two in
                    for attempt in 1...10 {
                        let client = attempt.isMultiple(of: 2) ? one : two
                        try await client.execute(uri: "/v1/auth/register", method: .post) { #expect($0.status == .gone) }
                    }
                    try await one.execute(uri: "/v1/auth/register", method: .post) { #expect($0.status == .tooManyRequests) }
                    try await two.execute(uri: "/v1/auth/register", method: .post) { #expect($0.status == .tooManyRequests) }
                }
            }
        }
    }
}

@Suite("Authentication hooks")
struct AuthenticationHookTests {
    @Test func cookieWritesNeedTheOriginOrTheCSRFToken() async throws {
        try await TestApp.test(authenticator: FakeAuthenticator(), extraFeatures: [ProbeFeature()]) { client, services in
            let cookie: HTTPFields = [.cookie: "drop_token=kari"]
            try await client.execute(uri: "/v1/test/whoami", method: .get, headers: cookie) { response in
                let who = try response.decode(ProbeFeature.Who.self)
                #expect(who.user == "kari")
            }
            try await client.execute(uri: "/v1/test/write", method: .post, headers: cookie + [.origin: "https://evil.example"]) { response in
                #expect(response.status == .forbidden)
            }
            try await client.execute(uri: "/v1/test/write", method: .post, headers: cookie) { response in
                #expect(response.status == .forbidden)  // neither Origin nor token
            }
            try await client.execute(uri: "/v1/test/write", method: .post, headers: cookie + [.origin: services.publicBaseURL.url]) { response in
                #expect(response.status == .ok)
            }
            let token = services.csrf.token(for: "s-kari")
            try await client.execute(uri: "/v1/test/write", method: .post, headers: cookie + [HTTPField.Name("x-csrf-token")!: token]) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/v1/test/write", method: .post, headers: cookie + [HTTPField.Name("x-csrf-token")!: services.csrf.token(for: "s-ola")]) { response in
                #expect(response.status == .forbidden)
            }
            // Bearer tokens are not sent by browsers on their own, so no CSRF check applies.
            try await client.execute(uri: "/v1/test/write", method: .post, headers: [.authorization: "Bearer kari"]) { response in
                #expect(response.status == .ok)
            }
        }
    }
}

extension HTTPFields {
    static func + (lhs: HTTPFields, rhs: HTTPFields) -> HTTPFields {
        var merged = lhs
        merged.append(contentsOf: rhs)
        return merged
    }
}
