import DropCore
import DropProviders
import DropStore
import Foundation
import Testing
@testable import DropAPI

extension StandingOrderIntegrityTests {
    /// A signed webhook about the payment `x1` of the order whose bank id is `paymentId`, for 1 507,50 kr.
    static func reportPayment(_ server: LiveServer, paymentId: String, event: String, status: String, reason: String? = nil) async throws {
        let day = OsloCalendar.today(server.clock.date).iso
        let why = reason.map { #","statusReasonInformation":"\#($0)""# } ?? ""
        let body = #"{"eventId":"\#(event)","paymentId":"\#(paymentId)","paymentService":"periodic-payments","executionId":"x1","executionDate":"\#(day)","endToEndIdentification":"E2E-X1","transactionStatus":"\#(status)"\#(why),"instructedAmount":{"currency":"NOK","amount":"1507.50"}}"#
        let answer = try await server.request(.POST, "/v1/webhooks/open-banking", headers: [
            ("content-type", "application/json"),
            ("X-Drop-Signature", OpenBankingWebhook.sign(rawBody: Array(body.utf8), secret: server.services.config.secrets.openBankingWebhookSecret,
                                                         timestamp: server.clock.date)),
        ], body: body)
        #expect(answer.status == 200, "\(answer.body)")
    }

    /// The transfer of `x1`, its money and return, and what operations and Kari were told about it.
    struct PaymentX1: Equatable {
        let status: String
        let fundsReceived: Bool
        let returnReason: String?
        let alerts: [String]
        let notifications: Int
    }

    static func paymentX1(_ server: LiveServer) async throws -> PaymentX1 {
        try await server.services.database.withConnection { db in
            let row = try #require(try await db.raw("""
                SELECT id, user_id, status, funds_received_at, return_reason FROM transactions WHERE bank_execution_id = 'x1'
                """).first())
            let id = try row.decode(column: "id", as: String.self)
            let alerts = try await db.raw("SELECT dedupe_key FROM operations_alerts WHERE entity_id = \(bind: id) ORDER BY dedupe_key").all()
                .map { try $0.decode(column: "dedupe_key", as: String?.self) ?? "" }
            let notifications = try await db.raw("""
                SELECT COUNT(*) AS n FROM notifications WHERE user_id = \(bind: try row.decode(column: "user_id", as: String.self))
                    AND data LIKE \(bind: "%\(id)%")
                """).first()?.decode(column: "n", as: Int.self) ?? 0
            return PaymentX1(status: try row.decode(column: "status", as: String.self),
                             fundsReceived: try row.decode(column: "funds_received_at", as: Date?.self) != nil,
                             returnReason: try row.decode(column: "return_reason", as: String?.self),
                             alerts: alerts.map { $0.components(separatedBy: ":").first ?? $0 }, notifications: notifications)
        }
    }

    /// Kari's bank reports a payment refused (no money: nothing moved, the transfer failed), then retries
    /// the debit and reports it settled. The NOK reached the collection account for a transfer that failed:
    /// it is recorded and returned, and operations hear of it. Told again, nothing changes.
    @Test func aPaymentSettledAfterItWasRefusedIsReturned() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let order = try await Self.approvedOrder(server, try await TransfersTests.sender(server))
            let paymentId = try #require(order.bankPaymentId)
            try await Self.reportPayment(server, paymentId: paymentId, event: "evt-x1-rjct", status: "RJCT", reason: "AM04")
            let refused = try await Self.paymentX1(server)
            #expect(refused.status == "failed" && !refused.fundsReceived && refused.returnReason == nil && refused.alerts.isEmpty, "\(refused)")

            try await Self.reportPayment(server, paymentId: paymentId, event: "evt-x1-acsc", status: "ACSC")
            let settled = try await Self.paymentX1(server)
            #expect(settled.status == "failed" && settled.fundsReceived, "\(settled)")
            #expect(settled.returnReason == "late_settlement")
            #expect(settled.alerts == ["late_settlement"])
            #expect(settled.notifications == refused.notifications + 1)

            try await Self.reportPayment(server, paymentId: paymentId, event: "evt-x1-acsc-again", status: "ACSC")
            #expect(try await Self.paymentX1(server) == settled)
        }
    }

    /// The other way round: settled and sent on, then reported cancelled. The NOK reached the partner, so
    /// the transfer is left as it was and operations hear of the contradiction, once.
    @Test func aPaymentRefusedAfterItSettledIsRaised() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let order = try await Self.approvedOrder(server, try await TransfersTests.sender(server))
            let paymentId = try #require(order.bankPaymentId)
            try await Self.reportPayment(server, paymentId: paymentId, event: "evt-x1-acsc", status: "ACSC")
            let settled = try await Self.paymentX1(server)
            #expect(settled.status == "processing" && settled.fundsReceived && settled.alerts.isEmpty, "\(settled)")

            try await Self.reportPayment(server, paymentId: paymentId, event: "evt-x1-canc", status: "CANC")
            let cancelled = try await Self.paymentX1(server)
            #expect(cancelled.status == "processing" && cancelled.fundsReceived && cancelled.returnReason == nil, "\(cancelled)")
            #expect(cancelled.alerts == ["refused_after_settlement"])

            try await Self.reportPayment(server, paymentId: paymentId, event: "evt-x1-canc-again", status: "CANC")
            #expect(try await Self.paymentX1(server) == cancelled)
        }
    }
}
