import DropTestTools
import Foundation
import Testing
@testable import DropCore

@Suite("OrganisationNumber")
struct OrganisationNumberTests {
    @Test("accepted forms", arguments: [
        "995525828", "995 525 828", "995.525.828", "NO 995 525 828 MVA", "NO995525828MVA",
        "no995525828mva", "995525828 MVA", "NO 995525828", " 995-525-828 ",
    ])
    func acceptedForms(input: String) throws {
        let number = try OrganisationNumber(input)
        #expect(number.digits == "995525828")
        #expect(number.formatted == "995 525 828")
        #expect(number.vatNumber == "NO995525828MVA")
        #expect(number.description == "995525828")
    }

    @Test("real organisation numbers", arguments: ["923609016", "974760673", "983887457", "889640782"])
    func realNumbers(input: String) {
        #expect(OrganisationNumber.isValid(input))
    }

    @Test("refused with a reason", arguments: [
        ("995525829", "checksum"),
        ("995525818", "checksum"),
        ("895525828", "checksum"),
        ("99552582", "length"),
        ("9955258280", "length"),
        ("", "length"),
        ("NO MVA", "length"),
        ("99552582X", "format"),
        ("SE995525828", "format"),
        ("995525828 AS", "format"),
        ("MVA995525828", "format"),
        ("99552582\u{0668}", "format"),
    ])
    func refused(input: String, issue: String) {
        #expect { try OrganisationNumber(input) } throws: { error in
            guard let error = error as? ValidationIssue else { return false }
            return error.issue == issue && error.field == "organisationNumber"
        }
    }

    @Test func checkDigitHelper() {
        #expect(OrganisationNumber.checkDigit(for: [9, 9, 5, 5, 2, 5, 8, 2]) == 8)
        #expect(OrganisationNumber.checkDigit(for: [9, 9, 5]) == nil)
    }

    @Test func codable() throws {
        let number = try OrganisationNumber("NO 995 525 828 MVA")
        let data = try JSONEncoder().encode(number)
        #expect(String(decoding: data, as: UTF8.self) == #""995525828""#)
        #expect(try JSONDecoder().decode(OrganisationNumber.self, from: data) == number)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(OrganisationNumber.self, from: Data(#""995525829""#.utf8)) }
    }

    /// Random 8-digit bodies: with the computed check digit they parse, with any other last digit
    /// (or any single-digit typo) they do not; bodies with no check digit have no valid number at all.
    @Test func generatedNumbers() throws {
        var random = SeededGenerator(seed: 0x0B_0E)
        var withoutCheckDigit = 0
        for _ in 0..<500 {
            let body = random.digits(8)
            let bodyText = body.map(String.init).joined()
            guard let check = testMod11(body, [3, 2, 7, 6, 5, 4, 3, 2]) else {
                withoutCheckDigit += 1
                for last in 0...9 { #expect(!OrganisationNumber.isValid(bodyText + String(last))) }
                continue
            }
            let digits = bodyText + String(check)
            #expect(try OrganisationNumber(digits).digits == digits)
            #expect(singleDigitMutations(of: digits).filter(OrganisationNumber.isValid).isEmpty, "a one-digit typo was accepted")
        }
        #expect(withoutCheckDigit > 0, "the sample should include bodies whose check digit would be 10")
    }
}
