import Foundation
import Testing
@testable import DropAPI

@Suite("Profile and consents over HTTP")
struct ProfileTests {
    @Test func phoneEmailAndLocaleAreValidated() async throws {
        try await LiveServer.run { server in
            let auth = try await server.bearer("15039010043")
            let bad = try await server.request(.PATCH, "/v1/me", headers: [auth, ("content-type", "application/json")],
                                               body: #"{"phone":"+46 70 123 45 67","email":"nope","locale":"de"}"#)
            #expect(bad.status == 422)
            let fields = ((bad.json()["error"] as? [String: Any])?["details"] as? [[String: Any]])?.compactMap { $0["field"] as? String }
            #expect(fields == ["phone", "email", "locale"])
            let good = try await server.request(.PATCH, "/v1/me", headers: [auth, ("content-type", "application/json")],
                                                body: #"{"phone":"912 34 567","email":"kari@example.no","locale":"en"}"#)
            #expect(good.status == 200)
            #expect(good.json()["phone"] as? String == "+4791234567")
            #expect(good.json()["locale"] as? String == "en")
            // Every language the web app speaks can be kept on the profile, right-to-left ones too.
            for locale in ["pl", "ar", "so", "ur", "nb"] {
                let chosen = try await server.request(.PATCH, "/v1/me", headers: [auth, ("content-type", "application/json")],
                                                      body: #"{"locale":"\#(locale)"}"#)
                #expect(chosen.status == 200 && chosen.json()["locale"] as? String == locale, "\(chosen.body)")
            }
        }
    }

    @Test func consentsAreVersionedAndWithdrawable() async throws {
        try await LiveServer.run { server in
            let auth = try await server.bearer("01078510133")
            let initial = try await server.get("/v1/consents", headers: [auth])
            let items = try #require(initial.json()["items"] as? [[String: Any]])
            #expect(items.map { $0["type"] as? String } == ["terms", "privacy", "marketing"])
            #expect(items.allSatisfy { $0["granted"] as? Bool == false })
            #expect(initial.json().keys.contains("nextCursor"))

            let outdated = try await server.postJSON("/v1/consents", #"{"type":"terms","version":"1999-01","granted":true}"#, headers: [auth])
            #expect(outdated.status == 422)
            let version = try #require(items.first?["currentVersion"] as? String)
            let granted = try await server.postJSON("/v1/consents", #"{"type":"terms","version":"\#(version)","granted":true}"#, headers: [auth])
            #expect(granted.status == 201 && granted.json()["granted"] as? Bool == true)
            let withdrawn = try await server.postJSON("/v1/consents", #"{"type":"terms","version":"\#(version)","granted":false}"#, headers: [auth])
            #expect(withdrawn.json()["granted"] as? Bool == false)
            let unknown = try await server.postJSON("/v1/consents", #"{"type":"cookies","version":"1","granted":true}"#, headers: [auth])
            #expect(unknown.status == 422)
        }
    }

    @Test func settingsRoundTrip() async throws {
        try await LiveServer.run { server in
            let auth = try await server.bearer("01078510133")
            #expect(try await server.get("/v1/me/settings", headers: [auth]).json()["theme"] as? String == "system")
            let put = try await server.request(.PUT, "/v1/me/settings", headers: [auth, ("content-type", "application/json")],
                                               body: #"{"notifyEmail":false,"notifyPush":true,"theme":"dark"}"#)
            #expect(put.status == 200)
            let read = try await server.get("/v1/me/settings", headers: [auth]).json()
            #expect(read["theme"] as? String == "dark" && read["notifyEmail"] as? Bool == false)
            let bad = try await server.request(.PUT, "/v1/me/settings", headers: [auth, ("content-type", "application/json")],
                                               body: #"{"notifyEmail":false,"notifyPush":true,"theme":"neon"}"#)
            #expect(bad.status == 422)
        }
    }
}
