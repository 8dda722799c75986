import DropCore
import DropKit
import DropStore
import Foundation
import SQLKit
import Testing
@testable import DropAPI

@Suite("Quotes over HTTP")
struct QuotesTests {
    /// `send` øre × rate, half-up to the target's minor unit (currencies with two decimals, like NOK).
    static func converted(_ send: Int64, rate: String) throws -> Int64 {
        let scaled = try FixedPointRate(parsing: rate).scaled
        return (send * scaled + FixedPointRate.scaleFactor / 2) / FixedPointRate.scaleFactor
    }

    /// The answer as the app reads it.
    static func quote(_ reply: LiveServer.Reply) throws -> DropKit.Quote {
        #expect(reply.status == 201 || reply.status == 200, "\(reply.body)")
        return try reply.decode(DropKit.Quote.self)
    }

    @Test func aQuoteFromTheAmountSentUsesTheStoredRateAndTheFee() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            try await server.refreshExchangeRates()
            let auth = try await server.bearer("15039010043")
            let created = try await server.call(.POST, "/v1/quotes", #"{"country":"PL","currency":"PLN","sendAmountMinor":100000}"#, auth: auth)
            #expect(created.status == 201)
            let quote = try Self.quote(created)
            let rate = try #require(try await server.storedRate("PLN"))
            #expect(quote.rate == rate)
            #expect(quote.send == DropKit.Money(amountMinor: 100_000, currency: "NOK"))
            #expect(quote.fee == DropKit.Money(amountMinor: 500, currency: "NOK"))      // 0.5 % of 1 000,00
            #expect(quote.total == DropKit.Money(amountMinor: 100_500, currency: "NOK"))
            let receive = quote.receive
            #expect(receive.currency == "PLN")
            #expect(receive.amountMinor == (try Self.converted(100_000, rate: rate)))
            #expect(receive.amountMinor > 30_000 && receive.amountMinor < 45_000, "1 000 NOK is a few hundred złoty")
            #expect(quote.country == "PL" && quote.rateAsOf == "2026-10-13" && quote.status == .open)
            #expect(quote.expiresAt == quote.createdAt.addingTimeInterval(900))
            #expect(abs(quote.createdAt.timeIntervalSince(LiveServer.wednesdayNoon)) < 1)

            // Read back by its owner: the same price, locked.
            let id = quote.id
            let read = try Self.quote(try await server.call(.GET, "/v1/quotes/\(id)", auth: auth))
            #expect(read.receive == receive && read.rate == rate)
            let row = try await server.services.database.withConnection { db in
                try await db.raw("SELECT total_minor, receive_minor, rate FROM quotes WHERE id = \(bind: id)").first()
            }
            #expect(try row?.decode(column: "total_minor", as: Int64.self) == 100_500)
            #expect(try row?.decode(column: "receive_minor", as: Int64.self) == receive.amountMinor)
            #expect(try row?.decode(column: "rate", as: String.self) == rate)
        }
    }

    @Test func aQuoteFromTheAmountReceivedMatchesTheForwardQuote() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            try await server.refreshExchangeRates()
            let auth = try await server.bearer("15039010043")
            for (country, currency, send) in [("PL", "PLN", 100_000), ("DE", "EUR", 123_456), ("GB", "GBP", 1_000_000)] {
                let forward = try Self.quote(try await server.call(
                    .POST, "/v1/quotes", #"{"country":"\#(country)","currency":"\#(currency)","sendAmountMinor":\#(send)}"#, auth: auth))
                let wanted = forward.receive.amountMinor
                let backward = try await server.call(.POST, "/v1/quotes", #"{"country":"\#(country)","currency":"\#(currency)","receiveAmountMinor":\#(wanted)}"#, auth: auth)
                #expect(backward.status == 201)
                let quote = try Self.quote(backward)
                let rate = quote.rate
                #expect(rate == forward.rate)
                // Exactly the amount asked for, for the smallest NOK amount that buys it.
                #expect(quote.receive == DropKit.Money(amountMinor: wanted, currency: currency))
                let sent = quote.send.amountMinor
                #expect(sent <= Int64(send))
                #expect(try Self.converted(sent, rate: rate) == wanted)
                #expect(try Self.converted(sent - 1, rate: rate) < wanted)
                let fee = quote.fee.amountMinor
                #expect(fee == (sent * 5 + 500) / 1000)  // 0.5 %, half-up to the øre
                #expect(quote.total.amountMinor == sent + fee)
            }
        }
    }

    @Test func badRequestsNameTheirField() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            try await server.refreshExchangeRates()
            let auth = try await server.bearer("15039010043")
            func quote(_ body: String) async throws -> LiveServer.Reply { try await server.call(.POST, "/v1/quotes", body, auth: auth) }

            let cases: [(String, String, String, String)] = [
                (#"{"country":"XX","currency":"PLN","sendAmountMinor":100000}"#, "VALIDATION_FAILED", "country", "country"),
                (#"{"country":"PL","currency":"EUR","sendAmountMinor":100000}"#, "VALIDATION_FAILED", "currency", "corridor"),
                (#"{"country":"PL","currency":"PL","sendAmountMinor":100000}"#, "VALIDATION_FAILED", "currency", "format"),
                (#"{"country":"NO","currency":"NOK","sendAmountMinor":100000}"#, "VALIDATION_FAILED", "country", "unsupported"),
                (#"{"country":"PL","currency":"PLN"}"#, "VALIDATION_FAILED", "sendAmountMinor", "required"),
                (#"{"country":"PL","currency":"PLN","sendAmountMinor":100000,"receiveAmountMinor":100}"#, "VALIDATION_FAILED", "receiveAmountMinor", "exclusive"),
                (#"{"country":"PL","currency":"PLN","sendAmountMinor":0}"#, "VALIDATION_FAILED", "sendAmountMinor", "positive"),
                (#"{"country":"PL","currency":"PLN","sendAmountMinor":9999}"#, "LIMIT_EXCEEDED", "sendAmountMinor", "below_minimum"),
                (#"{"country":"PL","currency":"PLN","sendAmountMinor":5000001}"#, "LIMIT_EXCEEDED", "sendAmountMinor", "above_maximum"),
                (#"{"country":"SO","currency":"USD","sendAmountMinor":1000001}"#, "LIMIT_EXCEEDED", "sendAmountMinor", "above_maximum"),
                (#"{"country":"PL","currency":"PLN","receiveAmountMinor":900000000000}"#, "LIMIT_EXCEEDED", "receiveAmountMinor", "above_maximum"),
                (#"{"country":"PL","currency":"PLN","receiveAmountMinor":1}"#, "LIMIT_EXCEEDED", "receiveAmountMinor", "below_minimum"),
            ]
            for (body, code, field, issue) in cases {
                let reply = try await quote(body)
                #expect(reply.status == 422, "\(body)")
                #expect(reply.errorCode == code, "\(body)")
                #expect(reply.issue(field) == issue, "\(body): \(reply.errorDetails)")
            }
            // Both ends of the range are allowed.
            #expect(try await quote(#"{"country":"pl","currency":"pln","sendAmountMinor":10000}"#).status == 201)
            #expect(try await quote(#"{"country":"PL","currency":"PLN","sendAmountMinor":5000000}"#).status == 201)

            let wrongType = try await quote(#"{"country":"PL","currency":"PLN","sendAmountMinor":"1000"}"#)
            #expect(wrongType.status == 400 && wrongType.issue("sendAmountMinor") == "type")
            let anonymous = try await server.postJSON("/v1/quotes", #"{"country":"PL","currency":"PLN","sendAmountMinor":100000}"#)
            #expect(anonymous.status == 401)
        }
    }

    @Test func quotesExpireAfter15MinutesAndBelongToTheirOwner() async throws {
        let clock = TestClock(LiveServer.wednesdayNoon)
        try await LiveServer.run(clock: clock) { server in
            try await server.refreshExchangeRates()
            let kari = try await server.bearer("15039010043")
            let ola = try await server.bearer("01078510133")
            let kariId = try await server.userId(kari)
            let created = try await server.call(.POST, "/v1/quotes", #"{"country":"DE","currency":"EUR","sendAmountMinor":250000}"#, auth: kari)
            let id = try Self.quote(created).id

            #expect(try await server.call(.GET, "/v1/quotes/\(id)", auth: ola).status == 404)
            #expect(try await server.call(.GET, "/v1/quotes/not-a-uuid", auth: kari).status == 404)
            let quotes = server.services.quotes
            let olaId = try await server.userId(ola)
            let notOla = await #expect(throws: AppError.self) { try await quotes.validQuote(id: id, userId: olaId, now: clock.date) }
            #expect(notOla?.code == "NOT_FOUND")

            clock.advance(899)  // valid up to its expiry, not at it (Pricing.priceHolds)
            #expect(try await quotes.validQuote(id: id, userId: kariId, now: clock.date).quote.send.minorUnits == 250_000)
            clock.advance(1)
            let expired = await #expect(throws: AppError.self) { try await quotes.validQuote(id: id, userId: kariId, now: clock.date) }
            #expect(expired?.code == "QUOTE_EXPIRED" && expired?.status == .unprocessableContent)
            #expect(try Self.quote(try await server.call(.GET, "/v1/quotes/\(id)", auth: kari)).status == .expired)

            // A quote is used once: the second transfer from it is refused.
            let fresh = try await server.call(.POST, "/v1/quotes", #"{"country":"DE","currency":"EUR","sendAmountMinor":250000}"#, auth: kari)
            let freshId = try Self.quote(fresh).id
            let valid = try await quotes.validQuote(id: freshId, userId: kariId, now: clock.date)
            try await server.services.database.transaction { try await QuoteService.markUsed(valid, at: clock.date, on: $0) }
            let again = await #expect(throws: AppError.self) {
                try await server.services.database.transaction { try await QuoteService.markUsed(valid, at: clock.date, on: $0) }
            }
            #expect(again?.code == "QUOTE_USED")
            let used = await #expect(throws: AppError.self) { try await quotes.validQuote(id: freshId, userId: kariId, now: clock.date) }
            #expect(used?.code == "QUOTE_USED")
            #expect(try Self.quote(try await server.call(.GET, "/v1/quotes/\(freshId)", auth: kari)).status == .used)
        }
    }

    /// Each `POST /v1/quotes` is a row: `maintenance.purge` deletes one nobody used a day after it
    /// expired, and keeps the one a transfer was priced by (`transactions.quote_id`).
    @Test func unusedQuotesArePurgedADayAfterTheyExpireAndUsedOnesStay() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            func priced() async throws -> String {
                try Self.quote(try await server.call(.POST, "/v1/quotes", #"{"country":"PL","currency":"PLN","sendAmountMinor":100000}"#, auth: kari.auth)).id
            }
            let unused = try await priced()
            let used = try await priced()
            let body = #"{"recipientId":"\#(kari.recipientId)","quoteId":"\#(used)","bankAccountId":"\#(kari.accountId)"}"#
            #expect(try await TransfersTests.send(server, kari, key: "priced", body: body).status == 201)
            func stored() async throws -> Set<String> {
                try await server.services.database.withConnection {
                    Set(try await $0.raw("SELECT id FROM quotes").all().map { try $0.decode(column: "id", as: String.self) })
                }
            }
            let worker = JobWorker(services: server.services)
            // Expired, but kept a day: the web offers a new price for an expired one's amount.
            server.clock.advance(16 * 60)
            while try await worker.runOnce() {}
            #expect(try await stored() == [unused, used])
            server.clock.advance(MaintenanceFeature.unusedQuoteKept)
            while try await worker.runOnce() {}
            #expect(try await stored() == [used])
        }
    }

    @Test func staleOrMissingRatesAreRefused() async throws {
        // Friday 16 October 2026, 15:00 UTC: Friday's rates are out.
        let clock = TestClock(LiveServer.wednesdayNoon.addingTimeInterval(2 * 86_400 + 3 * 3600))
        try await LiveServer.run(clock: clock) { server in
            let auth = try await server.bearer("15039010043")
            let body = #"{"country":"SE","currency":"SEK","sendAmountMinor":100000}"#
            let none = try await server.call(.POST, "/v1/quotes", body, auth: auth)
            #expect(none.status == 503 && none.errorCode == "RATE_UNAVAILABLE")
            #expect(none.headers.first(name: "retry-after") != nil)

            try await server.refreshExchangeRates()
            #expect(try Self.quote(try await server.call(.POST, "/v1/quotes", body, auth: auth)).rateAsOf == "2026-10-16")

            // Monday 08:00 UTC: Friday's rate is one business day old, still fine.
            clock.advance(65 * 3600)
            #expect(try await server.call(.POST, "/v1/quotes", body, auth: auth).status == 201)
            // Tuesday 08:00 UTC without a refresh: Monday's rate is missing, so Friday's is stale.
            clock.advance(24 * 3600)
            let stale = try await server.call(.POST, "/v1/quotes", body, auth: auth)
            #expect(stale.status == 503 && stale.errorCode == "RATE_UNAVAILABLE")
            let rates = try await server.get("/v1/exchange-rates").decode(ExchangeRatesTests.Rates.self).items
            #expect(rates.first { $0.currency == "SEK" }?.stale == true)

            // The next refresh brings Monday's rate and quotes work again.
            try await server.refreshExchangeRates()
            let recovered = try await server.call(.POST, "/v1/quotes", body, auth: auth)
            #expect(try Self.quote(recovered).rateAsOf == "2026-10-19")
        }
    }
}
