/// The web app's languages: Norwegian bokmål by default, English on request.
public enum Language: String, Sendable, CaseIterable {
    case nb
    case en

    /// The `drop_lang` cookie wins; otherwise the browser's first supported preference; otherwise bokmål.
    public static func negotiate(cookie: String?, acceptLanguage: String?) -> Language {
        if let cookie, let language = Language(rawValue: cookie) { return language }
        for part in (acceptLanguage ?? "").split(separator: ",") {
            let tag = part.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
            if tag.hasPrefix("en") { return .en }
            if tag.hasPrefix("nb") || tag.hasPrefix("no") || tag.hasPrefix("nn") { return .nb }
        }
        return .nb
    }
}
