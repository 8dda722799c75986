import DropAPI
import DropHTML

/// The phone's app navigation: five tabs at the bottom of every signed-in page (Hjem, Send,
/// Skann, Historikk, Profil), shown instead of the header's links on narrow screens (app.css).
/// The design had four (no Historikk); on the web the history is a page of its own: docs/decisions/0008.
enum TabBar {
    enum Tab: String, CaseIterable {
        case home, send, scan, history, profile

        /// The tab a page belongs to, if any: a payment from a scanned code is the QR tab's.
        init?(path: String) {
            func under(_ prefix: String) -> Bool { path == prefix || path.hasPrefix(prefix + "/") }
            if under("/dashboard") { self = .home }
            else if under("/send") { self = .send }
            else if under("/scan") || under("/pay") { self = .scan }
            else if under("/transactions") { self = .history }
            else if under("/profile") { self = .profile }
            else { return nil }
        }

        var href: String {
            switch self {
            case .home: "/dashboard"
            case .send: "/send"
            case .scan: "/scan"
            case .history: "/transactions"
            case .profile: "/profile"
            }
        }

        /// Decorative: the label says what the tab is.
        var icon: Icon {
            switch self {
            case .home: .home
            case .send: .send
            case .scan: .scan
            case .history: .history
            case .profile: .profile
            }
        }
    }

    /// The bar for `current`: the same bytes for every page of a tab in a language, so drawn once for each
    /// (`drawn`), not on every page.
    static func render(current: Tab?, _ strings: Strings) -> HTML {
        drawn[strings.language]?[current] ?? draw(current: current, strings)
    }

    private static let drawn: [Language: [Tab?: HTML]] = Dictionary(uniqueKeysWithValues: Language.allCases.map { language in
        let strings = Strings(language)
        return (language, Dictionary(uniqueKeysWithValues: ([nil] + Tab.allCases.map(Optional.some)).map { ($0, draw(current: $0, strings)) }))
    })

    static func draw(current: Tab?, _ strings: Strings) -> HTML {
        let items = Tab.allCases.map { tab -> HTML in
            let here: HTML = tab == current ? #" aria-current="page""# : ""
            let label = strings["tabs." + tab.rawValue]
            return #"<li><a href="\#(tab.href)"\#(here)>\#(tab.icon.svg(className: "tab-icon"))<span>\#(label)</span></a></li>"#
        }.joined(separator: "")
        return #"<nav class="tabbar" aria-label="\#(strings["tabs.label"])"><ul>\#(items)</ul></nav>"#
    }
}
