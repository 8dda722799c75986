import DropKit
import DropStore
import Foundation
import JWTKit
import SQLKit
import Testing
@testable import DropAPI
import DropSandboxHosting

@Suite("BankID sign-in over HTTP")
struct SignInTests {
    static let adults: [(id: String, given: String, born: String)] = [
        ("15039010043", "Kari", "1990-03-15"), ("01078510133", "Ola", "1985-07-01"), ("11116110182", "Per", "1961-11-11"),
        ("28027910043", "Rita", "1979-02-28"), ("09017010163", "Sven", "1970-01-09"), ("52069210031", "Dina", "1992-06-12"),
        ("30098010021", "Mona", "1980-09-30"), ("04047510142", "Anders", "1975-04-04"),
    ]

    @Test func everySandboxAdultSignsInOnTheWeb() async throws {
        try await LiveServer.run { server in
            for person in Self.adults {
                let reply = try await server.signInWeb(person.id)
                #expect(reply.status == 302, "\(person.given)")
                #expect(reply.location == "/onboarding", "\(person.given)")
                let setCookie = reply.headers[canonicalForm: "set-cookie"].joined()
                #expect(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Lax") && setCookie.contains("Max-Age=86400"))
                let token = try #require(reply.cookie("drop_token"))
                let me = try await server.get("/v1/auth/me", headers: [("cookie", "drop_token=\(token)")])
                #expect(me.status == 200)
                let user = try me.decode(User.self)
                #expect(user.givenName == person.given && user.birthdate == person.born, "\(person.given)")
                #expect(user.role == (person.given == "Anders" ? .admin : .user))
                #expect(try !me.fieldNames().contains("pidHash"))  // nothing derived from the national id leaves Drop
            }
            // Signing in again finds the same customer; no national id is stored anywhere.
            _ = try await server.signInWeb("15039010043")
            let dump = try await server.services.database.withConnection { db in
                try await db.raw("SELECT * FROM users").all().map { row in
                    try row.allColumns.map { try row.decodeNil(column: $0) ? "" : (try? row.decode(column: $0, as: String.self)) ?? "" }.joined(separator: "|")
                }
            }
            #expect(dump.count == Self.adults.count)
            for person in Self.adults { #expect(!dump.joined().contains(person.id)) }
        }
    }

    /// Drop asks BankID for its high level; a browser that asks for BankID biometrics instead signs nobody in.
    @Test func aSignInLoweredToBankIDBiometricsIsRefused() async throws {
        try await LiveServer.run { server in
            for client in ["web", "mobile"] {
                let start = try await server.get("/v1/auth/bankid/start?client=\(client)&code_challenge=\(DropAPI.PKCE.challenge(for: String(repeating: "b", count: 50)))")
                let page = try await server.get(try #require(start.location))
                let form = try #require(HTMLForm(html: page.body))
                #expect(form.fields.contains { $0 == ("acr_values", "urn:bankid:bid") })
                let lowered = form.fields.map { $0.0 == "acr_values" ? ($0.0, "urn:bankid:bis") : $0 }
                let back = try await server.postForm(server.baseURL + form.action, lowered + [("nationalId", "15039010043"), ("action", "sign_in")])
                let callback = try await server.get(try #require(back.location), headers: start.cookie("drop_login").map { [("cookie", "drop_login=\($0)")] } ?? [])
                #expect(callback.location == (client == "web" ? "/login?error=SIGN_IN_FAILED" : "drop://auth/callback?error=SIGN_IN_FAILED"))
                #expect(callback.cookie("drop_token") == nil)
            }
            let users = try await server.services.database.withConnection {
                try await $0.raw("SELECT COUNT(*) AS n FROM users").first()!.decode(column: "n", as: Int.self)
            }
            #expect(users == 0)
        }
    }

    @Test func aMinorIsTurnedAwayAndNothingIsStored() async throws {
        try await LiveServer.run { server in
            let web = try await server.signInWeb("20051250096")
            #expect(web.location == "/login?error=AGE_RESTRICTED")
            #expect(web.cookie("drop_token") == nil)
            let app = try await server.signInMobile("20051250096", codeVerifier: String(repeating: "m", count: 50))
            #expect(app.location == "drop://auth/callback?error=AGE_RESTRICTED")
            let users = try await server.services.database.withConnection {
                try await $0.raw("SELECT COUNT(*) AS n FROM users").first()!.decode(column: "n", as: Int.self)
            }
            #expect(users == 0)
            let page = try await server.get("/login?error=AGE_RESTRICTED", headers: [("accept-language", "en")])
            #expect(page.body.contains("at least 18"))
        }
    }

    @Test func theAppExchangesItsOneTimeCodeOnceWithItsVerifier() async throws {
        try await LiveServer.run { server in
            let verifier = String(repeating: "a", count: 43) + "-verifier"
            let reply = try await server.signInMobile("01078510133", codeVerifier: verifier)
            let location = try #require(reply.location)
            #expect(location.hasPrefix("drop://auth/callback?code="))
            let code = String(location.dropFirst("drop://auth/callback?code=".count))

            let wrong = try await server.postJSON("/v1/auth/token", #"{"code":"\#(code)","codeVerifier":"\#(String(repeating: "b", count: 50))"}"#)
            #expect(wrong.status == 400)
            #expect(wrong.errorCode == "INVALID_GRANT")
            // A failed attempt burns the code: it is single use whatever happened.
            let retry = try await server.postJSON("/v1/auth/token", #"{"code":"\#(code)","codeVerifier":"\#(verifier)"}"#)
            #expect(retry.status == 400)

            let (name, bearer) = try await server.bearer("01078510133")
            let me = try await server.get("/v1/me", headers: [(name, bearer)])
            #expect(try me.decode(User.self).givenName == "Ola")
        }
    }

    @Test func aTamperedOrReplayedCallbackSignsNobodyIn() async throws {
        try await LiveServer.run { server in
            let tampered = try await server.get("/v1/auth/bankid/callback?code=abc&state=forged")
            #expect(tampered.location == "/login?error=INVALID_STATE")

            let (back, browser) = try await server.approveAtBankID(startURL: "/v1/auth/bankid/start?client=web", nationalId: "15039010043")
            let callback = try #require(back.location)
            let first = try await server.get(callback, headers: browser)
            #expect(first.cookie("drop_token") != nil)
            let replay = try await server.get(callback, headers: browser)
            #expect(replay.location == "/login?error=INVALID_STATE")
            #expect(replay.cookie("drop_token") == nil)

            let (cancelled, cancelBrowser) = try await server.approveAtBankID(startURL: "/v1/auth/bankid/start?client=web", nationalId: "", action: "cancel")
            let cancelledCallback = try #require(cancelled.location)
            #expect(try await server.get(cancelledCallback, headers: cancelBrowser).location == "/login?error=SIGN_IN_CANCELLED")
        }
    }

    /// Login CSRF: an attacker starts a sign-in as themselves and gets a victim to open the callback.
    @Test func aCallbackCompletesOnlyInTheBrowserThatStartedIt() async throws {
        try await LiveServer.run { server in
            let start = try await server.get("/v1/auth/bankid/start?client=web")
            let binding = try #require(start.headers[canonicalForm: "set-cookie"].first { $0.hasPrefix("drop_login=") })
            #expect(binding.contains("HttpOnly") && binding.contains("SameSite=Lax") && binding.contains("Path=/v1/auth/bankid/callback"))
            #expect(binding.contains("Secure"))  // outside development
            let authorize = try #require(start.location)
            let state = try #require(URLComponents(string: authorize)?.queryItems?.first { $0.name == "state" }?.value)
            #expect(!binding.contains(state))  // a hash, not the state itself

            let (back, attacker) = try await server.approveAtBankID(startURL: "/v1/auth/bankid/start?client=web", nationalId: "15039010043")
            let callback = try #require(back.location)
            // The victim's browser: no login cookie, or another sign-in's cookie.
            let victim = try await server.get(callback)
            #expect(victim.location == "/login?error=INVALID_STATE")
            #expect(victim.cookie("drop_token") == nil)
            let otherBrowser = try await server.get(callback, headers: [("cookie", "drop_login=\(String(repeating: "0", count: 64))")])
            #expect(otherBrowser.location == "/login?error=INVALID_STATE" && otherBrowser.cookie("drop_token") == nil)
            // The browser that started it still signs in, and its login cookie is cleared.
            let original = try await server.get(callback, headers: attacker)
            #expect(original.cookie("drop_token") != nil)
            #expect(original.cookie("drop_login") == "")

            // The app's flow is bound by PKCE, not by a cookie.
            let verifier = String(repeating: "v", count: 43)
            let app = try await server.signInMobile("15039010043", codeVerifier: verifier)
            #expect(app.location?.hasPrefix("drop://auth/callback?code=") == true)
        }
    }

    @Test func logoutRevokesAtOnceAndTokensExpire() async throws {
        let clock = TestClock.startingNow()
        try await LiveServer.run(clock: clock) { server in
            let (name, bearer) = try await server.bearer("15039010043")
            #expect(try await server.get("/v1/auth/me", headers: [(name, bearer)]).status == 200)
            #expect(try await server.request(.POST, "/v1/auth/logout", headers: [(name, bearer)]).status == 204)
            let after = try await server.get("/v1/auth/me", headers: [(name, bearer)])
            #expect(after.status == 401)
            #expect(after.errorCode == "UNAUTHENTICATED")

            let (_, second) = try await server.bearer("15039010043")
            clock.advance(7 * 24 * 3600 + 1)
            #expect(try await server.get("/v1/auth/me", headers: [("authorization", second)]).status == 401)
        }
    }

    @Test func aTokenSignedWithAnotherKeyIsRefused() async throws {
        try await LiveServer.run { server in
            let (_, bearer) = try await server.bearer("15039010043")
            let genuine = String(bearer.dropFirst("Bearer ".count))
            let verified = try #require(await server.services.sessionTokens.verify(genuine, now: Date()))
            let forger = await SessionTokens(secret: String(repeating: "x", count: 48))
            let forged = try await forger.sign(sessionId: verified.sessionId, userId: verified.userId, issuedAt: Date(), expiresAt: Date().addingTimeInterval(3600))
            #expect(try await server.get("/v1/auth/me", headers: [("authorization", "Bearer \(forged)")]).status == 401)
            #expect(try await server.get("/v1/auth/me", headers: [("authorization", "Bearer not.a.jwt")]).status == 401)
            // A forged cookie is simply not a session: pages send the person to sign in.
            #expect(try await server.get("/dashboard", headers: [("cookie", "drop_token=\(forged)")]).location == "/login")
        }
    }

    @Test func sessionsSignedBeforeARotationStayValidWithThePreviousSecret() async throws {
        let old = String(repeating: "o", count: 48), new = String(repeating: "n", count: 48)
        let before = await SessionTokens(secret: old)
        let expiry = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 + 3600).rounded(.down))
        let token = try await before.sign(sessionId: "s1", userId: "u1", issuedAt: Date(), expiresAt: expiry)
        let during = await SessionTokens(secrets: [new, old])
        #expect(await during.verify(token, now: Date()) == SessionTokens.Verified(sessionId: "s1", userId: "u1", expiresAt: expiry))
        let signedDuring = try await during.sign(sessionId: "s2", userId: "u1", issuedAt: Date(), expiresAt: Date().addingTimeInterval(3600))
        #expect(await SessionTokens(secret: new).verify(signedDuring, now: Date()) != nil)  // new tokens use the new secret
        #expect(await SessionTokens(secret: new).verify(token, now: Date()) == nil)  // and once the previous one is dropped, old ones end
    }

    @Test func cookieWritesNeedDropsOrigin() async throws {
        try await LiveServer.run { server in
            let cookie = try await server.webSession("15039010043")
            let evil = try await server.request(.POST, "/v1/auth/logout", headers: [cookie, ("origin", "https://evil.example")])
            #expect(evil.status == 403)
            #expect(try await server.get("/v1/auth/me", headers: [cookie]).status == 200)
            let own = try await server.request(.POST, "/v1/auth/logout", headers: [cookie, ("origin", server.baseURL)])
            #expect(own.status == 204)
            #expect(try await server.get("/v1/auth/me", headers: [cookie]).status == 401)
        }
    }

    @Test func rolesAreEnforced() async throws {
        try await LiveServer.run { server in
            #expect(try await server.get("/v1/me").status == 401)
            let dashboard = try await server.get("/dashboard")
            #expect(dashboard.status == 303 && dashboard.location == "/login")
            let cookie = try await server.webSession("04047510142")
            let page = try await server.get("/dashboard", headers: [cookie])
            #expect(page.status == 200 && page.body.contains("Anders"))
        }
    }
}

@Suite("Demo data")
struct DemoDataTests {
    @Test func seedingCreatesTheAdminOnceAndHisSignInFindsHim() async throws {
        try await LiveServer.run { server in
            let seeded = try await DemoData.seed(server.services, features: apiFeatures + [SandboxFeature(server.sandboxes)])
            #expect(seeded.prefix(2) == ["admin user (Anders Admin)", "admin user (Berit Admin)"] && seeded.dropFirst(2).allSatisfy { $0.hasPrefix("merchant (") })
            #expect(try await DemoData.seed(server.services, features: apiFeatures + [SandboxFeature(server.sandboxes)]).isEmpty)
            let cookie = try await server.webSession("04047510142")
            #expect(try await server.get("/v1/auth/me", headers: [cookie]).decode(User.self).role == .admin)
            let users = try await server.services.database.withConnection {
                try await $0.raw("SELECT COUNT(*) AS n FROM users").first()!.decode(column: "n", as: Int.self)
            }
            // The two admins (a release takes two officers), and Mona Merchant who owns the demo café.
            #expect(users == 3)
        }
    }
}
