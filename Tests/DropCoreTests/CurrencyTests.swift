import Foundation
import Testing
@testable import DropCore

@Suite("Currency")
struct CurrencyTests {
    // (code, exponent, ISO numeric) for every currency Drop must handle.
    static let required: [(String, Int, Int)] = [
        ("NOK", 2, 578), ("SEK", 2, 752), ("DKK", 2, 208), ("EUR", 2, 978), ("GBP", 2, 826),
        ("USD", 2, 840), ("PLN", 2, 985), ("CHF", 2, 756), ("ISK", 0, 352), ("CZK", 2, 203),
        ("HUF", 2, 348), ("RON", 2, 946), ("BGN", 2, 975), ("TRY", 2, 949), ("PKR", 2, 586),
        ("INR", 2, 356), ("PHP", 2, 608), ("NGN", 2, 566), ("KES", 2, 404), ("ETB", 2, 230),
        ("ERN", 2, 232), ("SOS", 2, 706), ("VND", 0, 704), ("THB", 2, 764), ("LKR", 2, 144),
        ("BAM", 2, 977), ("RSD", 2, 941), ("UAH", 2, 980), ("BRL", 2, 986), ("MAD", 2, 504),
        ("JPY", 0, 392), ("CNY", 2, 156), ("AUD", 2, 36), ("CAD", 2, 124), ("BHD", 3, 48),
        ("KWD", 3, 414), ("JOD", 3, 400), ("TND", 3, 788), ("AED", 2, 784), ("SAR", 2, 682),
        ("EGP", 2, 818), ("GHS", 2, 936), ("UGX", 0, 800), ("TZS", 2, 834), ("BDT", 2, 50),
        ("NPR", 2, 524), ("IQD", 3, 368), ("AFN", 2, 971),
        // Other zero- and three-decimal currencies.
        ("KRW", 0, 410), ("XOF", 0, 952), ("XAF", 0, 950), ("CLP", 0, 152), ("PYG", 0, 600),
        ("RWF", 0, 646), ("OMR", 3, 512), ("LYD", 3, 434),
    ]

    @Test("table entry", arguments: required)
    func tableEntry(code: String, exponent: Int, numeric: Int) throws {
        let currency = try #require(Currency(rawValue: code))
        #expect(currency.code == code)
        #expect(currency.exponent == exponent)
        #expect(currency.numericCode == numeric)
        #expect(try Currency(code: code) == currency)
    }

    @Test func shortcutsMatchTheTable() {
        #expect(Currency.nok.code == "NOK" && Currency.nok.exponent == 2 && Currency.nok.numericCode == 578)
        #expect(Currency.eur.code == "EUR" && Currency.eur.numericCode == 978)
        #expect(Currency.usd.code == "USD" && Currency.usd.numericCode == 840)
        #expect(Currency.gbp.code == "GBP" && Currency.gbp.numericCode == 826)
        #expect(Currency.sek.code == "SEK" && Currency.sek.numericCode == 752)
        #expect(Currency.dkk.code == "DKK" && Currency.dkk.numericCode == 208)
        #expect(Currency.nok == Currency(rawValue: "NOK"))
    }

    @Test func allIsSortedUniqueAndCoversTheRequiredCodes() {
        let codes = Currency.all.map(\.code)
        #expect(codes == codes.sorted())
        #expect(Set(codes).count == codes.count)
        #expect(Set(Self.required.map(\.0)).isSubset(of: Set(codes)))
        #expect(Currency.all.allSatisfy { [0, 2, 3].contains($0.exponent) })
        #expect(Set(Currency.all.map(\.numericCode)).count == codes.count, "numeric codes are unique")
    }

    @Test func rawValueIsStrict() {
        #expect(Currency(rawValue: "nok") == nil)
        #expect(Currency(rawValue: " NOK") == nil)
        #expect(Currency(rawValue: "XYZ") == nil)
        #expect(Currency(rawValue: "") == nil)
    }

    @Test func codeInitialiserNormalisesCaseAndSpaces() throws {
        #expect(try Currency(code: "nok") == .nok)
        #expect(try Currency(code: " eUr ") == .eur)
    }

    @Test("bad codes", arguments: [
        ("XYZ", "unsupported"), ("XXX", "unsupported"), ("NOKK", "format"), ("NO", "format"),
        ("", "format"), ("N0K", "format"), ("NØK", "format"),
    ])
    func badCodes(input: String, issue: String) {
        #expect { try Currency(code: input) } throws: { ($0 as? ValidationIssue)?.issue == issue }
    }

    @Test func codableAsBareCode() throws {
        let data = try JSONEncoder().encode([Currency.nok, .kwd])
        #expect(String(decoding: data, as: UTF8.self) == #"["NOK","KWD"]"#)
        #expect(try JSONDecoder().decode([Currency].self, from: data) == [.nok, .kwd])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Currency.self, from: Data(#""XYZ""#.utf8)) }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Currency.self, from: Data(#""nok""#.utf8)) }
    }

    @Test func descriptionIsTheCode() {
        #expect("\(Currency.nok)" == "NOK")
        #expect(Currency.eur < Currency.nok)
    }
}

extension Currency {
    static let jpy = Currency(rawValue: "JPY")!
    static let kwd = Currency(rawValue: "KWD")!
    static let pln = Currency(rawValue: "PLN")!
}
