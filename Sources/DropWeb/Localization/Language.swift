import DropCore
import Foundation

/// The web app's languages are the customer's (docs/translations.md); here is what a page needs to
/// know about each.
public typealias Language = CustomerLanguage

extension CustomerLanguage {
    /// The language's name in itself, as the language menu lists it.
    public var endonym: String {
        switch self {
        case .nb: "Norsk"
        case .en: "English"
        case .pl: "Polski"
        case .ar: "العربية"
        case .so: "Soomaali"
        case .ur: "اردو"
        }
    }

    /// The ICU locale the page asks for country names (months come from the language's file).
    public var localeIdentifier: String {
        switch self {
        case .nb: "nb_NO"
        case .en: "en_GB"
        case .pl: "pl_PL"
        case .ar: "ar"
        case .so: "so_SO"
        case .ur: "ur_PK"
        }
    }

    /// The BCP 47 tag page scripts format times and amounts with (`Intl`), with Western digits.
    public var scriptLocale: String {
        switch self {
        case .nb: "nb-NO"
        case .en: "en-GB"
        case .pl: "pl-PL"
        case .ar: "ar-u-nu-latn"
        case .so: "so-SO"
        case .ur: "ur-PK-u-nu-latn"
        }
    }
}
