import Testing
@testable import DropCore

@Suite("SEPA character set")
struct SEPACharacterSetTests {
    @Test(arguments: [
        ("Ærlig Søren", "Aerlig Soren"), ("Åse Ødegård", "Aase Odegaard"), ("Müller & Co", "Mueller + Co"),
        ("Hans Müller", "Hans Mueller"), ("Bjørn Åsen", "Bjorn Aasen"), ("MÜLLER", "MUELLER"), ("ÅSEN", "AASEN"),
        ("Jürgen Öztürk", "Juergen Oeztuerk"), ("Ängelholm", "Aengelholm"), ("Æsir", "Aesir"), ("Zoë Lefèvre", "Zoe Lefevre"),
        ("Straße", "Strasse"), ("Łukasz Wałęsa", "Lukasz Walesa"), ("Çelik", "Celik"),
        ("José O’Neil", "Jose O'Neil"), ("e\u{301}mile", "emile"), ("Plain Name", "Plain Name"), ("李", "."),
        // Letters the table doesn't name lose their accents by decomposition: Vietnamese names keep every letter.
        ("Nguyễn Văn Hùng", "Nguyen Van Hung"), ("Trần Thị Ngọc", "Tran Thi Ngoc"), ("Phạm Ưng", "Pham Ung"),
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

    @Test(arguments: ["Hans Müller", "Bjørn Åsen", "Zoë Lefèvre", "Ærlig Søren", "e\u{301}mile", "Ola\tNordmann"])
    func namesWithLatinLettersCanBeWritten(_ name: String) { #expect(SEPACharacterSet.canTransliterate(name)) }

    @Test(arguments: ["李小龍", "Ali ☃", "Привет", "한국"])
    func namesWithoutALatinWritingCannot(_ name: String) {
        #expect(!SEPACharacterSet.canTransliterate(name))
        #expect(!CBPRCharacterSet.canTransliterate(name))
    }

    /// Cross-border payments travel under CBPR+: the FIN X set plus a few signs in names, addresses
    /// and remittance information. No accented letters, no other scripts.
    @Test func theCrossBorderSetIsLatinWithAFewMoreSigns() {
        #expect(CBPRCharacterSet.isValid(#"Ali & Sons <Ltd> "A" [x] {y} @#$%*=^_`|~;!\"#))
        for text in ["Zofia Wójcik", "Ayşe", "Олена", "李", "a\u{301}", "tab\t"] { #expect(!CBPRCharacterSet.isValid(text), "\(text)") }
        #expect(CBPRCharacterSet.transliterate("Zofia Wójcik & Syn") == "Zofia Wojcik & Syn")
        #expect(CBPRCharacterSet.transliterate("Nguyễn Văn Hùng") == "Nguyen Van Hung")
        #expect(CBPRCharacterSet.isValid(CBPRCharacterSet.transliterate("Đorđe Šćekić, Ğülşen İnce, Łukasz Wałęsa")))
    }

    /// What the app shows the person is what the pain.001 carries.
    @Test func theNameAtTheBankIsThePaymentsName() {
        #expect(PayeeName.atBank("Hans Müller", rail: .sepa) == "Hans Mueller")
        #expect(PayeeName.atBank("Bjørn Åsen", rail: .sepa) == "Bjorn Aasen")
        // Cross-border too: CBPR+ carries Latin letters only, so the app shows the name as it goes.
        #expect(PayeeName.atBank("Zofia Wójcik", rail: .swift) == "Zofia Wojcik")
        #expect(PayeeName.atBank("Ali & Sons", rail: .swift) == "Ali & Sons")
        #expect(PayeeName.atBank(String(repeating: "ü", count: 40), rail: .sepa).unicodeScalars.count == 70)
    }
}
