import Foundation
import Testing
@testable import DropCore

@Suite("NorwegianMobileNumber")
struct NorwegianMobileNumberTests {
    @Test("accepted forms", arguments: [
        "+47 912 34 567", "+4791234567", "004791234567", "0047 912 34 567", "91234567", "912 34 567",
        "47 91234567", "4791234567", "+47 (912) 34-567", "912.34.567", "+47\u{00A0}912\u{00A0}34\u{00A0}567",
    ])
    func acceptedForms(input: String) throws {
        let number = try NorwegianMobileNumber(input)
        #expect(number.e164 == "+4791234567")
        #expect(number.nationalNumber == "91234567")
        #expect(number.formatted == "+47 912 34 567")
        #expect(number.description == "+4791234567")
    }

    @Test("mobile ranges start with 4 or 9", arguments: ["41234567", "40000000", "49999999", "90000000", "99999999", "47123456"])
    func mobileRanges(input: String) throws {
        #expect(try NorwegianMobileNumber(input).nationalNumber == input)
    }

    @Test("refused with a reason", arguments: [
        ("+46 70 123 45 67", "country"),
        ("0046701234567", "country"),
        ("+1 212 555 0100", "country"),
        ("+4", "country"),
        ("9123456", "length"),
        ("912345678", "length"),
        ("+47 9123456", "length"),
        ("+47 912345678", "length"),
        ("+47", "length"),
        ("0047", "length"),
        ("479123456", "length"),
        ("21234567", "not_mobile"),       // Oslo landline
        ("+47 55 12 34 56", "not_mobile"),
        ("81234567", "not_mobile"),
        ("01234567", "not_mobile"),
        ("", "format"),
        ("+", "format"),
        ("9123456a", "format"),
        ("++4791234567", "format"),
        ("91234567+", "format"),
        ("9123\u{0664}567", "format"),
    ])
    func refused(input: String, issue: String) {
        #expect { try NorwegianMobileNumber(input) } throws: { error in
            guard let error = error as? ValidationIssue else { return false }
            return error.issue == issue && error.field == "phone"
        }
        #expect(!NorwegianMobileNumber.isValid(input))
    }

    @Test func codableAsE164() throws {
        let number = try NorwegianMobileNumber("912 34 567")
        let data = try JSONEncoder().encode(number)
        #expect(String(decoding: data, as: UTF8.self) == #""+4791234567""#)
        #expect(try JSONDecoder().decode(NorwegianMobileNumber.self, from: data) == number)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(NorwegianMobileNumber.self, from: Data(#""21234567""#.utf8)) }
    }
}
