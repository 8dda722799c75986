import DropAPI
import DropCore
import DropHTML
import Foundation

/// `/terms` and `/privacy`: the texts people accept during onboarding, at the version the consent
/// records (`ConsentType.currentVersion`). Public, linked beside their checkboxes and from the front page.
///
/// The binding texts are Norwegian and English, kept as resource files (`Localization/legal/<document>.<language>.json`,
/// docs/translations.md). Readers of the other languages get the English text, marked as English, with a
/// line in their own language saying so.
enum LegalPages {
    enum Document: String, CaseIterable {
        case terms, privacy

        var consent: ConsentType { self == .terms ? .terms : .privacy }
    }

    /// The languages the texts are written in; the others read `english`.
    static let written: [Language] = [.nb, .en]
    static let english = Language.en

    static func render(_ document: Document, _ strings: Strings) -> HTML {
        let title = strings["legal.\(document.rawValue).title"]
        let language = written.contains(strings.language) ? strings.language : english
        let body = (texts[file(document, language)] ?? []).map { section -> HTML in
            "<section class=\"card\"><h2>\(section.heading)</h2>\(section.paragraphs.map { paragraph -> HTML in "<p>\(paragraph)</p>" })</section>"
        }
        let translated = language == strings.language
        return Layout.page(title: title, strings: strings, main: """
        <h1>\(title)</h1>
        <p class="muted">\(strings.format("legal.version", ["version": document.consent.currentVersion]))</p>
        \(translated ? "" : #"<p class="notice">\#(strings["legal.language"])</p>"#)
        \(translated ? body.joined() : #"<div lang="en" dir="ltr">\#(body.joined())</div>"#)
        """)
    }

    struct Section: Decodable, Equatable {
        let heading: String
        let paragraphs: [String]
    }

    /// `legal/terms.nb.json` and the like: the bundle's path of a document in a language.
    static func file(_ document: Document, _ language: Language) -> String { "legal/\(document.rawValue).\(language.rawValue).json" }

    static var files: [String] { Document.allCases.flatMap { document in written.map { file(document, $0) } } }

    /// Every text, read from the bundle once; a missing or broken file stops the process with its name,
    /// as the strings do (`drop serve` checks they are shipped before this runs).
    static let texts: [String: [Section]] = Dictionary(uniqueKeysWithValues: files.map { name in
        guard let url = Bundle.module.url(forResource: String(name.dropFirst("legal/".count).dropLast(".json".count)), withExtension: "json",
                                          subdirectory: "legal"),
              let data = FileManager.default.contents(atPath: url.path) else {
            fatalError("The legal text \(name) is missing from DropWeb's resources (Drop_DropWeb.resources)")
        }
        do {
            return (name, try JSONDecoder().decode([Section].self, from: data))
        } catch {
            fatalError("The legal text \(name) is not a list of sections: \(error)")
        }
    })
}
