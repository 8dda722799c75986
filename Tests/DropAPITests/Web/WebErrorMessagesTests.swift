import DropAPI
import Foundation
import Testing
@testable import DropWeb

@Suite("Web error messages: every one translated, filled, in the page's language, and listed at the top of its form")
struct WebErrorMessagesTests {
    static let englishWords = try! NSRegularExpression(
        pattern: #"\b(the|and|is|are|you|your|must|cannot|can't|please|this|that|with|enter|choose|check|not|try|again)\b"#, options: [.caseInsensitive])
    static let norwegianWords = try! NSRegularExpression(
        pattern: #"[æøåÆØÅ]|\b(og|ikke|du|deg|kan|må|det|eller|til|på|er|skriv|velg|prøv|igjen|feltet|beløpet)\b"#, options: [.caseInsensitive])
    static let placeholder = try! NSRegularExpression(pattern: #"\{[A-Za-z]+\}"#)

    static func matches(_ regex: NSRegularExpression, _ text: String) -> [String] {
        regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { Range($0.range, in: text).map { String(text[$0]) } }
    }

    /// Every key that is an error message (`error.…`, `….error.…`).
    static var errorKeys: [String] {
        Set(Language.allCases.flatMap { Strings.table($0).keys }).filter { $0.hasPrefix("error.") || $0.contains(".error.") }.sorted()
    }

    /// A message as a page shows it, checked: no `{placeholder}` left, no word of the other language.
    static func expectReadable(_ text: String, _ language: Language, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(matches(placeholder, text).isEmpty, "\(what) [\(language)] leaves \(matches(placeholder, text)): \(text)", sourceLocation: sourceLocation)
        let foreign = matches(language == .nb ? englishWords : norwegianWords, text)
        #expect(foreign.isEmpty, "\(what) [\(language)] has \(foreign): \(text)", sourceLocation: sourceLocation)
    }

    @Test func everyErrorStringExistsInBothLanguagesAndReadsAsItsOwn() {
        #expect(Self.errorKeys.count > 60)
        for key in Self.errorKeys {
            let nb = Strings.table(.nb)[key], en = Strings.table(.en)[key]
            #expect(nb != nil && en != nil, "\(key) is missing in \(nb == nil ? "nb" : "en")")
            #expect(nb != en, "\(key) is the same in both languages")
            // Placeholders are filled where the message is used (next test); here only the words are checked.
            let filler = ["min": "100", "max": "50 000", "bank": "DNB", "amount": "5", "name": "Drop", "time": "14:15", "date": "1"]
            for (language, text) in [(Language.nb, nb ?? ""), (.en, en ?? "")] {
                Self.expectReadable(filler.reduce(text) { $0.replacingOccurrences(of: "{\($1.key)}", with: $1.value) }, language, key)
            }
        }
    }

    /// Every issue and code the API can send, rendered as each form renders it: filled, translated.
    @Test func everyIssueAndCodeIsRenderedFilledInThePagesLanguage() {
        let issues = Set(Self.errorKeys.compactMap { key -> String? in
            let parts = key.split(separator: ".")
            return parts.count == 3 && parts[0] == "error" && parts[1] != "code" ? String(parts[2]) : nil
        }).union(["invalid", "unknown", "made_up_by_a_future_api"])
        let codes = Self.errorKeys.filter { $0.hasPrefix("error.code.") }.map { String($0.dropFirst("error.code.".count)) } + ["SOMETHING_NEW"]
        for language in Language.allCases {
            let strings = Strings(language)
            for issue in issues {
                for field in ["amount", "daily", "monthly", "phone", "email", "iban", "name"] {
                    let error = AppError.validation("An English sentence from the API.", details: [ErrorDetail(field: field, issue: issue, message: "An English detail.")])
                    // The send form (fills the corridor's limits) and the profile's limits (fill each limit's maximum).
                    for (page, errors) in [
                        ("send", WebFeature.sendErrors(error, strings, recipient: nil)),
                        ("profile", FieldErrors.from(error, strings: strings, fields: [field: field], codes: [:], fill: ["min": "0 kr"],
                                                     fillByField: ["daily": ["max": "50 000 kr"], "monthly": ["max": "200 000 kr"]])),
                    ] where !(page == "profile" && ["below_minimum", "above_maximum"].contains(issue) && !["daily", "monthly"].contains(field)) {
                        for message in errors.values { Self.expectReadable(message, language, "\(page) \(field).\(issue)") }
                        #expect(!errors.values.contains { $0.contains("English") })
                    }
                }
            }
            for code in codes {
                let error = AppError(.unprocessableContent, code: code, message: "An English sentence from the API.")
                for message in WebFeature.sendErrors(error, strings, recipient: nil).values { Self.expectReadable(message, language, code) }
                Self.expectReadable(FieldErrors.message(error, strings), language, code)
            }
        }
    }

    @Test func aFormWithErrorsListsThemAtTheTopLinkedToTheirFieldsAndSaysSoInTheTitle() async throws {
        try await LiveServer.run { server in
            let signedIn = try await server.signInWeb("01078510133")
            let cookie = ("cookie", "drop_token=\(try #require(signedIn.cookie("drop_token")))")
            let origin = ("origin", server.baseURL)

            // The phone number: Norwegian on a Norwegian page (it was the API's English sentence).
            let bad = try await server.postForm("/onboarding/phone", [("phone", "123")], headers: [cookie, origin])
            #expect(bad.status == 422)
            #expect(bad.body.contains("Et norsk mobilnummer har 8 sifre.") && !bad.body.contains("A Norwegian mobile number"))
            #expect(bad.body.contains("<title>Feil: Kom i gang · Drop</title>"))
            let summary = try #require(bad.body.range(of: #"<div class="error-summary" id="error-summary" role="region" tabindex="-1""#))
            #expect(summary.lowerBound < (bad.body.range(of: "<h1>")?.lowerBound ?? bad.body.startIndex), "the summary comes first")
            #expect(bad.body.contains(##"<li><a href="#phone">Et norsk mobilnummer har 8 sifre.</a></li>"##))
            #expect(bad.body.contains(#"<script src="/assets/error-summary.js" defer></script>"#))
            #expect(try await server.get("/assets/error-summary.js").body.contains("summary.focus()"))
            let english = try await server.postForm("/onboarding/phone", [("phone", "123")], headers: [cookie, origin, ("accept-language", "en")])
            #expect(english.body.contains("<title>Error: ") && english.body.contains(##"<a href="#phone">A Norwegian mobile number has 8 digits.</a>"##))
            // Without errors, neither.
            let fine = try await server.get("/onboarding", headers: [cookie])
            #expect(!fine.body.contains("error-summary") && !fine.body.contains("<title>Feil:"))

            // A limit above the maximum: filled, not "{min}"/"{max}", and on the field it is about.
            _ = try await server.postForm("/onboarding/phone", [("phone", "912 34 567")], headers: [cookie, origin])
            let limits = try await server.postForm("/profile/limits", [("daily", "60 000"), ("monthly", "")], headers: [cookie, origin])
            #expect(limits.status == 422)
            #expect(limits.body.contains("Dagsgrensen kan være høyst 50\u{00A0}000,00\u{00A0}kr.") && !limits.body.contains("{"))
            #expect(limits.body.contains(##"<li><a href="#daily">Dagsgrensen kan være høyst"##))
        }
    }
}
