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
}
