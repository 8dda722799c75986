import DropCore
@testable import DropProviders
import Testing

@Suite("Norges Bank CSV")
struct NorgesBankCSVParserTests {
    static let header = "FREQ;Frequency;BASE_CUR;Base Currency;QUOTE_CUR;Quote Currency;TENOR;Tenor;DECIMALS;CALCULATED;UNIT_MULT;Unit Multiplier;COLLECTION;Collection Indicator;TIME_PERIOD;OBS_VALUE"

    static let sample = """
    \(header)
    B;Business;SEK;Swedish krona;NOK;Norwegian krone;SP;Spot;4;false;2;Hundreds;C;ECB concertation time 14:15 CET;2026-11-20;107.2
    B;Business;USD;US dollar;NOK;Norwegian krone;SP;Spot;4;false;0;Units;C;ECB concertation time 14:15 CET;2026-11-20;10.4512

    """

    let parser = NorgesBankCSVParser()

    @Test("reads rows and applies UNIT_MULT")
    func readsRows() throws {
        let rows = try parser.parse(Self.sample)
        #expect(rows.count == 2)
        let sek = try #require(rows.first)
        #expect(sek.baseCurrency == "SEK")
        #expect(sek.quoteCurrency == "NOK")
        #expect(sek.frequency == "B")
        #expect(sek.timePeriod == "2026-11-20")
        #expect(sek.unitMultiplier == 2)
        #expect(sek.publishedValue.description == "107.2")
        #expect(sek.nokPerUnit.description == "1.072")
        #expect(rows[1].nokPerUnit.description == "10.4512")
    }

    @Test("finds columns by name, whatever their order")
    func columnsByName() throws {
        let text = """
        OBS_VALUE;TIME_PERIOD;EXTRA;UNIT_MULT;QUOTE_CUR;BASE_CUR
        3.7200;2026-11-20;whatever;2;NOK;PKR
        """
        let rows = try parser.parse(text)
        #expect(rows.map(\.nokPerUnit.description) == ["0.0372"])
        #expect(rows.first?.frequency == nil)
    }

    @Test("tolerates BOM, CRLF, blank lines, padding and quoted fields")
    func tolerantOfFormatting() throws {
        let text = "\u{FEFF}\(Self.header)\r\n"
            + "B;Business;EUR;\"Euro; the currency\";NOK;Norwegian krone;SP;Spot;4;false; 0 ;Units;C;\"ECB \"\"concertation\"\"\";2026-11-20; 11.7034 \r\n"
            + "\r\n"
        let rows = try parser.parse(text)
        #expect(rows.count == 1)
        #expect(rows.first?.nokPerUnit.description == "11.7034")
    }

    @Test("reads comma-separated SDMX-CSV too")
    func commaSeparated() throws {
        let rows = try parser.parse("BASE_CUR,QUOTE_CUR,UNIT_MULT,TIME_PERIOD,OBS_VALUE\nJPY,NOK,2,2026-11-20,6.95\n")
        #expect(rows.first?.nokPerUnit.description == "0.0695")
    }

    @Test("a header without rows is an empty answer")
    func headerOnly() throws {
        #expect(try parser.parse(Self.header + "\n").isEmpty)
    }

    @Test("an empty body is an error")
    func empty() {
        #expect(throws: NorgesBankCSVError.empty) { try parser.parse("") }
        #expect(throws: NorgesBankCSVError.empty) { try parser.parse("\n\n") }
    }

    @Test("missing columns are named", arguments: ["OBS_VALUE", "UNIT_MULT", "TIME_PERIOD", "BASE_CUR"])
    func missingColumn(column: String) {
        let header = Self.header.split(separator: ";").filter { $0 != column }.joined(separator: ";")
        #expect(throws: NorgesBankCSVError.missingColumn(column)) { try parser.parse(header + "\n") }
    }

