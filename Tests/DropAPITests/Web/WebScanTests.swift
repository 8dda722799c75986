import Foundation
import Testing
@testable import DropAPI
@testable import DropWeb

@Suite("Web Scan/Pay: camera page, pasted links, only Drop's own payment links are followed")
struct WebScanTests {
    static let base = "https://drop.example.no"

    @Test(arguments: [
        ("https://drop.example.no/pay/M7K2QX", "/pay/M7K2QX"),
        ("  https://DROP.example.no/pay/M7K2QX?amount=24900&ref=Bord%207&exp=1791980100&sig=abc-_9  ", "/pay/M7K2QX?amount=24900&ref=Bord%207&exp=1791980100&sig=abc-_9"),
        ("drop://pay/M7K2QX?amount=100", "/pay/M7K2QX?amount=100"),
        // Parameters the pay page does not know are not carried along.
        ("https://drop.example.no/pay/M7K2QX?next=https://evil.example", "/pay/M7K2QX"),
    ])
    func dropLinksLeadToThePayPage(link: String, path: String) {
        #expect(PaymentLinkTarget.path(for: link, publicBaseURL: Self.base) == path)
    }

    @Test(arguments: [
        "", "M7K2QX", "https://evil.example/pay/M7K2QX", "https://drop.example.no.evil.example/pay/M7K2QX", "http://drop.example.no/pay/M7K2QX",
        "https://drop.example.no:8443/pay/M7K2QX", "https://drop.example.no/send", "https://drop.example.no/pay/", "https://drop.example.no/pay/a/b",
        "https://drop.example.no/pay/%3Cscript%3E", "javascript:alert(1)", "drop://auth/callback?code=1",
    ])
    func everythingElseIsRefused(link: String) {
        #expect(PaymentLinkTarget.path(for: link, publicBaseURL: Self.base) == nil)
    }

    @Test func kariOpensAPastedLinkAndSeesTheCameraPageWithoutInlineScript() async throws {
        try await LiveServer.run { server in
            let signedOut = try await server.get("/scan")
            #expect(signedOut.location == "/login?redirect=/scan")
            let login = try await server.get("/login?redirect=/scan")
            #expect(login.body.contains(#"href="/v1/auth/bankid/start?client=web&amp;redirect=/scan""#))
            #expect(!(try await server.get("/login?redirect=//evil.example").body.contains("evil")))

            let token = try #require(try await server.signInWeb(TransfersTests.kari).cookie("drop_token"))
            let cookie = ("cookie", "drop_token=\(token)")
            let page = try await server.get("/scan", headers: [cookie])
            #expect(page.status == 200 && page.body.contains(#"<script src="/assets/scan.js" defer></script>"#))
            // Scripts only from files (the camera's and the app's service-worker registration), none inline.
            let scripts = page.body.components(separatedBy: "<script").dropFirst()
            #expect(scripts.count == 2 && scripts.allSatisfy { $0.hasPrefix(#" src="/assets/"#) })
            #expect(page.body.contains(#"<section class="card" id="scanner" hidden"#))
            let script = try await server.get("/assets/scan.js")
            #expect(script.status == 200 && script.headers.first(name: "content-type")?.hasPrefix("text/javascript") == true)

            let followed = try await server.get("/scan?link=\(LiveServer.formEncode(server.baseURL + "/pay/M7K2QX?amount=24900&ref=Bord%207"))", headers: [cookie])
            #expect(followed.status == 303 && followed.location == "/pay/M7K2QX?amount=24900&ref=Bord%207")
            let foreign = try await server.get("/scan?link=\(LiveServer.formEncode("https://evil.example/pay/M7K2QX"))", headers: [cookie])
            #expect(foreign.status == 422 && foreign.body.contains(#"id="link-error""#))
            #expect(WebSendMoneyTests.tag("link", in: foreign.body)?.contains(#"value="https://evil.example/pay/M7K2QX""#) == true)
        }
    }
}
