import DropCore
import Foundation
import Testing
@testable import DropAPI
@testable import DropWeb

/// Issue 16's look: a bundled typeface served by Drop itself, and icons from one SVG sprite.
@Suite("Web: Drop's own typefaces and one icon sprite")
struct WebLookTests {
    @Test func theTypefacesTheStylesheetNamesAreServedAsWOFF2WithTheirLicences() async throws {
        try await LiveServer.run { server in
            let css = try await server.get("/assets/app.css").body
            let fonts = css.matches(of: /url\("(\/assets\/[a-z0-9-]+\.woff2)"\)/).map { String($0.1) }
            #expect(Set(fonts) == ["/assets/inter-regular.woff2", "/assets/inter-semibold.woff2", "/assets/inter-bold.woff2",
                                   "/assets/noto-sans-arabic-regular.woff2", "/assets/noto-sans-arabic-bold.woff2"])
            #expect(css.contains(#"--font: "Inter", "Noto Sans Arabic", system-ui"#))
            for font in fonts {
                let file = try await server.get(font)
                #expect(file.status == 200 && file.headers.first(name: "content-type") == "font/woff2", "\(font)")
                #expect(file.body.hasPrefix("wOF2"), "\(font) is not a WOFF2 file")
            }
            // The Open Font License travels with the fonts.
            for (licence, font) in [("LICENSE-Inter.txt", "Inter"), ("LICENSE-NotoSansArabic.txt", "Noto Sans Arabic")] {
                let text = try await server.get("/assets/" + licence)
                #expect(text.status == 200 && text.body.contains(font) && text.body.contains("SIL Open Font License"), "\(licence)")
            }
            // The page preloads the regular face it uses first, and that face is one the stylesheet declares.
            let front = try await server.get("/").body
            let preload = try #require(front.firstMatch(of: /<link rel="preload" href="([^"]+)" as="font" type="font\/woff2" crossorigin>/)?.1)
            #expect(fonts.contains(String(preload)))
        }
    }

    @Test func everyIconAPageDrawsIsInItsSpriteAndEveryStatusHasItsOwn() async throws {
        // Eight statuses, eight shapes: a cancelled payment never looks like a failed one.
        let icons = TransferStatus.allCases.map(TransactionPages.statusIcon)
        #expect(Set(icons).count == TransferStatus.allCases.count)
        try await LiveServer.run { server in
            let browser = try await server.webSession("15039010043")
            for path in ["/", "/dashboard", "/transactions", "/send", "/profile"] {
                // The front page as a visitor sees it (signed in, it sends people to the dashboard).
                let page = try await server.get(path, headers: path == "/" ? [] : [browser]).body
                #expect(page.matches(of: /<svg class="sprite"/).count == 1, "\(path): one sprite")
                // The brand: the app icon's drop before the name, decorative (the link's name is "Drop").
                #expect(page.contains(#"<a class="brand" href="/"><svg class="brand-mark" viewBox="0 0 100 100" aria-hidden="true""#), "\(path)")
                let symbols = Set(page.matches(of: /<symbol id="(i-[a-z]+)"/).map { String($0.1) })
                let used = Set(page.matches(of: #/<use href="#(i-[a-z]+)"\/>/#).map { String($0.1) })
                #expect(symbols == Set(Icon.allCases.map { "i-" + $0.rawValue }), "\(path)")
                #expect(used.isSubset(of: symbols), "\(path): \(used.subtracting(symbols))")
                if path == "/dashboard" { #expect(used.isSuperset(of: ["i-home", "i-send", "i-scan", "i-history", "i-profile"])) }
            }
        }
    }
}
