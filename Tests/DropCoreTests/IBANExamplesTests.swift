import Testing
@testable import DropCore

@Suite("IBAN examples per country")
struct IBANExamplesTests {
    /// Every corridor paid by IBAN has an example of its own country, valid, of the country's length.
    @Test func everyIBANCorridorHasAValidExampleOfItsOwnCountry() throws {
        let countries = Set(Corridors.all.filter { $0.accountFormat == .iban }.map(\.country))
        #expect(!countries.isEmpty)
        for country in countries {
            let example = try #require(IBANExamples.example(for: country), "no example for \(country.rawValue)")
            #expect(example.countryCode == country)
            #expect(IBAN.isValid(example.electronic))
            if let length = IBAN.expectedLength(for: country) { #expect(example.electronic.count == length, "\(country.rawValue)") }
        }
    }

    @Test func germanyGetsAGermanExampleGroupedInFours() throws {
        #expect(try #require(IBANExamples.example(for: CountryCode(rawValue: "DE")!)).formatted == "DE89 3704 0044 0532 0130 00")
        #expect(try #require(IBANExamples.example(for: CountryCode(rawValue: "PL")!)).formatted == "PL61 1090 1014 0000 0712 1981 2874")
        #expect(IBANExamples.example(for: CountryCode(rawValue: "IN")!) == nil)
    }
}
