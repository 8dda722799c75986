import DropCore
import DropKit
import DropStore
import Foundation
import SQLKit
import Testing
@testable import DropAPI

/// QR payments are screened like remittances, on the creating DB transaction; a block leaves its
/// alert behind for compliance, for both.
extension ComplianceAdminTests {
    static func rules(_ alert: ComplianceAPI.Alert?) -> [AMLRuleID] {
        (alert?.findings ?? []).map(\.rule).sorted()
    }

    @Test func a20000QRPaymentRaisesTheSameAlertARemittanceWould() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let mona = try await server.registeredMona()
            let kari = try await TransfersTests.sender(server)
            let remittance = try await Self.send(server, kari, amountMinor: 2_000_000, key: "big-remit")
            #expect(remittance.status == 201, "\(remittance.body)")
            let remittanceId = try remittance.decode(TransactionCreated.self).transaction.id
            let qr = try await MerchantsTests.pay(server, kari.auth, key: "big-qr", MerchantsTests.staticBody(mona.code, amountMinor: 2_000_000, from: kari.accountId))
            #expect(qr.status == 201, "\(qr.body)")
            let qrPayment = try qr.decode(TransactionCreated.self)
            let qrId = qrPayment.transaction.id
            // An alert lets the payment go on to the bank.
            #expect(qrPayment.transaction.status == .pendingSCA && qrPayment.scaRedirect != nil)

            let admin = try await server.bearer(Self.anders)
            let alerts = try await Self.alerts(server, admin, "userId=\(try await server.userId(kari.auth))")
            let remittanceAlert = alerts.first { $0.transactionId == remittanceId }
            let qrAlert = try #require(alerts.first { $0.transactionId == qrId })
            #expect(Self.rules(remittanceAlert) == [.newRecipientLargeAmount])
            #expect(Self.rules(qrAlert) == Self.rules(remittanceAlert))
            #expect(qrAlert.decision == .alert && qrAlert.rule == remittanceAlert?.rule)
            #expect(try await Self.auditRows(server, entityId: qrAlert.id).map(\.action) == ["aml_alert.raised"])
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
            let created = try sent.decode(TransactionCreated.self)
            let id = created.transaction.id
            #expect(created.transaction.status == .held && created.scaRedirect == nil)
            // Nothing is asked of the bank while it is held.
            #expect(server.sandboxes.faults.bank.requestCount == bankCalls)
            #expect(try server.bankSandboxPayments().filter { $0.creditor == mona.settlementAccount }.isEmpty)

            // A static code has no expiry: hours later it is released as any other.
            server.clock.advance(3 * 3600)
            let admin = try await server.bearer(Self.anders)
            let held = try await server.get("/v1/admin/transactions?status=held", headers: [admin]).decode(ComplianceAPI.Page<ComplianceAPI.Transaction>.self).items
            #expect(held.first { $0.id == id }?.kind == .qrPayment)
            let alert = try #require(try await Self.alerts(server, admin, "status=open").first { $0.transactionId == id })
            #expect(alert.decision == .hold && Self.rules(alert) == [.largeAmount, .newRecipientLargeAmount])

