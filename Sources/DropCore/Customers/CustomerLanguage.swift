import Foundation

/// The languages Drop speaks to its customers: Norwegian bokmål (the default), English, and the
/// languages many people who send money home from Norway read best. A customer's choice is kept
/// on their profile (`users.locale`).
public enum CustomerLanguage: String, Sendable, Hashable, Codable, CaseIterable {
    case nb
    case en
    case pl
    case ar
    case so
    case ur

    /// Arabic and Urdu are written right to left.
    public var isRightToLeft: Bool { self == .ar || self == .ur }

    /// How amounts and rates are written. Arabic, Somali and Urdu use Western digits and the English
    /// separators, as their speakers' banks in Europe do.
    public var displayLocale: DisplayLocale {
        switch self {
        case .nb: .nb
        case .pl: .pl
        case .en, .ar, .so, .ur: .en
        }
    }

    /// The `drop_lang` cookie wins; otherwise the browser's first supported preference; otherwise
    /// bokmål. The web app's pages and the API's receipts both choose this way.
    public static func negotiate(cookie: String?, acceptLanguage: String?) -> CustomerLanguage {
        if let cookie, let language = CustomerLanguage(rawValue: cookie) { return language }
        for part in (acceptLanguage ?? "").split(separator: ",") {
            let tag = part.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
            let primary = tag.split(separator: "-").first.map(String.init) ?? tag
            if ["nb", "no", "nn"].contains(primary) { return .nb }
            if let language = CustomerLanguage(rawValue: primary) { return language }
        }
        return .nb
    }
}
