import DropAPI
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Routes that exist only in tests, to reach the middleware's error paths.
struct ProbeFeature: AppFeature {
    struct Echo: Codable { let name: String; let amountMinor: Int64 }
    struct Secret: Error {}
    /// `GET /v1/test/client-ip`.
    struct ClientIP: Codable { let ip: String }
    /// `GET /v1/test/whoami`, `POST /v1/test/write`.
    struct Who: Codable { let user: String }

    func addRoutes(to router: Router<AppRequestContext>, services: AppServices) {
        router.post("/v1/test/echo") { request, context in
            let echo = try await request.decodeJSON(Echo.self, context: context)
            return try JSON.response(echo, status: .created)
        }
        router.get("/v1/test/crash") { _, _ -> Response in
            throw Secret()
        }
        router.get("/v1/test/whoami") { _, context in
            try JSON.response(["user": context.identity?.userId ?? "anonymous"])
        }
        router.post("/v1/test/write") { _, context in
            try JSON.response(["user": context.identity?.userId ?? "anonymous"])
        }
        router.get("/v1/test/client-ip") { _, context in
            try JSON.response(["ip": context.clientIP])
        }
        router.post("/v1/transactions/test") { _, _ in
            try JSON.response(["ok": true], status: .created)
        }
    }
}

@Suite("Middleware chain")
struct MiddlewareTests {
    @Test func unknownRoutesGetTheEnvelopeAndARequestID() async throws {
        try await TestApp.test { client, _ in
            try await client.execute(uri: "/v1/nothing-here", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
                #expect(response.apiError.code == "NOT_FOUND")
                #expect(response.envelope?.details != nil)  // always sent, if only empty
                #expect(response.headers[HTTPField.Name("x-request-id")!]?.isEmpty == false)
            }
        }
    }

