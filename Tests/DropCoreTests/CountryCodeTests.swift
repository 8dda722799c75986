import Foundation
import Testing
@testable import DropCore

@Suite("CountryCode")
struct CountryCodeTests {
    @Test func coversISO3166PlusKosovo() {
        #expect(CountryCode.all.count == 250)   // 249 assigned + XK
        #expect(CountryCode.all.map(\.rawValue) == CountryCode.all.map(\.rawValue).sorted())
        for code in ["NO", "SE", "DK", "PL", "LT", "PK", "IN", "PH", "NG", "KE", "ET", "ER", "SO", "VN", "TH", "LK",
                     "BA", "RS", "UA", "BR", "MA", "TR", "XK", "PS", "GB", "US", "AX", "SJ", "BV"] {
            #expect(CountryCode(rawValue: code) != nil, "\(code)")
        }
    }

    @Test("not assigned", arguments: ["XX", "UK", "EU", "AN", "YU", "ZZ", "QQ"])
    func notAssigned(code: String) {
        #expect(CountryCode(rawValue: code) == nil)
        #expect { try CountryCode(code) } throws: { ($0 as? ValidationIssue)?.issue == "country" }
    }

    @Test("malformed", arguments: ["", "N", "NOR", "N0", "1", "NØ"])
    func malformed(code: String) {
        #expect { try CountryCode(code) } throws: { ($0 as? ValidationIssue)?.issue == "format" }
    }

    @Test func normalisesCase() throws {
        #expect(try CountryCode("no") == .norway)
        #expect(try CountryCode(" Pl ").rawValue == "PL")
        #expect(CountryCode(rawValue: "no") == nil)
        #expect("\(CountryCode.norway)" == "NO")
    }

    @Test func everyIBANCountryIsACountry() {
        #expect(IBAN.supportedCountries.count == 61)
    }

    @Test func codable() throws {
        let data = try JSONEncoder().encode([CountryCode.norway])
        #expect(String(decoding: data, as: UTF8.self) == #"["NO"]"#)
        #expect(try JSONDecoder().decode([CountryCode].self, from: data) == [.norway])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(CountryCode.self, from: Data(#""UK""#.utf8)) }
    }
}
