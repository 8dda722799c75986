import Testing
@testable import DropCore

@Suite("SEPA character set")
struct SEPACharacterSetTests {
    @Test(arguments: [
        ("Ærlig Søren", "AErlig Soren"), ("Åse Ødegård", "Ase Odegard"), ("Müller & Co", "Muller + Co"),
        ("Straße", "Strasse"), ("Łukasz Wałęsa", "Lukasz Walesa"), ("Şükrü Çelik", "Sukru Celik"),
        ("José O’Neil", "Jose O'Neil"), ("e\u{301}mile", "emile"), ("Plain Name", "Plain Name"), ("李", "."),
    ])
    func transliterates(_ input: String, _ expected: String) {
        #expect(SEPACharacterSet.transliterate(input) == expected)
    }

    @Test(arguments: ["Ola Nordmann", "A/S Firma", "O'Brien (Jr.), +47: ok?", "1-2-3"])
    func accepts(_ text: String) { #expect(SEPACharacterSet.isValid(text)) }

    @Test(arguments: ["Søren", "Zoë", "a&b", "/leading", "trailing/", "a//b", "tab\there", "émile"])
    func refuses(_ text: String) { #expect(!SEPACharacterSet.isValid(text)) }

    @Test func transliterationIsAlwaysValidForLatinNames() {
        for name in ["Ærlig Søren", "Åse Ødegård", "Müller & Co", "Đorđe Šćekić", "Ğülşen İnce"] {
            #expect(SEPACharacterSet.isValid(SEPACharacterSet.transliterate(name)))
        }
    }
}