    @Test("an HTML or XML error page is not mistaken for data")
    func notCSV() {
        #expect(throws: NorgesBankCSVError.missingColumn("BASE_CUR")) {
            try parser.parse("<?xml version=\"1.0\"?><message:Error/>")
        }
    }

    @Test("a truncated answer is an error, not a short list")
    func truncated() {
        let text = Self.header + "\nB;Business;USD;US dollar;NOK;Norwegian kr"
        #expect(throws: NorgesBankCSVError.wrongFieldCount(line: 2, expected: 16, found: 6)) { try parser.parse(text) }
    }

    @Test("an unterminated quote is an error")
    func unterminatedQuote() {
        #expect(throws: NorgesBankCSVError.unterminatedQuote(line: 2)) {
            try parser.parse("BASE_CUR;QUOTE_CUR;UNIT_MULT;TIME_PERIOD;OBS_VALUE\n\"USD;NOK;0;2026-11-20;10.1\n")
        }
    }

    @Test("bad numbers are rejected with their line and column", arguments: [
        ("10,4512", "OBS_VALUE"), ("", "OBS_VALUE"), ("NaN", "OBS_VALUE"), ("-1.5", "OBS_VALUE"),
        ("1e2", "OBS_VALUE"), ("0", "OBS_VALUE"),
    ])
    func badValue(value: String, column: String) {
        let text = "BASE_CUR;QUOTE_CUR;UNIT_MULT;TIME_PERIOD;OBS_VALUE\nUSD;NOK;0;2026-11-20;10.1\nEUR;NOK;0;2026-11-20;\(value)\n"
        #expect(throws: NorgesBankCSVError.badValue(line: 3, column: column, value: value)) { try parser.parse(text) }
    }

    @Test("bad codes, periods and multipliers are rejected", arguments: [
        ("usd;NOK;0;2026-11-20;10.1", "BASE_CUR", "usd"),
        ("USD;NOKK;0;2026-11-20;10.1", "QUOTE_CUR", "NOKK"),
        ("USD;NOK;x;2026-11-20;10.1", "UNIT_MULT", "x"),
        ("USD;NOK;-2;2026-11-20;10.1", "UNIT_MULT", "-2"),
        ("USD;NOK;12;2026-11-20;10.1", "UNIT_MULT", "12"),
        ("USD;NOK;0;20-11-2026;10.1", "TIME_PERIOD", "20-11-2026"),
        ("USD;NOK;0;2026-13-01;10.1", "TIME_PERIOD", "2026-13-01"),
    ])
    func badFields(row: String, column: String, value: String) {
        let text = "BASE_CUR;QUOTE_CUR;UNIT_MULT;TIME_PERIOD;OBS_VALUE\n\(row)\n"
        #expect(throws: NorgesBankCSVError.badValue(line: 2, column: column, value: value)) { try parser.parse(text) }
    }

    @Test("client keeps the newest business-day value per currency")
    func newestPerCurrency() throws {
        let client = NorgesBankRatesClientFixture.client()
        let text = """
        FREQ;BASE_CUR;QUOTE_CUR;UNIT_MULT;TIME_PERIOD;OBS_VALUE
        B;EUR;NOK;0;2026-11-19;11.6
        B;EUR;NOK;0;2026-11-20;11.7
        B;EUR;NOK;0;2026-11-18;11.5
        M;EUR;NOK;0;2026-10;11.9
        B;SEK;NOK;2;2026-11-20;107.2
        """
        let quotes = try client.quotes(fromCSV: text)
        #expect(quotes.map(\.quote) == ["EUR", "SEK"])
        #expect(quotes[0].nokPerUnit.description == "11.7")
        #expect(quotes[0].unitsPerNok.description == "0.0854700855")
        #expect(quotes[0].asOf == "2026-11-20")
        #expect(quotes[0].source == "Norges Bank")
        #expect(quotes[0].base == "NOK")
        #expect(quotes[1].nokPerUnit.description == "1.072")
    }

    @Test("client turns unreadable answers into ProviderError.decoding")
    func clientDecodingErrors() {
        let client = NorgesBankRatesClientFixture.client()
        for text in ["", "garbage", Self.header + "\n", Self.header + "\nB;Business;USD"] {
            #expect {
                try client.quotes(fromCSV: text)
            } throws: { error in
                guard case .decoding(let provider, _) = error as? ProviderError else { return false }
                return provider == "norges-bank"
            }
        }
    }
}

enum NorgesBankRatesClientFixture {
    /// A client whose HTTP side is never used (only its CSV handling is).
    static func client() -> NorgesBankRatesClient {
        NorgesBankRatesClient(
            baseURL: "http://127.0.0.1:9/sandbox/fx/",
            http: ResilientHTTPClient(provider: "norges-bank", httpClient: .shared, breaker: CircuitBreaker(provider: "norges-bank"))
        )
    }
}
