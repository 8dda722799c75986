import DropKit
import Foundation
import Testing
@testable import DropAPI

@Suite("Web: a transfer's page tells where it is (tracker, arrival, what is taken) and never that money will go when it won't")
struct WebTransferStatusTests {
    @Test func theTrackerFollowsATransferAndAStoppedOneNeverSaysItWillBeTaken() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let browser = try await server.webSession(TransfersTests.kari)
            func transfer(_ key: String) async throws -> (id: String, sca: String) {
                let quote = try await server.call(.POST, "/v1/quotes", #"{"country":"PL","currency":"PLN","sendAmountMinor":100000}"#, auth: kari.auth)
                let quoteId = try quote.decode(DropKit.Quote.self).id
                let created = try await TransfersTests.send(server, kari, key: key, body: """
                    {"recipientId":"\(kari.recipientId)","quoteId":"\(quoteId)","bankAccountId":"\(kari.accountId)"}
                    """)
                let answer = try created.decode(TransactionCreated.self)
                return (answer.transaction.id, try #require(answer.scaRedirect).absoluteString)
            }

            // Waiting for approval: the money will be taken, the step is "approve", Poland's estimate is shown.
            let denied = try await transfer("status-1")
            let waiting = try await server.get("/transactions/\(denied.id)", headers: [browser]).body
            #expect(waiting.contains("<dt>Trekkes fra kontoen din</dt>"))
            #expect(waiting.contains(WebMarkup.step("done", icon: "check", "Bestilt i Drop") + #" <span class="step-state">ferdig</span></li>"#))
            #expect(waiting.contains(WebMarkup.step("current", icon: "dot", "Godkjent i banken din")))
            #expect(waiting.contains(WebMarkup.step("upcoming", icon: nil, "Fremme hos mottakeren")))
            #expect(waiting.contains("Ventet fremme: 1–3 virkedager etter at du har godkjent."))
            #expect(waiting.contains(WebMarkup.pill("pending_sca", icon: "clock", "Venter på godkjenning")))

            // Stopped at the bank: cancelled, and the page says nothing was taken, stopping the tracker where it stopped.
            let back = try await server.approveAtBank(denied.sca, as: TransfersTests.kari, decision: "deny")
            _ = try await server.get(try #require(back.location))
            try await server.eventually("the denial") {
                try await server.get("/v1/transactions/\(denied.id)", headers: [kari.auth]).decode(DropKit.Transaction.self).status == .cancelled
            }
            let failed = try await server.get("/transactions/\(denied.id)", headers: [browser]).body
            #expect(!failed.contains("Trekkes fra kontoen din") && !failed.contains("Trukket fra kontoen din"))
            #expect(failed.contains("<dt>Beløp (ikke trukket fra kontoen din)</dt>"))
            #expect(failed.contains(WebMarkup.step("stopped", icon: "cross", "Godkjent i banken din") + #" <span class="step-state">stoppet her</span></li>"#))
            #expect(!failed.contains("Ventet fremme") && !failed.contains("step-upcoming"))
            let english = try await server.get("/transactions/\(denied.id)", headers: [browser, ("accept-language", "en")]).body
            #expect(!english.contains("Taken from your account") && english.contains("Amount (not taken from your account)"))

            // Approved: taken, on its way, with the estimate.
            let approved = try await transfer("status-2")
            let ok = try await server.approveAtBank(approved.sca, as: TransfersTests.kari)
            _ = try await server.get(try #require(ok.location))
            let moving = try await server.get("/transactions/\(approved.id)", headers: [browser]).body
            #expect(moving.contains("<dt>Trukket fra kontoen din</dt>") && moving.contains("Ventet fremme: 1–3 virkedager."))
            #expect(moving.contains(WebMarkup.step("current", icon: "dot", "På vei til mottakerens bank")))
        }
    }

    /// The status the page polls (`live-status.js`) names the payment, its amount and its receiver: neither the
    /// browser nor the app keeps it, so Back after signing out asks Drop again and is turned away.
    @Test func theStatusThePagePollsIsNeverKept() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let browser = try await server.webSession(TransfersTests.kari)
            let quote = try await server.call(.POST, "/v1/quotes", #"{"country":"PL","currency":"PLN","sendAmountMinor":100000}"#, auth: kari.auth)
            let quoteId = try quote.decode(DropKit.Quote.self).id
            let created = try await TransfersTests.send(server, kari, key: "kept-1", body: """
                {"recipientId":"\(kari.recipientId)","quoteId":"\(quoteId)","bankAccountId":"\(kari.accountId)"}
                """)
            let id = try created.decode(TransactionCreated.self).transaction.id
            #expect(try await server.get("/transactions/\(id)", headers: [browser]).body.contains(#"data-live-status="/v1/transactions/\#(id)""#))
            for credential in [browser, kari.auth] {
                let status = try await server.get("/v1/transactions/\(id)", headers: [credential, ("accept", "application/json")])
                #expect(status.status == 200 && status.headers["cache-control"] == ["no-store"], "\(credential.0)")
            }
        }
    }
}
