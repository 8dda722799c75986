/// An ISO 4217 currency that Drop knows how to handle.
///
/// Only currencies in the table below can be constructed, so every `Currency` has a
/// known minor-unit exponent: money math never has to guess how many decimals an amount has.
public struct Currency: Hashable, Sendable, RawRepresentable, Comparable, CustomStringConvertible {
    /// The three-letter uppercase ISO 4217 code, e.g. `"NOK"`.
    public let rawValue: String
    /// Number of minor-unit digits: 2 for NOK (øre), 0 for JPY, 3 for KWD.
    public let exponent: Int
    /// ISO 4217 numeric code, e.g. 578 for NOK.
    public let numericCode: Int

    /// Accepts a known code, exactly as written (uppercase).
    public init?(rawValue: String) {
        guard let entry = Self.table[rawValue] else { return nil }
        self.rawValue = rawValue
        self.exponent = entry.exponent
        self.numericCode = entry.numeric
    }

    /// Accepts a known code in any letter case, spaces ignored (for codes typed or sent by partners).
    public init(code: String) throws(ValidationIssue) {
        let trimmed = ASCII.strippingSeparators(code, separators: []).map { ASCII.string($0.map(ASCII.uppercased)) }
        guard let trimmed, trimmed.utf8.count == 3, trimmed.utf8.allSatisfy(ASCII.isUppercaseLetter) else {
            throw ValidationIssue(field: "currency", issue: ValidationIssue.Code.format,
                                  message: "A currency must be a three-letter ISO 4217 code.")
        }
        guard let currency = Currency(rawValue: trimmed) else {
            throw ValidationIssue(field: "currency", issue: ValidationIssue.Code.unsupported,
                                  message: "That currency is not supported.")
        }
        self = currency
    }

    /// The code, e.g. `"NOK"`.
    public var code: String { rawValue }
    public var description: String { rawValue }

    public static func < (lhs: Currency, rhs: Currency) -> Bool { lhs.rawValue < rhs.rawValue }

    // Equality and hashing go by the code alone; exponent and numeric code follow from it.
    public static func == (lhs: Currency, rhs: Currency) -> Bool { lhs.rawValue == rhs.rawValue }
    public func hash(into hasher: inout Hasher) { hasher.combine(rawValue) }

    public static let nok = Currency(known: "NOK")
    public static let eur = Currency(known: "EUR")
    public static let usd = Currency(known: "USD")
    public static let gbp = Currency(known: "GBP")
    public static let sek = Currency(known: "SEK")
    public static let dkk = Currency(known: "DKK")

    /// Every supported currency, sorted by code.
    public static let all: [Currency] = table.keys.sorted().map { Currency(known: $0) }

    /// For codes from the table, whose presence the tests pin down.
    private init(known code: String) {
        let entry = Self.table[code] ?? Entry(2, 0)
        self.rawValue = code
        self.exponent = entry.exponent
        self.numericCode = entry.numeric
    }

    private struct Entry: Sendable {
        let exponent: Int
        let numeric: Int
        init(_ exponent: Int, _ numeric: Int) {
            self.exponent = exponent
            self.numeric = numeric
        }
    }

    // ISO 4217 (list one, amendment 179 era). Exponents are ISO's, which is what banks and
    // ISO 20022 use, even where cash has no coins that small (ISK and UGX are 0; HUF stays 2).
    private static let table: [String: Entry] = [
        // Nordics and Europe
        "NOK": Entry(2, 578), "SEK": Entry(2, 752), "DKK": Entry(2, 208), "ISK": Entry(0, 352),
        "EUR": Entry(2, 978), "GBP": Entry(2, 826), "CHF": Entry(2, 756), "PLN": Entry(2, 985),
        "CZK": Entry(2, 203), "HUF": Entry(2, 348), "RON": Entry(2, 946), "BGN": Entry(2, 975),
        "TRY": Entry(2, 949), "BAM": Entry(2, 977), "RSD": Entry(2, 941), "UAH": Entry(2, 980),
        "ALL": Entry(2, 8), "MKD": Entry(2, 807), "MDL": Entry(2, 498), "GEL": Entry(2, 981),
        "GIP": Entry(2, 292), "RUB": Entry(2, 643),
        // Americas
        "USD": Entry(2, 840), "CAD": Entry(2, 124), "BRL": Entry(2, 986), "MXN": Entry(2, 484),
        "CLP": Entry(0, 152), "PYG": Entry(0, 600), "COP": Entry(2, 170),
        // Asia and Oceania
        "JPY": Entry(0, 392), "KRW": Entry(0, 410), "VND": Entry(0, 704), "CNY": Entry(2, 156),
        "HKD": Entry(2, 344), "SGD": Entry(2, 702), "INR": Entry(2, 356), "PKR": Entry(2, 586),
        "BDT": Entry(2, 50), "NPR": Entry(2, 524), "LKR": Entry(2, 144), "AFN": Entry(2, 971),
        "PHP": Entry(2, 608), "THB": Entry(2, 764), "IDR": Entry(2, 360), "MYR": Entry(2, 458),
        "AUD": Entry(2, 36), "NZD": Entry(2, 554),
        // Middle East and North Africa
        "AED": Entry(2, 784), "SAR": Entry(2, 682), "QAR": Entry(2, 634), "ILS": Entry(2, 376),
        "BHD": Entry(3, 48), "KWD": Entry(3, 414), "OMR": Entry(3, 512), "JOD": Entry(3, 400),
        "TND": Entry(3, 788), "LYD": Entry(3, 434), "IQD": Entry(3, 368), "LBP": Entry(2, 422),
        "EGP": Entry(2, 818), "MAD": Entry(2, 504), "SDG": Entry(2, 938),
        // Sub-Saharan Africa
        "NGN": Entry(2, 566), "KES": Entry(2, 404), "ETB": Entry(2, 230), "ERN": Entry(2, 232),
        "SOS": Entry(2, 706), "GHS": Entry(2, 936), "UGX": Entry(0, 800), "TZS": Entry(2, 834),
        "RWF": Entry(0, 646), "XOF": Entry(0, 952), "XAF": Entry(0, 950), "ZAR": Entry(2, 710),
        "BIF": Entry(0, 108), "DJF": Entry(0, 262), "GNF": Entry(0, 324), "KMF": Entry(0, 174),
    ]
}

extension Currency: Codable {
    /// Encoded as the bare code, `"NOK"`; decoding refuses unsupported codes.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let code = try container.decode(String.self)
        guard let currency = Currency(rawValue: code) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "Unsupported currency code.")
        }
        self = currency
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
