import Foundation
import Testing
@testable import DropAPI
@testable import DropWeb

/// The installable web app (issue 17) and the phone's tab bar (issue 16, item 9).
@Suite("Web app: installable (manifest, icons, service worker, offline page) with app tabs")
struct WebAppInstallTests {
    /// The web app manifest's members these tests read, by their names in the W3C spec.
    struct Manifest: Decodable {
        struct Icon: Decodable {
            let src: String
            let sizes: String?
            let type: String?
            let purpose: String?
        }

        let startURL: String
        let scope: String
        let display: String
        let icons: [Icon]

        enum CodingKeys: String, CodingKey {
            case startURL = "start_url", scope, display, icons
        }
    }

    @Test func theManifestItsIconsAndTheServiceWorkerAreServedAsBrowsersNeedThem() async throws {
        try await LiveServer.run { server in
            let manifest = try await server.get("/assets/manifest.webmanifest")
            #expect(manifest.status == 200 && manifest.headers.first(name: "content-type") == "application/manifest+json")
            let declared = try JSONDecoder().decode(Manifest.self, from: Data(manifest.body.utf8))
            #expect(declared.startURL == "/dashboard" && declared.scope == "/" && declared.display == "standalone")
            // Every icon is there, of the type and size it claims (Chromium wants 192 and 512 px).
            let icons = declared.icons
            #expect(Set(icons.compactMap(\.sizes)).isSuperset(of: ["192x192", "512x512"]))
            #expect(icons.contains { $0.purpose == "maskable" })
            for icon in icons {
                let src = icon.src
                let file = try await server.get(src)
                #expect(file.status == 200 && file.headers.first(name: "content-type") == icon.type, "\(src)")
                if let sizes = icon.sizes, sizes != "any" {
                    // The shipped PNG: its signature, then IHDR's width and height (big-endian) at bytes 16 and 20.
                    let bytes = [UInt8](try #require(Assets.lookup(String(src.dropFirst("/assets/".count)))).data)
                    let side = { (at: Int) in bytes[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
                    #expect(bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) && "\(side(16))x\(side(20))" == sizes, "\(src)")
                }
            }
            // The service worker at the root (its scope is the whole app), never cached stale.
            let worker = try await server.get("/sw.js")
            #expect(worker.status == 200 && worker.headers.first(name: "content-type")?.hasPrefix("text/javascript") == true
                && worker.headers.first(name: "cache-control") == "no-cache")
            // It keeps only the shell, and each piece answers without a session (or installing would fail).
            let shell = try #require(worker.body.firstMatch(of: /const SHELL = \[(.*?)\];/)?.1)
            let paths = shell.split(separator: ",").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " \"")) }
            #expect(paths.allSatisfy { $0 == "/offline" || $0.hasPrefix("/assets/") }, "\(paths)")
            for path in paths { #expect(try await server.get(path).status == 200, "\(path)") }
            let offline = try await server.get("/offline", headers: [("cookie", "drop_lang=en")])
            #expect(offline.body.contains("You are offline") && offline.body.contains("No payment was sent from this page."))
        }
    }

    @Test func signedInPagesHaveTheFiveTabsWithTheCurrentOneMarkedAndBedriftOnlyForMerchants() async throws {
        try await LiveServer.run { server in
            let visitor = try await server.get("/").body
            #expect(visitor.contains(#"<link rel="manifest" href="/assets/manifest.webmanifest">"#) && !visitor.contains(#"class="tabbar""#))
            let browser = try await server.webSession("15039010043")
            for (path, current) in [("/dashboard", "/dashboard"), ("/send", "/send"), ("/scan", "/scan"), ("/profile", "/profile"),
                                    ("/transactions", "/transactions"), ("/recipients", nil)] {
                let page = try await server.get(path, headers: [browser]).body
                let tabs = try #require(page.firstMatch(of: /<nav class="tabbar" aria-label="Appmeny"><ul>(.*?)<\/ul><\/nav>/)?.1, "\(path)")
                #expect(tabs.matches(of: /<li><a href="/).count == 5)
                #expect(["Hjem", "Send", "Skann", "Historikk", "Profil"].allSatisfy { tabs.contains("<span>\($0)</span>") })
                let marked = tabs.matches(of: /<a href="([^"]+)" aria-current="page">/).map { String($0.1) }
                #expect(marked == (current.map { [$0] } ?? []), "\(path): \(marked)")
                // Kari has no business: no "Bedrift" in her menu; her profile offers to register one.
                #expect(!page.contains(#"<li><a href="/merchant">Bedrift</a></li>"#), "\(path)")
            }
            #expect(try await server.get("/profile", headers: [browser]).body.contains(#"<a href="/merchant">Har du en butikk?"#))
            _ = try await server.registeredMona()
            let mona = try await server.webSession(LiveServer.mona)
            let dashboard = try await server.get("/dashboard", headers: [mona]).body
            #expect(dashboard.contains(#"<li><a href="/merchant">Bedrift</a></li>"#) && dashboard.contains(#"<a class="button" href="/merchant">Bedrift</a>"#))
        }
    }
}