    @Test func wrongMethodIs405WithAllow() async throws {
        try await TestApp.test { client, _ in
            try await client.execute(uri: "/health", method: .post) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.apiError.code == "METHOD_NOT_ALLOWED")
                #expect(response.headers[.allow] == "GET")
            }
        }
    }

    @Test func oversizedBodiesAre413() async throws {
        try await TestApp.test(extraFeatures: [ProbeFeature()]) { client, _ in
            let big = ByteBuffer(repeating: UInt8(ascii: "a"), count: 300 * 1024)
            try await client.execute(uri: "/v1/test/echo", method: .post, headers: [.contentType: "application/json"], body: big) { response in
                #expect(response.status == .contentTooLarge)
                #expect(response.apiError.code == "PAYLOAD_TOO_LARGE")
            }
        }
    }

    @Test func malformedJSONAndWrongTypesAre400WithTheField() async throws {
        try await TestApp.test(extraFeatures: [ProbeFeature()]) { client, _ in
            try await client.execute(uri: "/v1/test/echo", method: .post, body: ByteBuffer(string: "{not json")) { response in
                #expect(response.status == .badRequest)
                #expect(response.apiError.code == "VALIDATION_FAILED")
            }
            try await client.execute(uri: "/v1/test/echo", method: .post, body: ByteBuffer(string: #"{"name":"x","amountMinor":"ten"}"#)) { response in
                #expect(response.status == .badRequest)
                let detail = try #require(response.apiError.details.first)
                #expect(detail.field == "amountMinor")
            }
            try await client.execute(uri: "/v1/test/echo", method: .post, body: ByteBuffer(string: #"{"name":"x"}"#)) { response in
                let detail = try #require(response.apiError.details.first)
                #expect(detail.field == "amountMinor")
                #expect(detail.issue == "required")
            }
            try await client.execute(uri: "/v1/test/echo", method: .post, body: ByteBuffer(string: #"{"name":"x","amountMinor":5}"#)) { response in
                #expect(response.status == .created)
            }
        }
    }

    @Test func unexpectedErrorsAre500AndSayNothingInternal() async throws {
        try await TestApp.test(extraFeatures: [ProbeFeature()]) { client, _ in
            try await client.execute(uri: "/v1/test/crash", method: .get) { response in
                #expect(response.status == .internalServerError)
                #expect(response.apiError.code == "INTERNAL")
                #expect(!response.text.contains("Secret"))
            }
        }
    }

    @Test func browsersGetAnHTMLErrorPage() async throws {
        try await TestApp.test { client, _ in
            try await client.execute(uri: "/no-such-page", method: .get, headers: [.accept: "text/html", .acceptLanguage: "en"]) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
                #expect(response.text.contains("find the page you were looking for"))
            }
        }
    }

    @Test func aSaneRequestIDIsEchoedAndAnInsaneOneReplaced() async throws {
        let name = HTTPField.Name("x-request-id")!
        try await TestApp.test { client, _ in
            try await client.execute(uri: "/health", method: .get, headers: [name: "abc-123.x"]) { response in
                #expect(response.headers[name] == "abc-123.x")
            }
            try await client.execute(uri: "/health", method: .get, headers: [name: "bad id\nwith newline"]) { response in
                let id = try #require(response.headers[name])
                #expect(id != "bad id\nwith newline" && UUID(uuidString: id) != nil)
            }
        }
    }

    @Test func securityHeadersAreOnEveryResponse() async throws {
        try await TestApp.test { client, _ in
            // A page gets the full set.
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
                let csp = try #require(response.headers[.contentSecurityPolicy])
                #expect(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"))
                #expect(csp.contains("frame-ancestors 'none'"))
                #expect(response.headers[.xContentTypeOptions] == "nosniff")
                #expect(response.headers[HTTPField.Name("Cross-Origin-Opener-Policy")!] == "same-origin")
                #expect(response.headers[HTTPField.Name("Referrer-Policy")!] == "strict-origin-when-cross-origin")
            }
            // JSON, an answer or an error, lets nothing load and nothing frame it.
            for uri in ["/health", "/v1/nope"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
                    #expect(response.headers[.contentSecurityPolicy] == "default-src 'none'; frame-ancestors 'none'")
                    #expect(response.headers[.xContentTypeOptions] == "nosniff")
                    #expect(response.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
                }
            }
        }
    }

    /// An answer that doesn't say how it may be kept is never stored (Back after signing out must ask Drop
    /// again); one that does keeps its own: the assets, the service worker, the contract and its page.
    @Test func answersAreNotStoredUnlessTheySayHowTheyMayBeKept() async throws {
        try await TestApp.test { client, _ in
            for uri in ["/health", "/v1/nope", "/v1/me"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.headers[values: .cacheControl] == ["no-store"], "\(uri)")
                }
            }
            let own = ["/assets/app.css": "public, max-age=3600", "/sw.js": "no-cache", "/openapi.json": "public, max-age=300",
                       "/docs": "public, max-age=300"]
            for (uri, cacheControl) in own {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .ok && response.headers[values: .cacheControl] == [cacheControl], "\(uri)")
                }
            }
        }
    }

    /// The edge wraps everything and the rate limit wraps the other admission steps: a body refused
    /// before it is read still has its request id, the security headers and the rate limit's headers.
    @Test func aRefusalInsideTheChainCarriesEveryLayersHeaders() async throws {
        try await TestApp.test { client, _ in
            let tooLong = ByteBuffer(repeating: UInt8(ascii: " "), count: 256 * 1024 + 1)
            try await client.execute(uri: "/v1/auth/login", method: .post, headers: [HTTPField.Name("x-request-id")!: "order-check-1"],
                                     body: tooLong) { response in
                #expect(response.status == .contentTooLarge)
                #expect(response.apiError.code == "PAYLOAD_TOO_LARGE")
                #expect(response.headers[HTTPField.Name("x-request-id")!] == "order-check-1")
                #expect(response.headers[.contentSecurityPolicy] != nil)
                #expect(response.headers[HTTPField.Name("RateLimit-Remaining")!] == "9")
            }
        }
    }

    @Test func retiredPasswordEndpointsAreGone() async throws {
        try await TestApp.test { client, _ in
            for uri in ["/v1/auth/login", "/v1/auth/register", "/v1/auth/password/reset", "/v1/auth/password/forgot"] {
                try await client.execute(uri: uri, method: .post, body: ByteBuffer(string: "{}")) { response in
                    #expect(response.status == .gone)
                    #expect(response.apiError.code == "GONE")
                }
            }
        }
    }
}
