import DropTestTools
import Foundation
import Testing
@testable import DropCore

@Suite("IBAN")
struct IBANTests {
    /// One registry example for every country Drop accepts (docs/protocols.md §5).
    static let examples = [
        "AT611904300234573201", "BE68539007547034", "BG80BNBG96611020345678", "HR1210010051863000160",
        "CY17002001280000001200527600", "CZ6508000000192000145399", "DK5000400440116243", "EE382200221020145685",
        "FI2112345600000785", "FR1420041010050500013M02606", "DE89370400440532013000", "GR1601101250000000012300695",
        "HU42117730161111101800000000", "IE29AIBK93115212345678", "IT60X0542811101000000123456", "LV80BANK0000435195001",
        "LT121000011101001000", "LU280019400644750000", "MT84MALT011000012345MTLCAST001S", "NL91ABNA0417164300",
        "PL61109010140000071219812874", "PT50000201231234567890154", "RO49AAAA1B31007593840000", "SK3112000000198742637541",
        "SI56263300012039086", "ES9121000418450200051332", "SE4550000000058398257466", "IS140159260076545510730339",
        "LI21088100002324013AA", "NO9386011117947", "CH9300762011623852957", "GB29NWBK60161331926819",
        "MC5811222000010123456789030", "SM86U0322509800000000270100", "VA59001123000012345678", "AD1200012030200359100100",
        "AL47212110090000000235698741", "ME25505000012345678951", "MD24AG000225100013104168", "MK07250120000058984",
        "RS35260005601001611379", "GI75NWBK000000007099453", "PK36SCBL0000001123456702", "TR330006100519786457841326",
        "BA391290079401028494", "UA213223130000026007233566001", "BR1800360305000010009795493C1", "TN5910006035183598478831",
        "EG380019000500000000263180002", "JO94CBJO0010000000000131000302", "IQ98NBIQ850123456789012", "SO211000001001000100141",
        "PS92PALS000000000400123456702", "LB62099900000001001901229114", "AE070331234567890123456", "SA0380000000608010167519",
        "GE29NB0000000101904917", "XK051212012345678906", "SD2129010501234001", "LY83002048000020100120361",
        "RU0204452560040702810412345678901",
    ]

    static let lengths: [String: Int] = [
        "AT": 20, "BE": 16, "BG": 22, "HR": 21, "CY": 28, "CZ": 24, "DK": 18, "EE": 20, "FI": 18, "FR": 27, "DE": 22,
        "GR": 27, "HU": 28, "IE": 22, "IT": 27, "LV": 21, "LT": 20, "LU": 20, "MT": 31, "NL": 18, "PL": 28, "PT": 25,
        "RO": 24, "SK": 24, "SI": 19, "ES": 24, "SE": 24, "IS": 26, "LI": 21, "NO": 15, "CH": 21, "GB": 22, "MC": 27,
        "SM": 27, "VA": 22, "AD": 24, "AL": 28, "ME": 22, "MD": 24, "MK": 19, "RS": 22, "GI": 23, "PK": 24, "TR": 26,
        "BA": 20, "UA": 29, "BR": 29, "TN": 24, "EG": 29, "JO": 30, "IQ": 23, "SO": 23, "PS": 29, "LB": 28, "AE": 23,
        "SA": 24, "GE": 22, "XK": 20, "SD": 18, "LY": 25, "RU": 33,
    ]

    @Test func protocolVectors() throws {
        let gb = try IBAN("GB82WEST12345698765432")
        #expect(gb.countryCode == (try CountryCode("GB")))
        #expect(gb.checkDigits == "82")
        #expect(gb.bban == "WEST12345698765432")
        #expect(gb.formatted == "GB82 WEST 1234 5698 7654 32")
        let de = try IBAN("DE89370400440532013000")
        #expect(de.formatted == "DE89 3704 0044 0532 0130 00")
        let no = try IBAN("NO9386011117947")
        #expect(no.countryCode == .norway)
        #expect(no.electronic == "NO9386011117947")
        #expect(no.formatted == "NO93 8601 1117 947")
        #expect(no.bban == "86011117947")
    }

    @Test func lengthTableCoversEveryCountryInProtocols() {
        #expect(Set(IBAN.supportedCountries.map(\.rawValue)) == Set(Self.lengths.keys))
        for (code, length) in Self.lengths {
            #expect(IBAN.expectedLength(for: try! CountryCode(code)) == length, "\(code)")
        }
        #expect(IBAN.expectedLength(for: try! CountryCode("US")) == nil)
    }

    @Test("registry example", arguments: examples)
    func registryExample(example: String) throws {
        let iban = try IBAN(example)
        #expect(iban.electronic == example)
        #expect(example.count == Self.lengths[String(example.prefix(2))])
        // The print form parses back to the same IBAN, also in lower case.
        #expect(try IBAN(iban.formatted) == iban)
        #expect(try IBAN(iban.formatted.lowercased()) == iban)
        #expect(try IBAN.checkDigits(country: iban.countryCode, bban: iban.bban) == iban.checkDigits)
    }

    @Test func inputIsNormalised() throws {
        #expect(try IBAN(" gb82 west 1234 5698 7654 32 ").electronic == "GB82WEST12345698765432")
        #expect(try IBAN("NO93\u{00A0}8601\u{00A0}1117\u{00A0}947").electronic == "NO9386011117947")
        #expect(try IBAN("GB82WEST12345698765432").description == "GB82WEST12345698765432")
    }

