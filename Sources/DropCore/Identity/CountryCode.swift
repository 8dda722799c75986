/// An ISO 3166-1 alpha-2 country code, e.g. `NO`.
///
/// Only officially assigned codes are accepted, plus `XK` (Kosovo): a user-assigned code
/// that the IBAN registry and SWIFT both use, and a corridor Drop serves.
public struct CountryCode: Hashable, Sendable, RawRepresentable, Comparable, CustomStringConvertible {
    /// The two uppercase letters.
    public let rawValue: String

    /// Accepts an assigned code exactly as written (uppercase).
    public init?(rawValue: String) {
        guard Self.assigned.contains(rawValue) else { return nil }
        self.rawValue = rawValue
    }

    /// Accepts an assigned code in any letter case, spaces ignored.
    public init(_ code: String) throws(ValidationIssue) {
        guard let bytes = ASCII.strippingSeparators(code, separators: []), bytes.count == 2, bytes.allSatisfy(ASCII.isLetter) else {
            throw ValidationIssue(field: "country", issue: ValidationIssue.Code.format,
                                  message: "A country must be a two-letter ISO 3166 code.")
        }
        guard let country = CountryCode(rawValue: ASCII.string(bytes.map(ASCII.uppercased))) else {
            throw ValidationIssue(field: "country", issue: ValidationIssue.Code.country,
                                  message: "That is not a known ISO 3166 country code.")
        }
        self = country
    }

    public var description: String { rawValue }

    public static func < (lhs: CountryCode, rhs: CountryCode) -> Bool { lhs.rawValue < rhs.rawValue }

    public static let norway = CountryCode(assigned: "NO")

    /// Every accepted code, sorted.
    public static let all: [CountryCode] = assigned.sorted().map(CountryCode.init(assigned:))

    private init(assigned code: String) { rawValue = code }

    // ISO 3166-1 alpha-2, the 249 assigned codes, plus XK.
    private static let assigned: Set<String> = Set("""
        AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ \
        BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ \
        CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ \
        DE DJ DK DM DO DZ \
        EC EE EG EH ER ES ET \
        FI FJ FK FM FO FR \
        GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY \
        HK HM HN HR HT HU \
        ID IE IL IM IN IO IQ IR IS IT \
        JE JM JO JP \
        KE KG KH KI KM KN KP KR KW KY KZ \
        LA LB LC LI LK LR LS LT LU LV LY \
        MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ \
        NA NC NE NF NG NI NL NO NP NR NU NZ \
        OM \
        PA PE PF PG PH PK PL PM PN PR PS PT PW PY \
        QA \
        RE RO RS RU RW \
        SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ \
        TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ \
        UA UG UM US UY UZ \
        VA VC VE VG VI VN VU \
        WF WS \
        YE YT \
        ZA ZM ZW \
        XK
        """.split(separator: " ").map(String.init))
}

extension CountryCode: Codable {
    /// Encoded as the bare code, `"NO"`; decoding refuses unknown codes.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let code = try container.decode(String.self)
        guard let country = CountryCode(rawValue: code) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "Unknown ISO 3166 country code.")
        }
        self = country
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
