import DropKit
import Foundation
import Testing
@testable import DropAPI

/// The price before signing in (issue 16, item 1): `GET /v1/prices` and the front page's calculator.
@Suite("Price calculator: the same price as a quote, for anyone, rate-limited")
struct PriceCalculatorTests {
    static let nbsp = "\u{00A0}"

    @Test func anyoneSeesWhatATransferCostsAndBringsWithoutSigningIn() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            try await server.refreshExchangeRates()
            let price = try await server.get("/v1/prices?country=DE&currency=EUR&sendAmountMinor=250000")
            #expect(price.status == 200)
            let priced = try price.decode(Price.self)
            #expect(priced.fee.amountMinor == 1_250 && priced.total.amountMinor == 251_250 && priced.receive.currency == "EUR")
            #expect(try priced.estimatedDelivery == "same or next business day" && !price.fieldNames().contains("id"))
            // The same numbers as the quote a signed-in person then gets; the calculator stored nothing.
            let auth = try await KYCTests.onboardAndVerify(server, "15039010043").auth
            let quote = try await server.postJSON("/v1/quotes", #"{"country":"DE","currency":"EUR","sendAmountMinor":250000}"#, headers: [auth])
                .decode(DropKit.Quote.self)
            #expect(quote.send == priced.send && quote.fee == priced.fee && quote.total == priced.total)
            #expect(quote.receive == priced.receive && quote.rate == priced.rate && quote.rateAsOf == priced.rateAsOf)
            let receiving = try await server.get("/v1/prices?country=PL&currency=PLN&receiveAmountMinor=100000").decode(Price.self)
            #expect(receiving.receive.amountMinor == 100_000)

            // Bad input: the envelope, on the field, never a 500.
            for (query, status, code, field) in [
                ("country=DE&currency=EUR", 422, "VALIDATION_FAILED", "sendAmountMinor"),
                ("country=DE&currency=EUR&sendAmountMinor=12x", 422, "VALIDATION_FAILED", "sendAmountMinor"),
                ("country=DE&currency=EUR&sendAmountMinor=99999999999999999999", 422, "VALIDATION_FAILED", "sendAmountMinor"),
                ("country=XX&currency=EUR&sendAmountMinor=250000", 422, "VALIDATION_FAILED", "country"),
                ("country=DE&currency=EUR&sendAmountMinor=100&receiveAmountMinor=100", 422, "VALIDATION_FAILED", "receiveAmountMinor"),
                ("country=DE&currency=EUR&sendAmountMinor=-5", 422, "VALIDATION_FAILED", "sendAmountMinor"),
                ("country=DE&currency=EUR&sendAmountMinor=100", 422, "LIMIT_EXCEEDED", "sendAmountMinor"),
            ] {
                let answer = try await server.get("/v1/prices?" + query)
                #expect(answer.status == status && answer.errorCode == code && answer.errorDetails.contains { $0.field == field },
                        "\(query): \(answer.body)")
            }
        }
    }

    @Test func theFrontPageCalculatesInTheVisitorsLanguageAndSaysWhyItIsSafe() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            try await server.refreshExchangeRates()
            let home = try await server.get("/")
            #expect(home.body.contains(#"<form method="get" action="/price#price" novalidate>"#) && home.body.contains("Hva koster det?"))
            #expect(home.body.contains("Trygt fordi banken din betaler") && home.body.contains("under tilsyn av Finanstilsynet"))

            let priced = try await server.get("/price?amount=2+500&corridor=DE-EUR")
            #expect(priced.status == 200)
            #expect(priced.body.contains("<dd>12,50\(Self.nbsp)kr</dd>") && priced.body.contains("<strong>2\(Self.nbsp)512,50\(Self.nbsp)kr</strong>"))
            #expect(priced.body.contains("<dd>samme eller neste virkedag</dd>") && priced.body.contains("Norges Banks referansekurs fra 1") && priced.body.contains(". oktober 2026, uten påslag"))
            #expect(priced.body.contains(#"<option value="DE-EUR" selected>"#) && priced.body.contains(#"value="2 500""#))
            // The rate to five significant digits, not the ten it is computed with.
            let rate = try #require(priced.body.firstMatch(of: /1 kr = ([0-9,]+) EUR/)?.1)
            #expect(rate.filter(\.isNumber).drop { $0 == "0" }.count <= 5, "\(rate)")
            let english = try await server.get("/price?amount=2500&corridor=DE-EUR", headers: [("cookie", "drop_lang=en")])
            #expect(english.body.contains("NOK 12.50") && english.body.contains("What does it cost?") && english.body.contains("Arrives"))

            // Mistakes are said on their field, filled and in the page's language.
            let low = try await server.get("/price?amount=50&corridor=DE-EUR")
            #expect(low.status == 422 && low.body.contains("Beløpet er for lavt. Send mellom 100,00\(Self.nbsp)kr og") && !low.body.contains("{min}"))
            #expect(low.body.contains(##"<a href="#amount">"##))
            let typo = try await server.get("/price?amount=12x&corridor=DE-EUR")
            #expect(typo.status == 422 && typo.body.contains(#"id="amount-error""#) && typo.body.contains(#"value="12x""#))
            let nowhere = try await server.get("/price?amount=100&corridor=%3Cscript%3E")
            #expect(nowhere.status == 422 && nowhere.body.contains("Velg landet mottakeren bor i.") && !nowhere.body.contains("<script>"))
        }
    }

    /// Open to anyone, so limited per address; the page and the API share one budget.
    @Test func theCalculatorIsRateLimitedPerAddress() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon), rateLimited: true) { server in
            try await server.refreshExchangeRates()
            for index in 1...60 {
                let path = index.isMultiple(of: 2) ? "/price?amount=1000&corridor=DE-EUR" : "/v1/prices?country=DE&currency=EUR&sendAmountMinor=100000"
                #expect(try await server.get(path).status == 200, "request \(index)")
            }
            let refused = try await server.get("//v1//prices?country=DE&currency=EUR&sendAmountMinor=100000")
            #expect(refused.status == 429 && refused.headers.first(name: "retry-after") != nil)
            #expect(try await server.get("/price?amount=1000&corridor=DE-EUR").status == 429)
            #expect(try await server.get("/").status == 200)
        }
    }
}
