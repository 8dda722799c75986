import DropAPI
import DropHTML

/// The page frame every screen shares: language, title, landmarks, the one stylesheet.
enum Layout {
    /// What the header and the phone's tab bar need to know about a signed-in person's page.
    struct Navigation: Sendable {
        var unread: Int
        /// The page's path: marks the current tab.
        var path: String
        /// "Bedrift" is in the menu only for someone who has registered a business.
        var merchant: Bool
        /// "Etterlevelse" (the compliance console) is in the menu only for admins.
        var admin: Bool = false
    }

    /// The drop in its blue square, as on the app icon (`icon.svg`), before the name in the header.
    static let brandMark: HTML = ##"<svg class="brand-mark" viewBox="0 0 100 100" aria-hidden="true" focusable="false"><rect width="100" height="100" rx="22" fill="#0b5cad"/><path d="M50 16 62.6 41.5A22 22 0 1 1 37.4 41.5Z" fill="#fff"/></svg>"##

    /// `navigation` is given on signed-in pages: it adds the main navigation, the unread count and
    /// the phone's tab bar. `errors` (form field → message) puts the error summary at the top of
    /// `main` and "Feil:" / "Error:" before the title. `head` goes at the end of `<head>`.
    static func page(title: String, strings: Strings, navigation: Navigation? = nil, main: HTML,
                     errors: [String: String] = [:], head: HTML = "") -> HTML {
        let title = errors.isEmpty ? title : "\(strings["error.prefix"]) \(title)"
        let summary = ErrorSummary.render(ErrorSummary.ordered(errors, in: main), strings)
        let nav = navigation.map { navigation -> HTML in
            let count = navigation.unread
            let badge: HTML = count > 0
                ? #" <span class="badge" id="unread-count">\#(count)<span class="sr-only"> \#(strings["nav.unread"])</span></span>"#
                : ""
            return """
            <nav class="nav" aria-label="\(strings["nav.label"])"><ul>
            <li><a href="/dashboard">\(strings["nav.home"])</a></li>
            <li><a href="/send">\(strings["nav.send"])</a></li>
            <li><a href="/scan">\(strings["nav.scan"])</a></li>
            <li><a href="/recipients">\(strings["nav.recipients"])</a></li>
            <li><a href="/transactions">\(strings["nav.history"])</a></li>
            \(navigation.merchant ? #"<li><a href="/merchant">\#(strings["nav.merchant"])</a></li>"# : "")
            \(navigation.admin ? #"<li><a href="/admin">\#(strings["nav.admin"])</a></li>"# : "")
            <li><a href="/notifications">\(strings["nav.notifications"])\(badge)</a></li>
            <li><a href="/profile">\(strings["nav.profile"])</a></li>
            </ul></nav>
            <a class="bell" href="/notifications">\(strings["nav.notifications"])\(count > 0 ? #" <span class="badge">\#(count)<span class="sr-only"> \#(strings["nav.unread"])</span></span>"# : "")</a>
            """
        }
        let tabs = navigation.map { TabBar.render(current: TabBar.Tab(path: $0.path), strings) } ?? ""
        return """
        <!doctype html>
        <html lang="\(strings.language.rawValue)"\(strings.language.isRightToLeft ? #" dir="rtl""# : "")>
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(title) · Drop</title>
        <link rel="preload" href="/assets/inter-regular.woff2" as="font" type="font/woff2" crossorigin>
        <link rel="stylesheet" href="/assets/app.css">
        <link rel="manifest" href="/assets/manifest.webmanifest">
        <link rel="icon" href="/assets/icon.svg" type="image/svg+xml">
        <link rel="apple-touch-icon" href="/assets/icon-192.png">
        <meta name="theme-color" content="#0b5cad">
        <script src="/assets/pwa.js" defer></script>
        \(head)
        </head>
        <body>
        \(Icon.sprite)
        <a class="skip" href="#main">\(strings["nav.skip"])</a>
        <header class="top"><a class="brand" href="/">\(brandMark)Drop</a>
        \(nav)
        \(LanguageMenu.render(strings))</header>
        <main id="main">\(summary)\(main)</main>
        \(tabs)
        </body>
        </html>
        """
    }
}
