import DropCore
import DropProviders
import DropSandbox
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("FX feed sandbox")
struct FXFeedSandboxTests {
    static let saturday = utcInstant("2026-11-21T12:00:00Z")
    static let header = "FREQ;Frequency;BASE_CUR;Base Currency;QUOTE_CUR;Quote Currency;TENOR;Tenor;DECIMALS;CALCULATED;UNIT_MULT;Unit Multiplier;COLLECTION;Collection Indicator;TIME_PERIOD;OBS_VALUE"
    static let required = "EUR USD GBP SEK DKK PLN CHF ISK CZK HUF RON BGN TRY PKR INR PHP NGN KES ETB VND THB LKR BAM RSD UAH BRL MAD JPY CNY AUD CAD AED"
        .split(separator: " ").map(String.init)

    /// GETs `path` (under /sandbox/fx/api/data/EXR/) and hands back status, headers and body.
    func get(_ path: String, now: Date = saturday, faults: SandboxFaultControl = SandboxFaultControl()) async throws -> (HTTPResponse.Status, HTTPFields, String) {
        let harness = FXFeedHarness(now: now, faults: faults)
        return try await harness.app.test(.router) { client in
            try await client.execute(uri: "/sandbox/fx/api/data/EXR/" + path, method: .get) { response in
                (response.status, response.headers, response.csvText)
            }
        }
    }

    func rows(_ text: String) -> [[String]] {
        text.split(separator: "\n").dropFirst().map { $0.split(separator: ";", omittingEmptySubsequences: false).map(String.init) }
    }

    @Test("serves Norges Bank's CSV shape, newest business day on a Saturday")
    func csvShape() async throws {
        let (status, headers, text) = try await get("B.EUR+SEK.NOK.SP?format=csv&lastNObservations=1")
        #expect(status == .ok)
        #expect(headers[.contentType]?.hasPrefix("text/csv") == true)
        #expect(text.split(separator: "\n").first.map(String.init) == Self.header)
        let rows = rows(text)
        #expect(rows.count == 2)
        #expect(rows.allSatisfy { $0.count == 16 })
        #expect(rows[0][0...7] == ["B", "Business", "EUR", "Euro", "NOK", "Norwegian krone", "SP", "Spot"])
        #expect(rows[0][10...11] == ["0", "Units"])
        #expect(rows[1][2] == "SEK")
        #expect(rows[1][10...11] == ["2", "Hundreds"])
        #expect(rows.allSatisfy { $0[14] == "2026-11-20" })
    }

