import DropCore
import Foundation
import Testing

@Suite("Placeholders in texts")
struct PlaceholdersTests {
    @Test func fillsEveryPlaceholderWithItsValue() {
        #expect(Placeholders.fill("{day}. {month} kl. {time}", ["day": "4", "month": "november", "time": "14:15"]) == "4. november kl. 14:15")
        #expect(Placeholders.fill("{n} av {n}", ["n": "2"]) == "2 av 2")
        #expect(Placeholders.fill("Sendt til {name} ✓", ["name": "Åse Øvrebø"]) == "Sendt til Åse Øvrebø ✓")
    }

    @Test func aPlaceholderWithoutAValueAndStrayBracesStayAsWritten() {
        #expect(Placeholders.fill("{bank} {missing}", ["bank": "DNB"]) == "DNB {missing}")
        #expect(Placeholders.fill("{ {bank}} {", ["bank": "DNB"]) == "{ DNB} {")
        #expect(Placeholders.fill("{{bank}}", ["bank": "DNB"]) == "{DNB}")
        #expect(Placeholders.fill("no braces", ["bank": "DNB"]) == "no braces")
        #expect(Placeholders.fill("{bank}", [:]) == "{bank}")
        #expect(Placeholders.fill("", ["bank": "DNB"]) == "")
    }

    /// A value someone typed (a recipient's name) is put in as it is, never filled itself.
    @Test func aValueIsNeverSearchedForPlaceholders() {
        #expect(Placeholders.fill("{name} owes {amount}", ["name": "{amount}", "amount": "100 kr"]) == "{amount} owes 100 kr")
    }
}
