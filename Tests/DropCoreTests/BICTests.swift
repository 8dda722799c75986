import Foundation
import Testing
@testable import DropCore

@Suite("BIC")
struct BICTests {
    @Test func parts() throws {
        let dnb = try BIC("DNBANOKKXXX")
        #expect(dnb.institutionCode == "DNBA")
        #expect(dnb.countryCode == .norway)
        #expect(dnb.locationCode == "KK")
        #expect(dnb.branchCode == "XXX")
        #expect(dnb.isHeadOffice)
        #expect(!dnb.isTestBIC)
        #expect(dnb.bic8 == "DNBANOKK")
        #expect(dnb.bic11 == "DNBANOKKXXX")

        let short = try BIC("DNBANOKK")
        #expect(short.branchCode == nil)
        #expect(short.isHeadOffice)
        #expect(short.bic11 == "DNBANOKKXXX")
        #expect(short != dnb, "values stay as typed; compare bic11 for the head office")
        #expect(short.bic11 == dnb.bic11)

        let branch = try BIC("DEUTDEFF500")
        #expect(branch.branchCode == "500")
        #expect(!branch.isHeadOffice)
        #expect(branch.countryCode == (try CountryCode("DE")))
    }

    @Test("accepted", arguments: [
        "DNBANOKK", "NDEANOKK", "DEUTDEFF", "DEUTDEFF500", "HBUKGB4B", "ABCDPKKA", "SCBLPKKX",
        "1234NOKK",        // digits in the institution code, allowed since 2014
        "BOTKJPJTXXX", "CITIXKPR",
    ])
    func accepted(input: String) throws {
        #expect(try BIC(input).value == input)
    }

    @Test func inputIsNormalised() throws {
        #expect(try BIC(" dnba nokk ").value == "DNBANOKK")
        #expect(try BIC("DnBaNoKkXxX").value == "DNBANOKKXXX")
        #expect(try BIC("DNBANOKK").description == "DNBANOKK")
    }

    @Test("refused with a reason", arguments: [
        ("", "length"),
        ("DNBANOK", "length"),
        ("DNBANOKKX", "length"),
        ("DNBANOKKXX", "length"),
        ("DNBANOKKXXXX", "length"),
        ("DNBA1OKK", "format"),      // country part must be letters
        ("DNBAN0KK", "format"),
        ("DNBA-NOKK", "format"),
        ("DNBANØKK", "format"),
        ("DNBAXXKK", "country"),     // XX is not a country
        ("DNBAUKKK", "country"),     // UK is GB in ISO 3166
        ("DNBAEUKK", "country"),
    ])
    func refused(input: String, issue: String) {
        #expect { try BIC(input) } throws: { error in
            guard let error = error as? ValidationIssue else { return false }
            return error.issue == issue && error.field == "bic"
        }
        #expect(!BIC.isValid(input))
    }

    @Test("test BICs have 0 as the location's second character", arguments: [
        ("DNBANO20", true), ("DNBANOK0XXX", true), ("DNBANO0K", false), ("DNBANOKK", false),
    ])
    func testBICs(input: String, isTest: Bool) throws {
        #expect(try BIC(input).isTestBIC == isTest)
    }

    @Test func matchesIBANCountry() throws {
        #expect(try BIC("DNBANOKK").matches(iban: IBAN("NO9386011117947")))
        #expect(try !BIC("DEUTDEFF").matches(iban: IBAN("NO9386011117947")))
        #expect(try BIC("DEUTDEFF").matches(iban: IBAN("DE89370400440532013000")))
    }

    @Test func codable() throws {
        let bic = try BIC("dnbanokk")
        let data = try JSONEncoder().encode(bic)
        #expect(String(decoding: data, as: UTF8.self) == #""DNBANOKK""#)
        #expect(try JSONDecoder().decode(BIC.self, from: data) == bic)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(BIC.self, from: Data(#""DNBAXXKK""#.utf8)) }
    }
}
