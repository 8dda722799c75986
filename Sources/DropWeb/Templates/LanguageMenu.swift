import DropHTML

/// The header's language menu: the current language's name, opening to every other language named
/// in itself (a Polish reader looks for "Polski", not for the word in Norwegian). Works without
/// JavaScript: a disclosure of plain links to `/language/{code}`, which set the cookie and come back.
enum LanguageMenu {
    static func render(_ strings: Strings) -> HTML {
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