            let released = try await server.release(id, #"{"reason":"Catering order, invoice seen."}"#, approvedBy: admin)
            #expect(released.status == 200, "\(released.body)")
            #expect(try released.decode(ComplianceAPI.Transaction.self).status == .pendingSCA)
            // The payment is asked for straight to Mona's own settlement account, not Drop's payout partner.
            let atBank = try server.bankSandboxPayments().filter { $0.amountMinor == 3_000_000 }
            #expect(atBank.map(\.creditor) == [mona.settlementAccount])
            #expect(atBank.first?.creditor != server.services.config.providers.payoutCollectionAccount)
            let detail = try await server.get("/v1/transactions/\(id)", headers: [kari.auth]).decode(DropKit.Transaction.self)
            let back = try await server.approveAtBank(try #require(detail.scaRedirect).absoluteString, as: TransfersTests.kari)
            _ = try await server.get(try #require(back.location))
            try await server.eventually("the released payment to complete") {
                try await server.get("/v1/transactions/\(id)", headers: [kari.auth]).decode(DropKit.Transaction.self).status == .completed
            }
            let board = try await server.get("/v1/merchants/me/dashboard", headers: [mona.auth]).decode(MerchantDashboard.self)
            #expect(board.count == 1 && board.total.amountMinor == 3_000_000)
        }
    }

    /// Kari pays Mona's signed code for 30 000 kr ("Bord 4"); it is held for compliance. The code
    /// and the held payment, by its id.
    static func heldSignedCodePayment(_ server: LiveServer) async throws
        -> (mona: (auth: (String, String), code: String, settlementAccount: String), kari: (auth: (String, String), accountId: String), id: String) {
        let mona = try await server.registeredMona()
        let kari = try await MerchantsTests.payer(server)
        let url = try await server.get("/v1/merchants/me/qr?amountMinor=3000000&reference=Bord%204", headers: [mona.auth]).decode(DropKit.PaymentLinkInfo.self).url
        let sent = try await MerchantsTests.pay(server, kari.auth, key: "held-signed", try MerchantsTests.body(paying: url, base: server.services.publicBaseURL.url,
                                                                                                           from: kari.accountId))
        #expect(sent.status == 201, "\(sent.body)")
        let created = try sent.decode(TransactionCreated.self)
        #expect(created.transaction.status == .held && created.scaRedirect == nil)
        return (mona, kari, created.transaction.id)
    }

    /// Released the next day, after Mona's code expired (she took cash meanwhile): asking Kari's bank
    /// now would pay Mona twice for one purchase. The payment ends instead and both are told.
    @Test func aHeldQRPaymentReleasedAfterItsCodeExpiredEndsInsteadOfBeingPaid() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let (mona, kari, id) = try await Self.heldSignedCodePayment(server)
            // Hours later, long after the code's 15 minutes.
            server.clock.advance(3 * 3600)
            let bankCalls = server.sandboxes.faults.bank.requestCount
            let admin = try await server.bearer(Self.anders)
            let released = try await server.release(id, #"{"reason":"Catering order, invoice seen."}"#, approvedBy: admin)
            #expect(released.status == 409 && released.errorCode == "PAYMENT_LINK_EXPIRED", "\(released.body)")

            // Ended, not offered again: nothing asked of the bank, no approval link for Kari.
            #expect(server.sandboxes.faults.bank.requestCount == bankCalls)
            #expect(try server.bankSandboxPayments().filter { $0.creditor == mona.settlementAccount }.isEmpty)
            let payment = try await server.get("/v1/transactions/\(id)", headers: [kari.auth]).decode(DropKit.Transaction.self)
            #expect(payment.status == .expired && payment.scaRedirect == nil)
            #expect(payment.history?.map(\.status) == [.pendingSCA, .held, .expired])
            #expect(try await Self.transaction(server, admin, id).status == .expired)
            let notices = try await server.get("/v1/notifications", headers: [kari.auth]).decode(NotificationList.self).items
            #expect(notices.first?.kind == "transaction.code_expired" && notices.first?.data?["scaRedirect"] == nil)
            // Mona's live list sees it end.
            let board = try await server.get("/v1/merchants/me/dashboard", headers: [mona.auth]).decode(MerchantDashboard.self)
            #expect(board.payments.first { $0.id == id }?.status == .expired && board.count == 0)
            let merchantId = try await server.get("/v1/merchants/me", headers: [mona.auth]).decode(DropKit.Merchant.self).id
            let events = try await server.services.database.withConnection { try await MerchantRepository.events(merchantId: merchantId, after: 0, limit: 10, on: $0) }
            #expect(events.last?.transactionId == id && events.last?.status == .expired)
            // Audited as what happened: the officer's release ended it, nothing was released to the bank.
            let actions = try await Self.auditRows(server, entityId: id).map(\.action)
            #expect(actions.contains("transaction.aml_ended_code_expired") && !actions.contains("transaction.aml_released"))
            #expect(try await server.get("/v1/admin/audit-log/verify", headers: [admin]).decode(ComplianceAPI.ChainCheck.self).ok)
        }
    }

