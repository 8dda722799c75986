import DropKit
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
            #expect(bad.errorDetails.map(\.field) == ["phone", "email", "locale"])
            let good = try await server.request(.PATCH, "/v1/me", headers: [auth, ("content-type", "application/json")],
                                                body: #"{"phone":"912 34 567","email":"kari@example.no","locale":"en"}"#)
            #expect(good.status == 200)
            let kari = try good.decode(User.self)
            #expect(kari.phone == "+4791234567" && kari.locale == .en && kari.email == "kari@example.no")
            // Every language the web app speaks can be kept on the profile, right-to-left ones too.
            for locale in ["pl", "ar", "so", "ur", "nb"] {
                let chosen = try await server.request(.PATCH, "/v1/me", headers: [auth, ("content-type", "application/json")],
                                                      body: #"{"locale":"\#(locale)"}"#)
                #expect(try chosen.decode(User.self).locale.rawValue == locale, "\(chosen.body)")
            }
        }
    }

    @Test func consentsAreVersionedAndWithdrawable() async throws {
        try await LiveServer.run { server in
            let auth = try await server.bearer("01078510133")
            let initial = try await server.get("/v1/consents", headers: [auth])
            let items = try initial.decode(DropKit.Page<Consent>.self).items
            #expect(items.map(\.type) == [.terms, .privacy, .marketing])
            #expect(items.allSatisfy { !$0.granted })
            #expect(try initial.fieldNames().contains("nextCursor"))

            let outdated = try await server.postJSON("/v1/consents", #"{"type":"terms","version":"1999-01","granted":true}"#, headers: [auth])
            #expect(outdated.status == 422)
            let version = try #require(items.first?.currentVersion)
            let granted = try await server.postJSON("/v1/consents", #"{"type":"terms","version":"\#(version)","granted":true}"#, headers: [auth])
            #expect(try granted.decode(Consent.self).granted && granted.status == 201)
            let withdrawn = try await server.postJSON("/v1/consents", #"{"type":"terms","version":"\#(version)","granted":false}"#, headers: [auth])
            #expect(try !withdrawn.decode(Consent.self).granted)
            let unknown = try await server.postJSON("/v1/consents", #"{"type":"cookies","version":"1","granted":true}"#, headers: [auth])
            #expect(unknown.status == 422)
        }
    }

    @Test func settingsRoundTrip() async throws {
        try await LiveServer.run { server in
            let auth = try await server.bearer("01078510133")
            #expect(try await server.get("/v1/me/settings", headers: [auth]).decode(DropKit.Settings.self).theme == .system)
            let put = try await server.request(.PUT, "/v1/me/settings", headers: [auth, ("content-type", "application/json")],
                                               body: #"{"notifyEmail":false,"notifyPush":true,"theme":"dark"}"#)
            #expect(put.status == 200)
            let read = try await server.get("/v1/me/settings", headers: [auth]).decode(DropKit.Settings.self)
            #expect(read == DropKit.Settings(notifyEmail: false, notifyPush: true, theme: .dark))
            let bad = try await server.request(.PUT, "/v1/me/settings", headers: [auth, ("content-type", "application/json")],
                                               body: #"{"notifyEmail":false,"notifyPush":true,"theme":"neon"}"#)
            #expect(bad.status == 422)
        }
    }
}
