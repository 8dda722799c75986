import Foundation

/// Every user-facing string of the web app, one table per language. The tables are the resource files
/// `nb.json` and `en.json` beside this file (docs/translations.md), read once per process.
public struct Strings: Sendable {
    public let language: Language
    private let table: [String: String]

    public init(_ language: Language) {
        self.language = language
        self.table = Self.table(language)
    }

    public subscript(_ key: String) -> String { table[key] ?? Self.fallback[key] ?? key }

    /// Every language's table, decoded from the bundle the first time a page (or `WebFeature()`, when
    /// `drop serve` starts) asks. A bundled file that is missing or broken stops the process with its
    /// name: a release must not show keys instead of words.
    static let tables: [Language: [String: String]] = Dictionary(uniqueKeysWithValues: Language.allCases.map { language in
        do {
            return (language, try read(Bundle.module.url(forResource: language.rawValue, withExtension: "json"), file: file(language)))
        } catch {
            fatalError("\(error)")
        }
    })

    /// One language's table (every language has one, or the process stopped reading them).
    static func table(_ language: Language) -> [String: String] { tables[language] ?? [:] }

    /// What a key missing from a language shows: bokmål, the language every key is written in first.
    private static let fallback = table(.nb)

    /// The file a language's strings are in: DropWeb's resource bundle, `Localization/` in the sources.
    static func file(_ language: Language) -> String { "\(language.rawValue).json" }

    /// A table file as one flat JSON object of strings; the error names the file.
    static func read(_ url: URL?, file: String) throws -> [String: String] {
        guard let url, let data = FileManager.default.contents(atPath: url.path) else {
            throw Unreadable(description: "The translation \(file) is missing from DropWeb's resources (Drop_DropWeb.resources)")
        }
        do {
            return try JSONDecoder().decode([String: String].self, from: data)
        } catch {
            throw Unreadable(description: "The translation \(file) is not a JSON object of strings: \(error)")
        }
    }

    struct Unreadable: Error, CustomStringConvertible {
        let description: String
    }
}
