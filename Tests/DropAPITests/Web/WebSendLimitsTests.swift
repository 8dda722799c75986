import DropHTML
import Foundation
import Testing
@testable import DropAPI

@Suite("Web send: limits at quote time, what is left today, and one tap to a new price")
struct WebSendLimitsTests {
    /// The review page's confirm form (the page has a second one, "Hent ny pris").
    static func confirmForm(_ body: String) throws -> HTMLForm {
        let start = try #require(body.range(of: #"<form method="post" action="/send/confirm">"#))
        return try #require(HTMLForm(html: String(body[start.lowerBound...])))
    }

    @Test func aTransferOverTheDailyLimitIsRefusedAtQuoteAndTheFormSaysWhatIsLeft() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            _ = try await server.call(.PUT, "/v1/spending-limits", #"{"daily":{"amountMinor":200000,"currency":"NOK"}}"#, auth: kari.auth)
            let browser = try await server.webSession(TransfersTests.kari)
            let origin = ("origin", server.baseURL)

            let form = try await server.get("/send?recipientId=\(kari.recipientId)", headers: [browser])
            #expect(form.body.contains("Du kan sende 2\u{00A0}000,00\u{00A0}kr til i dag."))
            let csrf = try #require(HTMLForm(html: form.body)?.fields.first { $0.0 == "csrf" })

            // Over the limit: refused on the amount before the review (it passed review and failed at confirm).
            let over = try await server.postForm("/send/quote", [csrf, ("recipientId", kari.recipientId), ("amount", "2 500"),
                                                                 ("bankAccountId", kari.accountId)], headers: [browser, origin])
            #expect(over.status == 422 && over.body.contains(#"id="amount-error">Beløpet er over dagsgrensen din."#))
            #expect(over.body.contains(#"value="2 500""#) && !over.body.contains("/send/confirm"))
            // The API's quote says so too, on the field that was given.
            let quote = try await server.call(.POST, "/v1/quotes", #"{"country":"PL","currency":"PLN","sendAmountMinor":250000}"#, auth: kari.auth)
            #expect(quote.status == 422 && quote.errorCode == "LIMIT_EXCEEDED")
            #expect(quote.apiError.details.first?.issue == "daily_limit")
            #expect(try await server.call(.POST, "/v1/quotes", #"{"country":"PL","currency":"PLN","sendAmountMinor":150000}"#, auth: kari.auth).status == 201)
        }
    }

    @Test func anExpiredPriceIsOneTapFromANewOne() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let browser = try await server.webSession(TransfersTests.kari)
            let origin = ("origin", server.baseURL)
            let form = try await server.get("/send", headers: [browser])
            let csrf = try #require(HTMLForm(html: form.body)?.fields.first { $0.0 == "csrf" })
            let fields = [csrf, ("recipientId", kari.recipientId), ("amount", "1 000"), ("bankAccountId", kari.accountId), ("message", "Husleie")]
            let review = try await server.postForm("/send/quote", fields, headers: [browser, origin])
            #expect(review.status == 200)
            // The page carries "Hent ny pris" with what was typed, for when the countdown runs out.
            #expect(review.body.contains(#"<button class="button" type="submit" id="requote">Hent ny pris</button>"#))
            let confirm = try Self.confirmForm(review.body)
            let oldQuote = try #require(confirm.fields.first { $0.0 == "quoteId" }?.1)

            server.clock.advance(16 * 60)
            // Confirming an expired price: a new price to review at once, the rest kept; nothing sent to the bank.
            let renewed = try await server.postForm("/send/confirm", confirm.fields, headers: [browser, origin])
            #expect(renewed.status == 200 && renewed.location == nil)
            #expect(renewed.body.contains("Prisen var utløpt, så her er en ny pris. Se over og bekreft."))
            let again = try Self.confirmForm(renewed.body)
            let newQuote = try #require(again.fields.first { $0.0 == "quoteId" }?.1)
            #expect(newQuote != oldQuote && again.fields.contains { $0 == ("message", "Husleie") })
            #expect(renewed.body.contains("<dd>1\u{00A0}000,00\u{00A0}kr</dd>"))
            #expect(try await TransfersTests.transactionCount(server) == 0)
            // And that one goes to the bank.
            let toBank = try await server.postForm("/send/confirm", again.fields, headers: [browser, origin])
            #expect(toBank.status == 303 && toBank.location?.contains("/sandbox/bank") == true)
        }
    }
}
