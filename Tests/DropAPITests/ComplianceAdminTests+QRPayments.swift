import DropCore
import DropStore
import DropTestSupport
import Foundation
import SQLKit
import Testing
@testable import DropAPI

/// QR payments are screened like remittances, on the creating DB transaction; a block leaves its
/// alert behind for compliance, for both.
extension ComplianceAdminTests {
    static func rules(_ alert: [String: Any]?) -> [String] {
        ((alert?["findings"] as? [[String: Any]]) ?? []).compactMap { $0["rule"] as? String }.sorted()
    }

    @Test func a20000QRPaymentRaisesTheSameAlertARemittanceWould() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let mona = try await server.registeredMona()
            let kari = try await TransfersTests.sender(server)
            let remittance = try await Self.send(server, kari, amountMinor: 2_000_000, key: "big-remit")
            #expect(remittance.status == 201, "\(remittance.body)")
            let remittanceId = try #require(MerchantsTests.transaction(remittance)["id"] as? String)
            let qr = try await MerchantsTests.pay(server, kari.auth, key: "big-qr", MerchantsTests.staticBody(mona.code, amountMinor: 2_000_000, from: kari.accountId))
            #expect(qr.status == 201, "\(qr.body)")
            let qrId = try #require(MerchantsTests.transaction(qr)["id"] as? String)
            // An alert lets the payment go on to the bank.
            #expect(MerchantsTests.transaction(qr)["status"] as? String == "pending_sca" && qr.json()["scaRedirect"] is String)

            let admin = try await server.bearer(Self.anders)
            let alerts = try await Self.alerts(server, admin, "userId=\(try await server.userId(kari.auth))")
            let remittanceAlert = alerts.first { $0["transactionId"] as? String == remittanceId }
            let qrAlert = alerts.first { $0["transactionId"] as? String == qrId }
            #expect(Self.rules(remittanceAlert) == ["new_recipient_large_amount"])
            #expect(Self.rules(qrAlert) == Self.rules(remittanceAlert))
            #expect(qrAlert?["decision"] as? String == "alert" && qrAlert?["rule"] as? String == remittanceAlert?["rule"] as? String)
            #expect(try await Self.auditRows(server, entityId: try #require(qrAlert?["id"] as? String)).map(\.action) == ["aml_alert.raised"])
        }
    }

    @Test func aHighRiskQRPaymentIsHeldThenReleasedByAndersAndPaidToTheMerchant() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let mona = try await server.registeredMona()
            let kari = try await MerchantsTests.payer(server)
            let bankCalls = server.sandboxes.faults.bank.requestCount
            // 30 000 kr, the first payment to a business registered today: large amount + new payee = hold.
            let sent = try await MerchantsTests.pay(server, kari.auth, key: "held-qr", MerchantsTests.staticBody(mona.code, amountMinor: 3_000_000, from: kari.accountId))
            #expect(sent.status == 201, "\(sent.body)")
            let id = try #require(MerchantsTests.transaction(sent)["id"] as? String)
            #expect(MerchantsTests.transaction(sent)["status"] as? String == "held" && !(sent.json()["scaRedirect"] is String))
            // Nothing is asked of the bank while it is held.
            #expect(server.sandboxes.faults.bank.requestCount == bankCalls)
            #expect(try server.bankSandboxPayments().filter { $0.creditor == mona.settlementAccount }.isEmpty)

            let admin = try await server.bearer(Self.anders)
            let held = try await server.get("/v1/admin/transactions?status=held", headers: [admin]).json()["items"] as? [[String: Any]] ?? []
            #expect(held.first { $0["id"] as? String == id }?["kind"] as? String == "qr_payment")
            let alert = try #require(try await Self.alerts(server, admin, "status=open").first { $0["transactionId"] as? String == id })
            #expect(alert["decision"] as? String == "hold" && Self.rules(alert) == ["large_amount", "new_recipient_large_amount"])

            let released = try await server.call(.POST, "/v1/admin/transactions/\(id)/release", #"{"reason":"Catering order, invoice seen."}"#, auth: admin)
            #expect(released.status == 200 && released.json()["status"] as? String == "pending_sca", "\(released.body)")
            // The payment is asked for straight to Mona's own settlement account, not Drop's payout partner.
            let atBank = try server.bankSandboxPayments().filter { $0.amountMinor == 3_000_000 }
            #expect(atBank.map(\.creditor) == [mona.settlementAccount])
            #expect(atBank.first?.creditor != server.services.config.providers.payoutCollectionAccount)
            let detail = try await server.get("/v1/transactions/\(id)", headers: [kari.auth]).json()
            let back = try await server.approveAtBank(try #require(detail["scaRedirect"] as? String), as: TransfersTests.kari)
            _ = try await server.get(try #require(back.location))
            try await server.eventually("the released payment to complete") {
                try await server.get("/v1/transactions/\(id)", headers: [kari.auth]).json()["status"] as? String == "completed"
            }
            let board = try await server.get("/v1/merchants/me/dashboard", headers: [mona.auth]).json()
            #expect(board["count"] as? Int == 1 && Self.amount(board["total"]) == 3_000_000)
        }
    }

    @Test func anAMLBlockLeavesItsAlertForRemittancesAndQRPayments() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let mona = try await server.registeredMona()
            let kari = try await TransfersTests.sender(server)
            let kariId = try await server.userId(kari.auth)
            // A sanctions hit after she was approved (ongoing screening).
            try await server.services.database.withConnection { db in
                try await db.raw("UPDATE users SET is_sanctioned = TRUE WHERE id = \(bind: kariId)").run()
            }
            let bankCalls = server.sandboxes.faults.bank.requestCount
            let remittance = try await Self.send(server, kari, amountMinor: 50_000, key: "blocked-remit")
            #expect(remittance.status == 403 && remittance.errorCode == "FORBIDDEN")
            let qr = try await MerchantsTests.pay(server, kari.auth, key: "blocked-qr", MerchantsTests.staticBody(mona.code, amountMinor: 4_500, from: kari.accountId))
            #expect(qr.status == 403 && qr.errorCode == "FORBIDDEN")
            // Refused: no payment written, nothing asked of the bank, and the customer is not told why.
            #expect(try await TransfersTests.transactionCount(server) == 0)
            #expect(server.sandboxes.faults.bank.requestCount == bankCalls)
            #expect(!remittance.body.contains("sanction") && !qr.body.contains("sanction"))

            // But compliance sees both attempts, each alert with its audit row.
            let admin = try await server.bearer(Self.anders)
            let alerts = try await Self.alerts(server, admin, "userId=\(kariId)")
            #expect(alerts.count == 2)
            #expect(alerts.allSatisfy { $0["decision"] as? String == "block" && $0["rule"] as? String == "sanctions" && ($0["transactionId"] as? String) == nil })
            for alert in alerts {
                #expect(try await Self.auditRows(server, entityId: try #require(alert["id"] as? String)).map(\.action) == ["aml_alert.raised"])
            }
            #expect(try await server.get("/v1/admin/audit-log/verify", headers: [admin]).json()["ok"] as? Bool == true)
        }
    }
}