    @Test("rates are plausible for late 2026 and every corridor currency is there")
    func plausibleRates() async throws {
        let (status, _, text) = try await get("B..NOK.SP?format=csv&lastNObservations=1")
        #expect(status == .ok)
        let observations = try NorgesBankCSVParser().parse(text)
        let byCode = Dictionary(observations.map { ($0.baseCurrency, $0) }, uniquingKeysWith: { a, _ in a })
        for code in Self.required { #expect(byCode[code] != nil, "missing \(code)") }
        func nok(_ code: String) -> Int64 { byCode[code]?.nokPerUnit.scaled ?? 0 }
        func between(_ code: String, _ low: String, _ high: String) throws {
            let value = try #require(byCode[code]).nokPerUnit
            let (lower, upper) = (try FixedPointRate(parsing: low), try FixedPointRate(parsing: high))
            #expect(value >= lower && value <= upper, "\(code) = \(value)")
        }
        try between("EUR", "11.5", "11.9")
        try between("USD", "10", "11")
        try between("GBP", "13.5", "14")
        try between("SEK", "1.05", "1.10")
        try between("PLN", "2.6", "2.8")
        try between("PKR", "0.036", "0.039")
        try between("INR", "0.115", "0.125")
        try between("PHP", "0.17", "0.19")
        try between("JPY", "0.065", "0.073")
        try between("VND", "0.0003", "0.0005")
        #expect(byCode["SEK"]?.unitMultiplier == 2)
        #expect(byCode["DKK"]?.unitMultiplier == 2)
        #expect(byCode["JPY"]?.unitMultiplier == 2)
        #expect(byCode["EUR"]?.unitMultiplier == 0)
        #expect(nok("GBP") > nok("EUR") && nok("EUR") > nok("USD"))
    }

    @Test("publication cut-off, weekends and Norwegian holidays", arguments: [
        ("2026-11-21T12:00:00Z", "2026-11-20"), // Saturday → Friday
        ("2026-11-22T23:59:00Z", "2026-11-20"), // Sunday → Friday
        ("2026-11-23T10:00:00Z", "2026-11-20"), // Monday morning, not yet published
        ("2026-11-23T15:00:00Z", "2026-11-23"), // Monday afternoon
        ("2026-05-14T18:00:00Z", "2026-05-13"), // Ascension Day
        ("2026-04-06T18:00:00Z", "2026-04-01"), // Easter Monday, after Maundy Thursday and Good Friday
        ("2026-12-28T09:00:00Z", "2026-12-23"), // Monday morning after Christmas: none on Christmas Eve
        ("2026-12-24T18:00:00Z", "2026-12-23"), // Christmas Eve, a weekday without rates
    ])
    func latestBusinessDay(now: String, expected: String) async throws {
        let (_, _, text) = try await get("B.USD.NOK.SP?format=csv&lastNObservations=1", now: utcInstant(now))
        #expect(rows(text).map { $0[14] } == [expected])
    }

    @Test("startPeriod/endPeriod select business days only")
    func periodRange() async throws {
        let (_, _, text) = try await get("B.EUR.NOK.SP?format=csv&startPeriod=2026-11-02&endPeriod=2026-11-08")
        #expect(rows(text).map { $0[14] } == ["2026-11-02", "2026-11-03", "2026-11-04", "2026-11-05", "2026-11-06"])
    }

    @Test("lastNObservations gives the newest N per series, oldest first")
    func lastN() async throws {
        let (_, _, text) = try await get("B.EUR+USD.NOK.SP?format=csv&lastNObservations=3")
        let rows = rows(text)
        #expect(rows.map { "\($0[2]) \($0[14])" } == [
            "EUR 2026-11-18", "EUR 2026-11-19", "EUR 2026-11-20",
            "USD 2026-11-18", "USD 2026-11-19", "USD 2026-11-20",
        ])
    }

    @Test("nothing is published after today")
    func noFutureObservations() async throws {
        let (_, _, text) = try await get("B.EUR.NOK.SP?format=csv&startPeriod=2026-11-19&endPeriod=2027-01-31")
        #expect(rows(text).map { $0[14] } == ["2026-11-19", "2026-11-20"])
    }

    @Test("values are deterministic and drift a little from day to day")
    func deterministicDrift() async throws {
        let query = "B.EUR+SEK+PKR.NOK.SP?format=csv&startPeriod=2026-06-01&endPeriod=2026-11-20"
        let (_, _, first) = try await get(query)
        let (_, _, second) = try await get(query, now: utcInstant("2026-11-25T12:00:00Z"))
        #expect(first == second)

        let observations = try NorgesBankCSVParser().parse(first)
        for code in ["EUR", "SEK", "PKR"] {
            let values = observations.filter { $0.baseCurrency == code }.map(\.publishedValue.scaled)
            #expect(values.count > 100)
            #expect(Set(values).count > values.count / 2, "\(code) should move")
            for (yesterday, today) in zip(values, values.dropFirst()) {
                let changePermille = abs(today - yesterday) * 1000 / yesterday
                #expect(changePermille < 5, "\(code) jumped \(changePermille)‰")
            }
            let spreadPermille = (values.max()! - values.min()!) * 1000 / values.min()!
            #expect(spreadPermille < 20)
        }
    }

    @Test("monthly and annual averages cover complete periods only")
    func averages() async throws {
        let (_, _, monthly) = try await get("M.EUR.NOK.SP?format=csv&lastNObservations=2")
        let monthRows = rows(monthly)
        #expect(monthRows.map { $0[14] } == ["2026-09", "2026-10"])
        #expect(monthRows.allSatisfy { $0[0] == "M" && $0[1] == "Monthly" && $0[12] == "A" })

        let (_, _, annual) = try await get("A.USD.NOK.SP?format=csv&lastNObservations=1")
        #expect(rows(annual).map { $0[14] } == ["2025"])
    }

    @Test("an empty currency dimension means all currencies")
    func allCurrencies() async throws {
        let (_, _, text) = try await get("B..NOK.SP?format=csv&lastNObservations=1")
        let codes = rows(text).map { $0[2] }
        #expect(codes == codes.sorted())
        #expect(Set(Self.required).isSubset(of: Set(codes)))
        #expect(codes.count >= 40)
    }

    @Test("a percent-encoded + works like a literal one")
    func encodedPlus() async throws {
        let (_, _, text) = try await get("B.EUR%2BUSD.NOK.SP?format=csv&lastNObservations=1")
        #expect(rows(text).map { $0[2] } == ["EUR", "USD"])
    }

    @Test("unknown series answer 404 with an SDMX error", arguments: [
        "B.XXX.NOK.SP", "B.EUR.SEK.SP", "B.EUR.NOK.FW", "Q.EUR.NOK.SP", "B.eur.NOK.SP",
    ])
    func notFound(key: String) async throws {
        let (status, headers, text) = try await get(key + "?format=csv&lastNObservations=1")
        #expect(status == .notFound)
        #expect(headers[.contentType]?.hasPrefix("application/xml") == true)
        #expect(text.contains(#"<message:ErrorMessage code="100">"#))
        #expect(text.contains("No Results Found"))
    }

    @Test("bad queries answer 400", arguments: [
        "B.EUR.NOK?format=csv",
        "B.EUR.NOK.SP.X?format=csv",
        "B.EUR.NOK.SP",
        "B.EUR.NOK.SP?format=xml",
        "B.EUR.NOK.SP?format=sdmx-json",
        "B.EUR.NOK.SP?format=csv&lastNObservations=0",
        "B.EUR.NOK.SP?format=csv&lastNObservations=abc",
        "B.EUR.NOK.SP?format=csv&startPeriod=yesterday",
        "B.EUR.NOK.SP?format=csv&startPeriod=2026-02-30",
        "B.EUR.NOK.SP?format=csv&startPeriod=2026-11-10&endPeriod=2026-11-01",
        "B.EU<R.NOK.SP?format=csv",
        "B.EUR.NOK.SP?format=csv&locale=xx",
    ])
    func badRequest(path: String) async throws {
        let (status, _, text) = try await get(path)
        #expect(status == .badRequest)
        #expect(text.contains("<message:Error"))
    }

    @Test("a month or year is accepted as a period bound")
    func coarsePeriods() async throws {
        let (status, _, text) = try await get("B.EUR.NOK.SP?format=csv&startPeriod=2026-10&endPeriod=2026-10")
        #expect(status == .ok)
        #expect(rows(text).count == 22) // business days in October 2026
        let (yearStatus, _, _) = try await get("A.EUR.NOK.SP?format=csv&startPeriod=2024&endPeriod=2025")
        #expect(yearStatus == .ok)
    }

    @Test("fault modes: down, failing for the next requests, garbage")
    func faults() async throws {
        let faults = SandboxFaultControl()
        let harness = FXFeedHarness(now: Self.saturday, faults: faults)
        let uri = "/sandbox/fx/api/data/EXR/B.EUR.NOK.SP?format=csv&lastNObservations=1"
        try await harness.app.test(.router) { client in
            faults.fault = .unavailable
            try await client.execute(uri: uri, method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(response.headers[.retryAfter] == "1")
            }
            faults.fault = nil
            faults.failNext(2, with: .serverError)
            for expected in [HTTPResponse.Status.internalServerError, .internalServerError, .ok] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == expected)
                }
            }
            #expect(faults.requestCount == 4)

            faults.fault = .garbage
            try await client.execute(uri: uri, method: .get) { response in
                #expect(response.status == .ok)
                #expect(throws: NorgesBankCSVError.self) { try NorgesBankCSVParser().parse(response.csvText) }
            }
            faults.reset()
            #expect(faults.requestCount == 0)
            try await client.execute(uri: uri, method: .get) { response in
                #expect(response.status == .ok)
            }
        }
    }
}