    /// Released while Mona's code is still good: asked of Kari's bank as any released payment.
    @Test func aHeldQRPaymentReleasedBeforeItsCodeExpiresIsAskedOfTheBank() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let (mona, kari, id) = try await Self.heldSignedCodePayment(server)
            server.clock.advance(10 * 60)
            let admin = try await server.bearer(Self.anders)
            let released = try await server.release(id, #"{"reason":"Catering order, invoice seen."}"#, approvedBy: admin)
            #expect(released.status == 200, "\(released.body)")
            #expect(try released.decode(ComplianceAPI.Transaction.self).status == .pendingSCA)
            #expect(try server.bankSandboxPayments().filter { $0.amountMinor == 3_000_000 }.map(\.creditor) == [mona.settlementAccount])
            let payment = try await server.get("/v1/transactions/\(id)", headers: [kari.auth]).decode(DropKit.Transaction.self)
            #expect(payment.status == .pendingSCA && payment.scaRedirect != nil)
        }
    }

    @Test func aHeldQRPaymentWhoseMerchantOwnerIsRejectedMeanwhileFailsInsteadOfBeingPaid() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let mona = try await server.registeredMona()
            let kari = try await MerchantsTests.payer(server)
            let sent = try await MerchantsTests.pay(server, kari.auth, key: "held-then-owner-out", MerchantsTests.staticBody(mona.code, amountMinor: 3_000_000, from: kari.accountId))
            let created = try sent.decode(TransactionCreated.self)
            let id = created.transaction.id
            #expect(sent.status == 201 && created.transaction.status == .held)

            // While it waits for compliance, Sumsub rejects Mona for good.
            #expect(try await KYCTests.deliverReview(server, userId: try await server.userId(mona.auth), answer: "RED",
                                                     labels: ["FORGERY"], rejectType: "FINAL").status == 200)
            #expect(try await KYCTests.status(server, mona.auth).status == .rejected)

            let bankCalls = server.sandboxes.faults.bank.requestCount
            let admin = try await server.bearer(Self.anders)
            let released = try await server.release(id, #"{"reason":"Looked fine."}"#, approvedBy: admin)
            #expect(released.status == 409 && released.errorCode == "MERCHANT_UNAVAILABLE", "\(released.body)")
            // Failed, not paid: the bank was never asked, and Kari is told it didn't go through.
            #expect(server.sandboxes.faults.bank.requestCount == bankCalls)
            #expect(try server.bankSandboxPayments().filter { $0.creditor == mona.settlementAccount }.isEmpty)
            let payment = try await server.get("/v1/transactions/\(id)", headers: [kari.auth]).decode(DropKit.Transaction.self)
            #expect(payment.status == .failed && payment.scaRedirect == nil)
            let reason = try await server.services.database.withConnection { db in
                try await db.raw("SELECT failure_reason FROM transactions WHERE id = \(bind: id)").first()?.decode(column: "failure_reason", as: String?.self) ?? nil
            }
            #expect(reason == "merchant_unavailable")
            #expect(try await server.get("/v1/admin/audit-log/verify", headers: [admin]).decode(ComplianceAPI.ChainCheck.self).ok)
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
            #expect(alerts.allSatisfy { $0.decision == .block && $0.rule == .sanctions && $0.transactionId == nil })
            for alert in alerts {
                #expect(try await Self.auditRows(server, entityId: alert.id).map(\.action) == ["aml_alert.raised"])
            }
            #expect(try await server.get("/v1/admin/audit-log/verify", headers: [admin]).decode(ComplianceAPI.ChainCheck.self).ok)
        }
    }
}
