import DropAPI

/// The page frame every screen shares: language, title, landmarks, the one stylesheet.
enum Layout {
    static func page(title: String, strings: Strings, main: String) -> String {
        let other: Language = strings.language == .nb ? .en : .nb
        return """
        <!doctype html>
        <html lang="\(strings.language.rawValue)">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(htmlEscape(title)) · Drop</title>
        <link rel="stylesheet" href="/assets/app.css">
        </head>
        <body>
        <a class="skip" href="#main">\(strings["nav.skip"])</a>
        <header class="top"><a class="brand" href="/">Drop</a>
        <a class="lang" href="/language/\(other.rawValue)" hreflang="\(other.rawValue)">\(strings["lang.switch"])</a></header>
        <main id="main">\(main)</main>
        </body>
        </html>
        """
    }
}
