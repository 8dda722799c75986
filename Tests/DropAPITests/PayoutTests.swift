import DropCore
import DropStore
import DropTestSupport
import Foundation
import SQLKit
import Testing
@testable import DropAPI

@Suite("Payout over ISO 20022: pain.001 out, pain.002 back, transfers completed or refunded")
struct PayoutTests {
    static let pakistan = #"{"name":"Ayesha Khan","country":"PK","currency":"PKR","iban":"PK36SCBL0000001123456702","bic":"SCBLPKKX","bankName":"Standard Chartered Bank (Pakistan)","address":{"street":"Shahrah-e-Faisal 10","postCode":"75350","city":"Karachi"},"relationship":"family"}"#
    /// A valid IBAN whose account the payout sandbox treats as closed (ends in 0000 → RJCT AC01).
    static let closedAccount = #"{"name":"Hans Meier","country":"DE","currency":"EUR","iban":"DE94370400440532010000","relationship":"family"}"#

    /// Sends `amountMinor` NOK to a new recipient and approves at the bank; returns the transfer.
    static func paidTransfer(_ server: LiveServer, _ kari: TransfersTests.Sender, recipient: String, amountMinor: Int64) async throws -> [String: Any] {
        let created = try await server.call(.POST, "/v1/recipients", recipient, auth: kari.auth)
        let recipientId = try #require(created.json()["id"] as? String, "recipient: \(created.body)")
        let body = #"{"recipientId":"\#(recipientId)","amountMinor":\#(amountMinor),"bankAccountId":"\#(kari.accountId)"}"#
        let sent = try await TransfersTests.send(server, kari, key: UUID().uuidString, body: body)
        let transaction = try #require(sent.json()["transaction"] as? [String: Any], "transfer: \(sent.body)")
        let id = try #require(transaction["id"] as? String)
        _ = try await server.approveAtBank(try #require(sent.json()["scaRedirect"] as? String), as: TransfersTests.kari)
        // Approved (ACTC) and settled (ACSC) at the bank, by webhook.
        try await server.eventually("the bank's settlement") {
            try await server.services.database.read { db in
                try await db.raw("SELECT funds_received_at FROM transactions WHERE id = \(bind: id)").first()?
                    .decode(column: "funds_received_at", as: Date?.self) != nil
            }
        }
        return transaction
    }

    static func minor(_ value: Any?) -> Int64? { ((value as? [String: Any])?["amountMinor"] as? NSNumber)?.int64Value }

    @Test func transfersToGermanyAndPakistanArePaidOutAndCompleted() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let toGermany = try await Self.paidTransfer(server, kari, recipient: RecipientsTests.germany, amountMinor: 250_000)
            let toPakistan = try await Self.paidTransfer(server, kari, recipient: Self.pakistan, amountMinor: 100_000)
            // Every step to the øre: 2 500,00 + 12,50 fee and 1 000,00 + 5,00 fee left Kari's account.
            #expect(Self.minor(toGermany["fee"]) == Int64(1_250) && Self.minor(toGermany["total"]) == Int64(251_250))
            #expect(Self.minor(toPakistan["fee"]) == Int64(500) && Self.minor(toPakistan["total"]) == Int64(100_500))
            #expect(await server.services.sandboxes.bank?.balanceMinorUnits(ofAccount: kari.accountNumber) == 4_235_000 - 251_250 - 100_500)

            let payouts = PayoutService(services: server.services)
            #expect(try await payouts.submitDue() == 2)  // one pain.001 per currency
            #expect(try await payouts.submitDue() == 0)  // nothing twice
            let files = try await server.services.database.read { db in
                try await db.raw("SELECT currency, status, pain001, transaction_count, control_sum_minor FROM payouts ORDER BY currency").all()
            }
            try #require(files.count == 2)
            let eur = try files[0].decode(column: "pain001", as: String.self)
            let pkr = try files[1].decode(column: "pain001", as: String.self)
            let eurAmount = try #require(Self.minor(toGermany["receive"])), pkrAmount = try #require(Self.minor(toPakistan["receive"]))
            #expect(eur.contains("<Cd>SEPA</Cd>") && eur.contains("<ChrgBr>SLEV</ChrgBr>") && eur.contains("DE89370400440532013000"))
            #expect(eur.contains(#"<InstdAmt Ccy="EUR">\#(Money(minorUnits: eurAmount, currency: .eur).decimalString)</InstdAmt>"#))
            #expect(pkr.contains("<ChrgBr>SHAR</ChrgBr>") && pkr.contains("<BICFI>SCBLPKKX</BICFI>"))
            #expect(pkr.contains(#"<InstdAmt Ccy="PKR">\#(Money(minorUnits: pkrAmount, currency: Currency(rawValue: "PKR")!).decimalString)</InstdAmt>"#))
            #expect(try files.allSatisfy { try $0.decode(column: "status", as: String.self) == "submitted" })
            // What Drop really sent is valid against the official pain.001.001.09 schema.
            if XMLSchemaCheck.isRequired || (XMLSchemaCheck.xmllint != nil && XMLSchemaCheck.pain001XSD != nil) {
                for file in [eur, pkr] {
                    let result = try XMLSchemaCheck.validate(file, against: XMLSchemaCheck.pain001XSD)
                    #expect(result.valid, "\(result.output)")
                }
            }

            // The partner settles after its delay; the pain.002 completes both transfers.
            #expect(try await payouts.pollReports() == 0)
            server.clock.advance(31)
            #expect(try await payouts.pollReports() == 2)
            for transfer in [toGermany, toPakistan] {
                let detail = try await server.get("/v1/transactions/\(try #require(transfer["id"] as? String))", headers: [kari.auth]).json()
                #expect(detail["status"] as? String == "completed")
                #expect((detail["history"] as? [[String: Any]])?.compactMap { $0["status"] as? String } == ["pending_sca", "processing", "completed"])
            }
            let kinds = (try await server.get("/v1/notifications?limit=100", headers: [kari.auth]).json()["items"] as? [[String: Any]])?
                .compactMap { $0["kind"] as? String } ?? []
            #expect(kinds.filter { $0 == "transaction.completed" }.count == 2)
            #expect(try await server.services.database.read { db in
                try await db.raw("SELECT COUNT(*) AS n FROM payouts WHERE status = 'completed'").first()!.decode(column: "n", as: Int.self)
            } == 2)
            #expect(try await server.services.database.read { try await AuditLog.verify(on: $0) }.ok)

            // Admins see the batches and can download what was sent; customers can't.
            #expect(try await server.get("/v1/admin/payouts", headers: [kari.auth]).status == 403)
            let userId = try await server.userId(kari.auth)
            try await server.services.database.read { try await $0.raw("UPDATE users SET role = 'admin' WHERE id = \(bind: userId)").run() }
            let listed = try await server.get("/v1/admin/payouts", headers: [kari.auth]).json()["items"] as? [[String: Any]]
            #expect(listed?.count == 2 && listed?.allSatisfy { $0["status"] as? String == "completed" } == true)
            let payoutId = try #require(listed?.first?["id"] as? String)
            let xml = try await server.get("/v1/admin/payouts/\(payoutId)/pain001.xml", headers: [kari.auth])
            #expect(xml.status == 200 && xml.body.hasPrefix("<?xml") && xml.body.contains("CstmrCdtTrfInitn"))
        }
    }

    @Test func aClosedAccountFailsTheTransferAndRefundsTheSender() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let transfer = try await Self.paidTransfer(server, kari, recipient: Self.closedAccount, amountMinor: 50_000)
            let payouts = PayoutService(services: server.services)
            #expect(try await payouts.submitDue() == 1)
            server.clock.advance(31)
            #expect(try await payouts.pollReports() == 1)
            let detail = try await server.get("/v1/transactions/\(try #require(transfer["id"] as? String))", headers: [kari.auth]).json()
            #expect(detail["status"] as? String == "refunded")
            #expect(detail["failureReason"] as? String == "payout:AC01")
            #expect((detail["history"] as? [[String: Any]])?.compactMap { $0["status"] as? String } == ["pending_sca", "processing", "failed", "refunded"])
        }
    }

    @Test func aPartnerThatIsDownGetsTheSameMessageAgainLater() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            _ = try await Self.paidTransfer(server, kari, recipient: RecipientsTests.germany, amountMinor: 50_000)
            let payouts = PayoutService(services: server.services)
            server.services.sandboxFaults.payout.fault = .unavailable
            #expect(try await payouts.submitDue() == 1)
            let status = { try await server.services.database.read { try await $0.raw("SELECT status FROM payouts").first()!.decode(column: "status", as: String.self) } }
            #expect(try await status() == "created")
            server.services.sandboxFaults.payout.fault = nil
            server.clock.advance(61)  // the partner's breaker cools down
            #expect(try await payouts.submitDue() == 0)  // nothing new; the stored message is resent
            #expect(try await status() == "submitted")
        }
    }
}
