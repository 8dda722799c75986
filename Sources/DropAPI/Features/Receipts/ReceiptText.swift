import DropCore
import Foundation

/// The receipt's words in each customer language: the resource files `Texts/<language>.json` beside
/// this file, read once (docs/translations.md). The web app's own strings live in DropWeb; the receipt
/// is served by the API too, so it carries its own. A key missing in a language shows English.
struct ReceiptText {
    let language: ReceiptLanguage

    init(_ language: ReceiptLanguage) {
        self.language = language
    }

    subscript(key: String) -> String {
        Self.tables[language]?[key] ?? Self.tables[.en]?[key] ?? key
    }

    /// Every language's table. `drop serve` refuses to start without the files (`ShippedResources.api`);
    /// one that can't be read here leaves that language in English rather than stopping a payment's receipt.
    static let tables: [ReceiptLanguage: [String: String]] = Dictionary(uniqueKeysWithValues: ReceiptLanguage.allCases.compactMap { language in
        guard let url = Bundle.module.url(forResource: language.rawValue, withExtension: "json", subdirectory: "Texts"),
              let data = try? Data(contentsOf: url),
              let table = try? JSONDecoder().decode([String: String].self, from: data) else { return nil }
        return (language, table)
    })

    /// The files, as `ShippedResources` names them.
    static let files = ReceiptLanguage.allCases.map { "Texts/\($0.rawValue).json" }

    func format(_ key: String, _ values: [String: String]) -> String {
        Placeholders.fill(self[key], values)
    }

    /// The country's name in the language (ICU's names), or its code.
    static func countryName(_ code: String, _ language: ReceiptLanguage) -> String {
        Locale(identifier: language.localeIdentifier).localizedString(forRegionCode: code) ?? code
    }
}
