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

        /// A 24×24 outline icon; decorative, the label says what the tab is.
        var icon: HTML {
            let path: String = switch self {
            case .home: "M3 11l9-7 9 7v9a1 1 0 0 1-1 1h-5v-6h-6v6H4a1 1 0 0 1-1-1z"
            case .send: "M4 12h14M13 6l6 6-6 6"
            case .history: "M12 7v5l3 2M21 12a9 9 0 1 1-18 0 9 9 0 0 1 18 0z"
            case .scan: "M4 4h6v6H4zM14 4h6v6h-6zM4 14h6v6H4zM14 14h2v2h-2zM18 18h2v2h-2zM14 18h2v2h-2zM18 14h2v2h-2z"
            case .profile: "M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM4 21a8 8 0 0 1 16 0"
            }
            return #"<svg class="tab-icon" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false"><path d="\#(path)"/></svg>"#
        }
    }

    static func render(current: Tab?, _ strings: Strings) -> HTML {
        let items = Tab.allCases.map { tab -> HTML in
            let here: HTML = tab == current ? #" aria-current="page""# : ""
            let label = strings["tabs." + tab.rawValue]
            return #"<li><a href="\#(tab.href)"\#(here)>\#(tab.icon)<span>\#(label)</span></a></li>"#
        }.joined(separator: "")
        return #"<nav class="tabbar" aria-label="\#(strings["tabs.label"])"><ul>\#(items)</ul></nav>"#
    }
}
