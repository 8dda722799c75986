import DropHTML
import DropKit
import Foundation
import Testing
@testable import DropAPI

@Suite("Hostile text stored through the API shows as text on every web page")
struct WebEscapingTests {
    static let scriptName = "<script>alert(1)</script>"
    static let attributeBreak = #""><img src=x onerror=alert(1)>"#
    static let message = "<img src=x onerror=alert('message')>"
    static let subject = "<b onmouseover=alert(2)>Fee</b>"
    static let description = "</textarea><script>alert(3)</script> & more"
    static let merchantName = "<svg onload=alert(4)>"
    static let merchantCity = "'><script>alert(5)</script>"

    /// `text` as a JSON string literal.
    static func json(_ text: String) throws -> String {
        String(decoding: try JSONEncoder().encode(text), as: UTF8.self)
    }

    static func poland(named name: String) throws -> String {
        RecipientsTests.poland.replacingOccurrences(of: #""Zofia Wójcik""#, with: try json(name))
    }

    /// Each payload is on the page only escaped: never as markup.
    static func expectEscaped(_ reply: LiveServer.Reply, _ payloads: [String], on page: String,
                              sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(reply.status == 200 || reply.status == 422, "\(page) answered \(reply.status)", sourceLocation: sourceLocation)
        for payload in payloads {
            #expect(!reply.body.contains(payload), "\(page) shows \(payload) as markup", sourceLocation: sourceLocation)
            #expect(reply.body.contains(HTML.escape(payload)), "\(page) does not show \(payload) as text", sourceLocation: sourceLocation)
        }
    }

    @Test func recipientsPaymentsComplaintsAndMerchantsAreShownAsText() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            // Stored through the API by Kari, signed in with a bearer token.
            let kari = try await TransfersTests.sender(server)
            let first = try await server.call(.POST, "/v1/recipients", try Self.poland(named: Self.scriptName), auth: kari.auth)
            server.clock.advance(1)
            let second = try await server.call(.POST, "/v1/recipients", try Self.poland(named: Self.attributeBreak), auth: kari.auth)
            #expect(first.status == 201 && second.status == 201, "\(first.body) \(second.body)")
            let recipientId = try first.decode(Recipient.self).id

            let quote = try await server.call(.POST, "/v1/quotes", #"{"country":"PL","currency":"PLN","sendAmountMinor":100000}"#, auth: kari.auth)
            let quoteId = try quote.decode(DropKit.Quote.self).id
            let created = try await TransfersTests.send(server, kari, key: "xss-1", body: #"""
                {"recipientId":"\#(recipientId)","quoteId":"\#(quoteId)","bankAccountId":"\#(kari.accountId)","message":\#(try Self.json(Self.message))}
                """#)
            #expect(created.status == 201, "\(created.body)")
            let transactionId = try created.decode(TransactionCreated.self).transaction.id

            let complaint = try await server.call(.POST, "/v1/complaints", #"""
                {"subject":\#(try Self.json(Self.subject)),"description":\#(try Self.json(Self.description)),"transactionId":"\#(transactionId)"}
                """#, auth: kari.auth)
            #expect(complaint.status == 201, "\(complaint.body)")

            let merchant = try await server.postJSON("/v1/merchants", #"""
                {"organisationNumber":"923 456 783","name":\#(try Self.json(Self.merchantName)),"mcc":"5814",
                 "city":\#(try Self.json(Self.merchantCity)),"settlementBankAccountId":"\#(kari.accountId)"}
                """#, headers: [kari.auth])
            #expect(merchant.status == 201, "\(merchant.body)")
            let code = try merchant.decode(DropKit.Merchant.self).code

            // Read back in the browser.
            let browser = try await server.webSession(TransfersTests.kari)
            let origin = ("origin", server.baseURL)
            let names = [Self.scriptName, Self.attributeBreak]
            Self.expectEscaped(try await server.get("/recipients", headers: [browser]), names, on: "/recipients")
            let send = try await server.get("/send?recipientId=\(recipientId)", headers: [browser])
            Self.expectEscaped(send, names, on: "/send")
            Self.expectEscaped(try await server.get("/transactions", headers: [browser]), [Self.scriptName], on: "/transactions")
            Self.expectEscaped(try await server.get("/dashboard", headers: [browser]), [Self.scriptName], on: "/dashboard")
            Self.expectEscaped(try await server.get("/transactions/\(transactionId)", headers: [browser]), [Self.scriptName, Self.message],
                               on: "/transactions/{id}")
            Self.expectEscaped(try await server.get("/v1/transactions/\(transactionId)/receipt", headers: [browser]), [Self.scriptName],
                               on: "the receipt")
            Self.expectEscaped(try await server.get("/complaints", headers: [browser]), [Self.subject, Self.description], on: "/complaints")
            Self.expectEscaped(try await server.get("/merchant", headers: [browser]), [Self.merchantName, Self.merchantCity], on: "/merchant")
            Self.expectEscaped(try await server.get("/pay/\(code)"), [Self.merchantName, Self.merchantCity], on: "/pay/{code}")
            Self.expectEscaped(try await server.get("/pay/\(code)", headers: [browser]), [Self.merchantName, Self.merchantCity],
                               on: "/pay/{code} signed in")

            // What was typed comes back in form fields (values, a textarea) and on the review.
            let csrf = try #require(HTMLForm(html: send.body)?.fields.first { $0.0 == "csrf" }?.1)
            let review = try await server.postForm("/send/quote", [("csrf", csrf), ("recipientId", recipientId), ("amount", "1000"),
                                                                   ("bankAccountId", kari.accountId), ("message", Self.message)],
                                                   headers: [browser, origin])
            Self.expectEscaped(review, [Self.scriptName, Self.message], on: "the send review")
            #expect(review.body.contains(#"<input type="hidden" name="message" value="\#(HTML.escape(Self.message))">"#))
            let refused = try await server.postForm("/complaints", [("csrf", csrf), ("subject", ""), ("description", Self.description),
                                                                    ("transactionId", "")], headers: [browser, origin])
            #expect(refused.status == 422)
            Self.expectEscaped(refused, [Self.description], on: "/complaints with an error")
            #expect(!refused.body.contains("<script>alert"))
        }
    }
}
