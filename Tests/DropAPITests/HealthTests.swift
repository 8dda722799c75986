import DropAPI
import DropKit
import DropStore
import DropTestSupport
import DropWeb
import Foundation
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing

@Suite("Health, readiness, metrics")
struct HealthTests {
    @Test func healthAndReady() async throws {
        try await TestApp.test { client, services in
            try await client.execute(uri: "/health", method: .get) { response in
                #expect(response.status == .ok)
                let health = try response.decode(DropClient.Health.self)
                #expect(health.status == "ok")
                #expect(response.headers[.contentType] == "application/json; charset=utf-8")
            }
            try await client.execute(uri: "/ready", method: .get) { response in
                #expect(response.status == .ok)
                let readiness = try response.decode(WireAPI.Readiness.self)
                #expect(readiness.database == services.database.dialect.rawValue)
            }
        }
    }

    /// Probes, metrics and page assets answer the same whoever asks, so the credential sent with them
    /// is not checked: a crowd of signed-in customers costs a restarted process no session reads there.
    @Test func probesAndAssetsDoNotCheckTheCaller() async throws {
        try await LiveServer.run { server in
            let kari = try await server.bearer("15039010043")
            let cookie = ("Cookie", SessionAuthenticator.cookieName + "=" + kari.1.dropFirst("Bearer ".count))
            #expect(try await server.request(.POST, "/v1/auth/logout", headers: [kari]).status == 204)
            for path in ["/health", "/ready", "/metrics", "/assets/app.css"] {
                for credential in [kari, cookie, ("Authorization", "Bearer not-a-token")] {
                    #expect(try await server.get(path, headers: [credential]).status == 200, "\(path) with \(credential.0)")
                }
            }
            // What a session guards still refuses the same credentials.
            #expect(try await server.get("/v1/me", headers: [kari]).status == 401)
            #expect(try await server.get("/v1/me", headers: [("Authorization", "Bearer not-a-token")]).status == 401)
        }
    }

    @Test func notReadyWhileMigrationsAreBehind() async throws {
        try await TestDatabase.with(migrate: false) { database in
            let app = buildApplication(services: try await TestApp.services(database: database))
            try await app.test(.router) { client in
                try await client.execute(uri: "/ready", method: .get) { response in
                    #expect(response.status == .serviceUnavailable)
                    #expect(response.apiError.code == "NOT_READY")
                }
                try await Migrator().migrate(database)
                try await client.execute(uri: "/ready", method: .get) { #expect($0.status == .ok) }
            }
        }
    }

    @Test func notReadyWhenTheDatabaseIsGone() async throws {
        try await TestDatabase.with { database in
            let app = buildApplication(services: try await TestApp.services(database: database))
            try await app.test(.router) { client in
                await database.shutdown()
                try await client.execute(uri: "/ready", method: .get) { response in
                    #expect(response.status == .serviceUnavailable)
                    #expect(response.headers[.retryAfter] != nil)
                }
                try await client.execute(uri: "/health", method: .get) { #expect($0.status == .ok) }
            }
        }
    }

    @Test func metricsCountRequestsByRouteTemplate() async throws {
        try await TestApp.test { client, _ in
            try await client.execute(uri: "/health", method: .get) { _ in }
            try await client.execute(uri: "/v1/auth/password/reset", method: .post) { _ in }
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
                #expect(response.text.contains(#"drop_http_requests_total{method="GET",route="/health",status="200"} 1"#))
                // The template, never the concrete path (which may carry ids).
                #expect(response.text.contains(#"route="/v1/auth/password/{action}",status="410""#))
                #expect(response.text.contains("drop_http_request_duration_seconds_bucket"))
            }
        }
    }

    /// With METRICS_TOKEN (required in production) only the scraper reads the metrics.
    @Test func metricsNeedTheTokenWhenOneIsSet() async throws {
        let token = String(repeating: "m", count: 40)
        try await TestDatabase.with { database in
            let config = try TestApp.config(["METRICS_TOKEN": token])
            let app = buildApplication(services: try await TestApp.services(database: database, config: config), extraFeatures: [WebFeature()])
            try await app.test(.router) { client in
                for header: HTTPFields in [[:], [.authorization: "Bearer " + token.dropLast() + "x"], [.authorization: "Bearer "],
                                           [.authorization: token], [.authorization: "Basic " + token], [.authorization: "Bearer " + token + "m"]] {
                    try await client.execute(uri: "/metrics", method: .get, headers: header) { response in
                        #expect(response.status == .unauthorized)
                        #expect(response.apiError.code == "UNAUTHENTICATED")
                        #expect(!response.text.contains("drop_http_requests_total"))
                    }
                }
                try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer " + token]) { response in
                    #expect(response.status == .ok)
                    #expect(response.text.contains("drop_http_requests_total"))
                }
                try await client.execute(uri: "/health", method: .get) { #expect($0.status == .ok) }
            }
        }
    }
}

@Suite("OpenAPI document")
struct OpenAPITests {
    /// Routes that belong to the API contract (pages and sandboxes are not part of it).
    static func isAPIRoute(_ path: String) -> Bool {
        path.hasPrefix("/v1/") || ["/health", "/ready", "/metrics", "/openapi.json", "/docs"].contains(path)
    }

    @Test func theDocumentAndTheServerListTheSameRoutes() async throws {
        try await TestDatabase.with { database in
            let services = try await TestApp.services(database: database)
            let router = buildRouter(services: services, features: apiFeatures + [WebFeature()])
            let served = Set(router.routes.map { "\($0.method.rawValue) \(RouteTable.template(of: $0.path.description))" }
                .filter { Self.isAPIRoute(String($0.split(separator: " ")[1])) })
            let documented = Set(OpenAPIDocument.operations().map { "\($0.method) \(RouteTable.template(of: $0.path))" })
            #expect(served.subtracting(documented).isEmpty, "served but not documented: \(served.subtracting(documented).sorted())")
            #expect(documented.subtracting(served).isEmpty, "documented but not served: \(documented.subtracting(served).sorted())")
            #expect(served.count >= 8)
        }
    }

    @Test func theDocumentIsOpenAPI31AndServed() async throws {
        try await TestApp.test { client, _ in
            try await client.execute(uri: "/openapi.json", method: .get) { response in
                #expect(response.status == .ok)
                let document = try response.decode(WireAPI.OpenAPIVersion.self)
                #expect(document.openapi == "3.1.0")
            }
            try await client.execute(uri: "/docs", method: .get) { response in
                #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
                #expect(response.text.contains("/v1/auth/password/{action}"))
                #expect(!response.text.contains("<script"))
            }
        }
    }
}

@Suite("Web shell")
struct WebShellTests {
    @Test func homePageSpeaksBokmaalByDefaultAndEnglishOnRequest() async throws {
        try await TestApp.test { client, _ in
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.text.contains(#"<html lang="nb">"#))
                #expect(response.text.contains("Send penger hjem"))
            }
            try await client.execute(uri: "/language/en", method: .get) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.setCookie]?.contains("drop_lang=en") == true)
            }
            try await client.execute(uri: "/", method: .get, headers: [.cookie: "drop_lang=en"]) { response in
                #expect(response.text.contains(#"<html lang="en">"#))
            }
            try await client.execute(uri: "/assets/app.css", method: .get) { response in
                #expect(response.headers[.contentType]?.hasPrefix("text/css") == true)
                #expect(response.headers[.cacheControl]?.contains("max-age") == true)
            }
            try await client.execute(uri: "/assets/..%2FPackage.swift", method: .get) { #expect($0.status == .notFound) }
        }
    }
}
