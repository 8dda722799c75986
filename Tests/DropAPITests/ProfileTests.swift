import DropKit
import DropStore
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

    /// The confirmation email goes to whatever address is typed, so Drop sends few a day: per
    /// customer, and per address however many accounts name it. Nobody floods someone else's inbox
    /// in Drop's name; the day's count survives the hourly clean-up of spent limits.
    @Test func confirmationEmailsAreBoundedPerCustomerAndPerAddressADay() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            func queued() async throws -> Int {
                try await server.services.database.withConnection {
                    try await $0.raw("SELECT COUNT(*) AS n FROM jobs WHERE kind = \(bind: EmailConfirmationService.jobKind)").first()!
                        .decode(column: "n", as: Int.self)
                }
            }
            let kari = try await server.bearer("15039010043")
            let ola = try await server.bearer("01078510133")
            let stranger = #"{"email":"someone.else@example.no"}"#
            #expect(try await server.call(.PATCH, "/v1/me", stranger, auth: kari).status == 200)
            // Asking again within the minute sends nothing more, and costs nothing.
            #expect(try await server.call(.POST, "/v1/me/email/confirmation", auth: kari).status == 202)
            for _ in 1...2 {
                server.clock.advance(61)
                #expect(try await server.call(.POST, "/v1/me/email/confirmation", auth: kari).status == 202)
            }
            #expect(try await queued() == 3)
            // The address has had its three today: a fourth ask is refused, from Kari or anyone else.
            server.clock.advance(61)
            let refused = try await server.call(.POST, "/v1/me/email/confirmation", auth: kari)
            #expect(refused.status == 429 && refused.errorCode == "RATE_LIMITED")
            let now = Int(server.clock.date.timeIntervalSince1970)
            #expect(Int(try #require(refused.headers.first(name: "retry-after"))) == 86_400 - now % 86_400)
            let naming = try await server.call(.PATCH, "/v1/me", stranger, auth: ola)
            #expect(naming.status == 429 && naming.errorCode == "RATE_LIMITED")
            #expect(try await server.get("/v1/me", headers: [ola]).decode(User.self).email == nil)
            #expect(try await queued() == 3)
            // Ola's own address is his to confirm; Kari has two emails left today, whatever the address.
            #expect(try await server.call(.PATCH, "/v1/me", #"{"email":"ola@example.no"}"#, auth: ola).status == 200)
            #expect(try await server.call(.PATCH, "/v1/me", #"{"email":"kari@example.no"}"#, auth: kari).status == 200)
            #expect(try await server.call(.PATCH, "/v1/me", #"{"email":"kari@example.com"}"#, auth: kari).status == 200)
            let sixth = try await server.call(.PATCH, "/v1/me", #"{"email":"kari.n@example.no"}"#, auth: kari)
            #expect(sixth.status == 429 && sixth.errorCode == "RATE_LIMITED")
            #expect(try await server.get("/v1/me", headers: [kari]).decode(User.self).email == "kari@example.com")
            // Two hours on, the clean-up has run and the day still counts; the next day starts afresh.
            server.clock.advance(2 * 3600)
            let worker = JobWorker(services: server.services)
            while try await worker.runOnce() {}
            #expect(try await server.call(.POST, "/v1/me/email/confirmation", auth: kari).status == 429)
            server.clock.advance(24 * 3600)
            #expect(try await server.call(.POST, "/v1/me/email/confirmation", auth: kari).status == 202)
        }
    }
}
