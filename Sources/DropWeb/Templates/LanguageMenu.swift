import DropHTML

/// The header's language menu: the current language's name, opening to every other language named
/// in itself (a Polish reader looks for "Polski", not for the word in Norwegian). Works without
/// JavaScript: a disclosure of plain links to `/language/{code}`, which set the cookie and come back.
enum LanguageMenu {
    /// The menu for `strings`' language: drawn once per language (`drawn`), not on every page.
    static func render(_ strings: Strings) -> HTML {
        drawn[strings.language] ?? draw(strings)
    }

    private static let drawn: [Language: HTML] = Dictionary(uniqueKeysWithValues: Language.allCases.map { ($0, draw(Strings($0))) })

    static func draw(_ strings: Strings) -> HTML {
        let current = strings.language
        let others = Language.allCases.filter { $0 != current }.map { language -> HTML in
            #"<li><a href="/language/\#(language.rawValue)" hreflang="\#(language.rawValue)" lang="\#(language.rawValue)"\#(language.isRightToLeft ? #" dir="rtl""# : "")>\#(language.endonym)</a></li>"#
        }
        return """
        <details class="lang"><summary><span class="sr-only">\(strings["lang.switch"]): </span>\(current.endonym)</summary>
        <ul>\(others.joined())</ul></details>
        """
    }
}
