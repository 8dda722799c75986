import DropKit
import DropStore
import Foundation
import SQLKit
import Testing
@testable import DropAPI

/// No tipping-off (hvitvaskingsloven § 31): the customer reads that a payment could not be made or a
/// standing transfer stopped, never that compliance decided it. Admins keep the reason as stored.
extension ComplianceAdminTests {
    @Test func aRejectedTransferTellsTheCustomerNothingAboutCompliance() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let (kari, ids) = try await StepUpTests.twoHeldTransfers(server)
            let admin = try await server.bearer(Self.anders)
            let rejected = try await server.call(.POST, "/v1/admin/transactions/\(ids[0])/reject", #"{"reason":"Could not verify the purpose."}"#, auth: admin)
            #expect(rejected.status == 200, "\(rejected.body)")
            #expect(try await Self.failureReason(server, ids[0]) == "compliance_rejected")

            let view = try await server.get("/v1/transactions/\(ids[0])", headers: [kari.auth])
            let transfer = try view.decode(DropKit.Transaction.self)
            #expect(transfer.status == .failed && transfer.failureReason == "not_available")
            let list = try await server.get("/v1/transactions", headers: [kari.auth])
            let export = try await server.get("/v1/gdpr/export", headers: [kari.auth])
            let page = try await server.get("/transactions/\(ids[0])", headers: [try await server.webSession(TransfersTests.kari)])
            for (name, reply) in [("view", view), ("list", list), ("export", export), ("page", page)] {
                let body = reply.body.lowercased()
                #expect(reply.status == 200 && !body.contains("compliance") && !body.contains("etterlevelse"), "\(name): \(reply.body)")
            }
        }
    }

    @Test func aStandingTransferComplianceBlocksTellsTheCustomerNothingAboutCompliance() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let created = try await StandingOrdersTests.setUp(server, kari)
            let orderId = created.standingOrder.id
            // A sanctions hit after the order was set up: its first payment is blocked, and the order stops.
            try await server.services.database.withConnection { db in
                try await db.raw("UPDATE users SET is_sanctioned = TRUE WHERE id = \(bind: try await server.userId(kari.auth))").run()
            }
            try await StandingOrdersTests.approve(server, created)
            try await server.eventually("the blocked payment") { try await StandingOrdersTests.transfers(server, order: orderId).first?.status == "failed" }
            let paymentId = try #require(try await StandingOrdersTests.transfers(server, order: orderId).first?.id)
            #expect(try await Self.failureReason(server, paymentId) == "standing_order:compliance")
            let stored = try await server.services.database.withConnection { try await StandingOrderRepository.find(id: orderId, on: $0) }
            #expect(stored?.status == .stopped && stored?.stopReason == "compliance")

            let order = try await server.get("/v1/standing-orders/\(orderId)", headers: [kari.auth])
            #expect(try order.decode(DropKit.StandingOrder.self).stopReason == "not_available")
            let payment = try await server.get("/v1/transactions/\(paymentId)", headers: [kari.auth])
            #expect(try payment.decode(DropKit.Transaction.self).failureReason == "not_available")
            let orders = try await server.get("/v1/standing-orders", headers: [kari.auth])
            let export = try await server.get("/v1/gdpr/export", headers: [kari.auth])
            for (name, reply) in [("order", order), ("payment", payment), ("orders", orders), ("export", export)] {
                #expect(reply.status == 200 && !reply.body.lowercased().contains("compliance"), "\(name): \(reply.body)")
            }
        }
    }

    static func failureReason(_ server: LiveServer, _ id: String) async throws -> String? {
        try await server.services.database.withConnection { db in
            try await db.raw("SELECT failure_reason FROM transactions WHERE id = \(bind: id)").first()?.decode(column: "failure_reason", as: String?.self)
        }
    }
}
