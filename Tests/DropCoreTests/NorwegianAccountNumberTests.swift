import DropTestTools
import Foundation
import Testing
@testable import DropCore

@Suite("NorwegianAccountNumber")
struct NorwegianAccountNumberTests {
    @Test("accepted forms", arguments: ["86011117947", "8601.11.17947", "8601 11 17947", " 8601-11-17947 ", "8601\u{00A0}11\u{00A0}17947"])
    func acceptedForms(input: String) throws {
        let account = try NorwegianAccountNumber(input)
        #expect(account.digits == "86011117947")
        #expect(account.formatted == "8601.11.17947")
        #expect(account.description == "8601.11.17947")
        #expect(account.bankRegistrationNumber == "8601")
    }

    @Test("refused with a reason", arguments: [
        ("86011117948", "checksum"),
        ("86011117940", "checksum"),
        ("96011117947", "checksum"),
        ("8601111794", "length"),
        ("860111179470", "length"),
        ("", "length"),
        ("8601.11.1794A", "format"),
        ("NO9386011117947", "format"),
        ("8601/11/17947", "format"),
    ])
    func refused(input: String, issue: String) {
        #expect { try NorwegianAccountNumber(input) } throws: { error in
            guard let error = error as? ValidationIssue else { return false }
            return error.issue == issue && error.field == "accountNumber"
        }
    }

    @Test func convertsToAndFromIBAN() throws {
        let account = try NorwegianAccountNumber("8601.11.17947")
        #expect(account.iban.electronic == "NO9386011117947")
        #expect(try NorwegianAccountNumber(iban: IBAN("NO93 8601 1117 947")) == account)
        #expect(try IBAN("NO9386011117947").norwegianAccountNumber == account)
        #expect(try IBAN("DE89370400440532013000").norwegianAccountNumber == nil)
        #expect { try NorwegianAccountNumber(iban: IBAN("DE89370400440532013000")) } throws: {
            ($0 as? ValidationIssue)?.issue == "country"
        }
    }

    @Test func checkDigitHelper() {
        #expect(NorwegianAccountNumber.checkDigit(for: [8, 6, 0, 1, 1, 1, 1, 7, 9, 4]) == 7)
        #expect(NorwegianAccountNumber.checkDigit(for: [8, 6, 0, 1]) == nil)
    }

    @Test func codable() throws {
        let account = try NorwegianAccountNumber("8601.11.17947")
        let data = try JSONEncoder().encode(account)
        #expect(String(decoding: data, as: UTF8.self) == #""86011117947""#)
        #expect(try JSONDecoder().decode(NorwegianAccountNumber.self, from: data) == account)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(NorwegianAccountNumber.self, from: Data(#""86011117948""#.utf8)) }
    }

    /// Random accounts: valid ones parse and convert to a valid IBAN and back; typos are refused.
    @Test func generatedAccounts() throws {
        var random = SeededGenerator(seed: 0xACC0_0017)
        var generated = 0
        while generated < 300 {
            let body = random.digits(10)
            guard let check = testMod11(body, [5, 4, 3, 2, 7, 6, 5, 4, 3, 2]) else {
                let bodyText = body.map(String.init).joined()
                for last in 0...9 { #expect(!NorwegianAccountNumber.isValid(bodyText + String(last))) }
                continue
            }
            let digits = (body + [check]).map(String.init).joined()
            let account = try NorwegianAccountNumber(digits)
            let iban = account.iban
            #expect(IBAN.isValid(iban.electronic))
            #expect(try NorwegianAccountNumber(iban: iban) == account)
            #expect(singleDigitMutations(of: digits).filter(NorwegianAccountNumber.isValid).isEmpty, "a one-digit typo was accepted")
            generated += 1
        }
    }
}
