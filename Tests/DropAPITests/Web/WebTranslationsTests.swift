import DropTestTools
import Foundation
import Testing
@testable import DropWeb

/// The web app's strings, one resource file per language (`Sources/DropWeb/Localization/<language>.json`,
/// docs/translations.md): every language says everything, with the same blanks to fill, and nothing empty.
@Suite("Web translations: every language has every key, the same placeholders, and no empty text")
struct WebTranslationsTests {
    static let placeholder = try! NSRegularExpression(pattern: #"\{[A-Za-z]+\}"#)

    static func placeholders(_ text: String) -> Set<String> {
        Set(placeholder.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { Range($0.range, in: text).map { String(text[$0]) } })
    }

    static func table(_ language: Language) -> [String: String] { Strings.table(language) }

    static var allKeys: [String] { Set(Language.allCases.flatMap { table($0).keys }).sorted() }

    @Test func everyLanguageIsReadFromItsFile() {
        for language in Language.allCases {
            #expect(Self.table(language).count > 400, "\(Strings.file(language)) has \(Self.table(language).count) strings")
        }
        #expect(WebFeature.resources.files.contains("nb.json") && WebFeature.resources.files.contains("en.json"),
                "drop serve checks the translations are shipped")
    }

    @Test func everyLanguageHasExactlyTheSameKeys() {
        for key in Self.allKeys {
            for language in Language.allCases {
                #expect(Self.table(language)[key] != nil, "\"\(key)\" is missing in \(Strings.file(language))")
            }
        }
    }

    @Test func everyKeyHasTheSamePlaceholdersInEveryLanguage() {
        for key in Self.allKeys {
            guard let reference = Self.table(.nb)[key] else { continue }
            for language in Language.allCases where language != .nb {
                guard let text = Self.table(language)[key] else { continue }
                let expected = Self.placeholders(reference), found = Self.placeholders(text)
                #expect(found == expected, "\"\(key)\" in \(Strings.file(language)) has \(found.sorted()), nb.json has \(expected.sorted())")
            }
        }
    }

    @Test func noTextIsEmptyAndEveryBraceIsAPlaceholder() {
        for language in Language.allCases {
            for (key, text) in Self.table(language) {
                #expect(!text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\"\(key)\" is empty in \(Strings.file(language))")
                // A misspelt blank ("{ name}", "{name") would be shown to people as it is.
                let rest = Self.placeholder.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: "")
                #expect(!rest.contains("{") && !rest.contains("}"), "\"\(key)\" in \(Strings.file(language)) has a brace that is not a {placeholder}: \(text)")
            }
        }
    }

    @Test func aMissingOrBrokenFileIsAnErrorNamingIt() throws {
        let folder = URL(fileURLWithPath: TestScratch.path("translations"))
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("xx.json")

        #expect { try Strings.read(nil, file: "xx.json") } throws: { "\($0)".contains("xx.json is missing") }
        #expect { try Strings.read(file, file: "xx.json") } throws: { "\($0)".contains("xx.json is missing") }
        for broken in [#"{"a": "b""#, #"{"a": 1}"#, #"["a"]"#, #"{"a": {"b": "c"}}"#] {
            try Data(broken.utf8).write(to: file)
            #expect { try Strings.read(file, file: "xx.json") } throws: { "\($0)".contains("xx.json is not a JSON object of strings") }
        }
        try Data(#"{"a": "b"}"#.utf8).write(to: file)
        #expect(try Strings.read(file, file: "xx.json") == ["a": "b"])
    }

    @Test func eachLanguageShowsItsOwnTextAndAnUnknownKeyAsItself() {
        #expect(Strings(.nb)["app.tagline"] == "Send penger hjem for 0,5 %")
        #expect(Strings(.en)["app.tagline"] == "Send money home for 0.5%")
        #expect(Strings(.en)["no.such.key"] == "no.such.key")
    }
}