    @Test("refused with a reason", arguments: [
        ("", "format"),
        ("GB82", "format"),
        ("GB8", "format"),
        ("G182WEST12345698765432", "format"),
        ("GBX2WEST12345698765432", "format"),
        ("12GBWEST12345698765432", "format"),
        ("GB82-WEST-1234-5698-7654-32", "format"),
        ("GB82WEST1234569876543Ø", "format"),
        ("US12345678901234567", "country"),      // no IBANs in the USA
        ("XX82WEST12345698765432", "country"),   // not a country
        ("IN12345678901234567", "country"),      // a corridor without IBANs
        ("GB82WEST1234569876543", "length"),
        ("GB82WEST123456987654321", "length"),
        ("NO938601111794", "length"),
        ("NO93860111179470", "length"),
        ("GB82WEST12345698765433", "checksum"),
        ("GB28WEST12345698765432", "checksum"),  // transposed check digits
        ("DE89370400440532013001", "checksum"),
        ("NO9486011117947", "checksum"),
        ("NO6686011117948", "checksum"),         // mod 97 fine, account's mod-11 wrong
        ("NO088601111794A", "format"),           // mod 97 fine, letter in a Norwegian account
        ("NO9986010000108", "checksum"),         // 99 ≡ 02 (mod 97) but 99 is never issued
        ("NO0186010001678", "checksum"),         // 01 ≡ 98
        ("NO0086010002569", "checksum"),         // 00 ≡ 97
    ])
    func refused(input: String, issue: String) {
        #expect { try IBAN(input) } throws: { error in
            guard let error = error as? ValidationIssue else { return false }
            return error.issue == issue && error.field == "iban"
        }
        #expect(!IBAN.isValid(input))
    }

    @Test func theValidNeighboursOfTheNeverIssuedCheckDigitsAreFine() throws {
        #expect(IBAN.isValid("NO0286010000108"))
        #expect(IBAN.isValid("NO9886010001678"))
        #expect(IBAN.isValid("NO9786010002569"))
    }

    @Test func lengthMessageNamesTheExpectedLength() {
        #expect { try IBAN("GB82WEST1234569876543") } throws: { error in
            (error as? ValidationIssue)?.message.contains("22") == true
        }
        #expect { try IBAN("NO938601111794") } throws: { error in
            (error as? ValidationIssue)?.message.contains("15") == true
        }
    }

    @Test func computesCheckDigits() throws {
        #expect(try IBAN.checkDigits(country: CountryCode("GB"), bban: "WEST12345698765432") == "82")
        #expect(try IBAN.checkDigits(country: CountryCode("DE"), bban: "370400440532013000") == "89")
        #expect(try IBAN.checkDigits(country: .norway, bban: "86011117947") == "93")
        #expect(try IBAN.checkDigits(country: .norway, bban: "86010000108") == "02")
        #expect(try IBAN.make(country: CountryCode("GB"), bban: "WEST12345698765432").electronic == "GB82WEST12345698765432")
        #expect(throws: ValidationIssue.self) { try IBAN.checkDigits(country: .norway, bban: "") }
        #expect(throws: ValidationIssue.self) { try IBAN.checkDigits(country: .norway, bban: "8601-11") }
        // make still applies every rule, e.g. the country's length.
        #expect { try IBAN.make(country: .norway, bban: "8601111794") } throws: { ($0 as? ValidationIssue)?.issue == "length" }
        #expect { try IBAN.make(country: CountryCode("US"), bban: "123") } throws: { ($0 as? ValidationIssue)?.issue == "country" }
    }

    @Test func codable() throws {
        let iban = try IBAN("NO93 8601 1117 947")
        let data = try JSONEncoder().encode(iban)
        #expect(String(decoding: data, as: UTF8.self) == #""NO9386011117947""#)
        #expect(try JSONDecoder().decode(IBAN.self, from: data) == iban)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(IBAN.self, from: Data(#""NO9486011117947""#.utf8)) }
    }

    /// For every supported country, random BBANs of the registered length get computed check digits and
    /// must parse; changing one character of the BBAN (digit for digit, letter for letter) must not.
    @Test("generated IBANs", arguments: lengths.keys.sorted())
    func generated(country code: String) throws {
        var random = SeededGenerator(seed: UInt64(code.utf8.reduce(0) { $0 * 31 + Int($1) }))
        let country = try CountryCode(code)
        let bbanLength = Self.lengths[code]! - 4
        let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ"), digits = Array("0123456789")
        var made = 0
        while made < 40 {
            var bban: [Character]
            if country == .norway {
                let body = random.digits(10)
                guard let check = testMod11(body, [5, 4, 3, 2, 7, 6, 5, 4, 3, 2]) else { continue }
                bban = (body + [check]).map { Character(String($0)) }
            } else {
                bban = (0..<bbanLength).map { _ in
                    Int.random(in: 0..<4, using: &random) == 0 ? letters.randomElement(using: &random)! : digits.randomElement(using: &random)!
                }
            }
            let iban = try IBAN.make(country: country, bban: String(bban))
            #expect(iban.bban == String(bban))
            #expect(IBAN.isValid(iban.formatted))

            let position = Int.random(in: 0..<bban.count, using: &random)
            let pool = bban[position].isLetter ? letters : digits
            var typo = bban
            repeat { typo[position] = pool.randomElement(using: &random)! } while typo[position] == bban[position]
            #expect(!IBAN.isValid(code + iban.checkDigits + String(typo)), "\(code) typo at \(position)")
            made += 1
        }
    }
}
