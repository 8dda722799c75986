import DropKit
import DropProviders
import DropStore
import Foundation
import SQLKit
import Testing
@testable import DropAPI

extension MoneyIntegrityTests {
    /// Kari cancels her QR payment to Mona in Drop while her bank is already paying it; the bank then
    /// reports it settled. The payment stays cancelled, but the money is Mona's: Mona hears at once (live
    /// list, dashboard counting it as received, notification) and so does Kari, once each, however often
    /// the bank says it again.
    @Test func aSettlementAfterAQRPaymentEndedTellsTheShopAndThePayerOnce() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let mona = try await server.registeredMona()
            let kari = try await MerchantsTests.payer(server)
            let url = try await server.get("/v1/merchants/me/qr?amountMinor=50000&reference=Bord%207", headers: [mona.auth]).decode(DropKit.PaymentLinkInfo.self).url
            // The bank's own report of the cancellation must not race the late settlement here.
            server.sandboxes.faults.bank.webhooksHeld = true
            let paid = try await MerchantsTests.pay(server, kari.auth, key: "qr-paid-after-end",
                                                    try MerchantsTests.body(paying: url, base: server.services.publicBaseURL.url, from: kari.accountId))
            #expect(paid.status == 201, "\(paid.body)")
            let id = try paid.decode(TransactionCreated.self).transaction.id
            #expect(try await server.request(.POST, "/v1/transactions/\(id)/cancel", headers: [kari.auth]).status == 200)
            #expect(try await Self.row(server, id).status == .cancelled)
            let before = try await server.get("/v1/merchants/me/dashboard", headers: [mona.auth]).decode(MerchantDashboard.self)
            #expect(before.count == 0 && before.total.amountMinor == 0)
            let stream = try await server.openEventStream(auth: mona.auth)
            defer { stream.close() }

            // Kari's bank was already paying: it reports the NOK sent.
            let paymentId = try #require(try await Self.row(server, id).paymentId)
            #expect(try await Self.deliverSettlement(server, eventId: "late-qr-1", paymentId: paymentId) == 200)
            let row = try await Self.row(server, id)
            #expect(row.status == .cancelled && row.fundsReceivedAt != nil)

            // Mona: the live list, the dashboard (counted as received), her page, a notification.
            let events = try await stream.collect { $0.event == "settled_after_end" }
            let reported = try #require(events.last?.payment)
            #expect(reported.transactionId == id && reported.status == .cancelled)
            let board = try await server.get("/v1/merchants/me/dashboard", headers: [mona.auth]).decode(MerchantDashboard.self)
            let shown = try #require(board.payments.first { $0.id == id })
            #expect(shown.status == .cancelled && shown.settledAfterEndAt == row.fundsReceivedAt)
            #expect(board.count == 1 && board.total.amountMinor == 50_000 && board.days.map(\.count) == [1])
            let monaWeb = try await server.webSession(LiveServer.mona)
            let page = try await server.get("/merchant", headers: [monaWeb]).body
            #expect(page.contains(#"class="settled-after-end""#) && page.contains(#"<dd id="today-count">1</dd>"#))
            #expect(try await server.get("/merchant/payments/\(id)", headers: [monaWeb]).body.contains("Du har mottatt pengene"))
            // Kari: a notification naming the shop and the amount, and her payment no longer says nothing was taken.
            let told = try await Self.notices(server, kari.auth, kind: "transaction.settled_after_end")
            #expect(told.count == 1 && told.first?.data?["transactionId"] == id)
            #expect(told.first?.body.contains("Mona") == true && told.first?.body.contains("500") == true)
            // Each language says it too: the shop and the amount are kept with it.
            #expect(told.first?.data?["amountMinor"] == "50000" && told.first?.data?["currency"] == "NOK")
            let shopName = try #require(told.first?.data?["merchantName"])
            let kariWeb = try await server.webSession(MerchantsTests.kari)
            let kariNotices = try await server.get("/notifications", headers: [kariWeb]).body
            #expect(kariNotices.contains("Banken din betalte \(shopName) 500,00\u{A0}kr etter at betalingen var avsluttet"))
            let view = try await server.get("/v1/transactions/\(id)", headers: [kari.auth]).body
            #expect(view.contains(#""settledAfterEndAt":""#) && view.contains(#""status":"cancelled""#))
            // The app reads it too (DropKit's model).
            let inApp = try await server.get("/v1/transactions/\(id)", headers: [kari.auth]).decode(DropKit.Transaction.self)
            #expect(inApp.status == .cancelled && inApp.settledAfterEndAt == row.fundsReceivedAt)
            let kariPage = try await server.get("/transactions/\(id)", headers: [kariWeb]).body
            #expect(kariPage.contains("Butikken har mottatt pengene") && !kariPage.contains("Ingen penger er trukket"))
            let receipt = try await server.get("/v1/transactions/\(id)/receipt", headers: [kari.auth]).body
            #expect(receipt.contains("<dt>Betalt av banken din etter at den var avsluttet</dt>"))
            #expect(try await Self.notices(server, mona.auth, kind: "merchant.payment_settled_after_end").map(\.data?["transactionId"]) == [id])

            // The bank says it again under a new event id: still one alert, each told once, one event.
            #expect(try await Self.deliverSettlement(server, eventId: "late-qr-2", paymentId: paymentId) == 200)
            #expect(try await Self.notices(server, kari.auth, kind: "transaction.settled_after_end").count == 1)
            #expect(try await Self.notices(server, mona.auth, kind: "merchant.payment_settled_after_end").count == 1)
            let (alerts, settledEvents) = try await server.services.database.withConnection { db in
                (try await db.raw("SELECT COUNT(*) AS n FROM operations_alerts WHERE kind = 'late_settlement' AND entity_id = \(bind: id)").first()?
                    .decode(column: "n", as: Int.self),
                 try await db.raw("SELECT COUNT(*) AS n FROM merchant_events WHERE transaction_id = \(bind: id) AND kind = 'settled_after_end'").first()?
                    .decode(column: "n", as: Int.self))
            }
            #expect(alerts == 1 && settledEvents == 1)
            #expect(try await server.get("/v1/merchants/me/dashboard", headers: [mona.auth]).decode(MerchantDashboard.self).total.amountMinor == 50_000)
        }
    }

    /// The open-banking webhook reporting the payment settled (`ACSC`), signed as the bank signs it.
    static func deliverSettlement(_ server: LiveServer, eventId: String, paymentId: String) async throws -> Int {
        let body = #"{"eventId":"\#(eventId)","paymentId":"\#(paymentId)","transactionStatus":"ACSC"}"#
        let signature = OpenBankingWebhook.sign(rawBody: Array(body.utf8), secret: server.services.config.secrets.openBankingWebhookSecret,
                                                timestamp: server.clock.date)
        return try await server.request(.POST, "/v1/webhooks/open-banking",
                                        headers: [("content-type", "application/json"), ("X-Drop-Signature", signature)], body: body).status
    }

    static func notices(_ server: LiveServer, _ auth: (String, String), kind: String) async throws -> [DropNotification] {
        try await server.get("/v1/notifications", headers: [auth]).decode(NotificationList.self).items.filter { $0.kind == kind }
    }
}
