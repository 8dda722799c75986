import DropCore
import DropKit
import DropStore
import DropTestTools
import Foundation
import SQLKit
import Testing
@testable import DropAPI

@Suite("Payout over ISO 20022: pain.001 out, pain.002 back, transfers completed, or failed and their NOK returned")
struct PayoutTests {
    static let pakistan = #"{"name":"Ayesha Khan","country":"PK","currency":"PKR","iban":"PK36SCBL0000001123456702","bic":"SCBLPKKX","bankName":"Standard Chartered Bank (Pakistan)","address":{"street":"Shahrah-e-Faisal 10","postCode":"75350","city":"Karachi"},"relationship":"family"}"#
    /// A valid IBAN whose account the payout sandbox treats as closed (ends in 0000 → RJCT AC01).
    static let closedAccount = #"{"name":"Hans Meier","country":"DE","currency":"EUR","iban":"DE94370400440532010000","relationship":"family"}"#

    /// Sends `amountMinor` NOK to a new recipient and approves at the bank; returns the transfer.
    static func paidTransfer(_ server: LiveServer, _ kari: TransfersTests.Sender, recipient: String, amountMinor: Int64) async throws -> DropKit.Transaction {
        let created = try await server.call(.POST, "/v1/recipients", recipient, auth: kari.auth)
        #expect(created.status == 201, "recipient: \(created.body)")
        let recipientId = try created.decode(Recipient.self).id
        let body = #"{"recipientId":"\#(recipientId)","amountMinor":\#(amountMinor),"bankAccountId":"\#(kari.accountId)"}"#
        let sent = try await TransfersTests.send(server, kari, key: UUID().uuidString, body: body)
        #expect(sent.status == 201, "transfer: \(sent.body)")
        let answer = try sent.decode(TransactionCreated.self)
        let transaction = answer.transaction, id = transaction.id
        _ = try await server.approveAtBank(try #require(answer.scaRedirect).absoluteString, as: TransfersTests.kari)
        // Approved (ACTC) and settled (ACSC) at the bank, by webhook.
        try await server.eventually("the bank's settlement") {
            try await server.services.database.withConnection { db in
                try await db.raw("SELECT funds_received_at FROM transactions WHERE id = \(bind: id)").first()?
                    .decode(column: "funds_received_at", as: Date?.self) != nil
            }
        }
        return transaction
    }

    @Test func transfersToGermanyAndPakistanArePaidOutAndCompleted() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let toGermany = try await Self.paidTransfer(server, kari, recipient: RecipientsTests.germany, amountMinor: 250_000)
            let toPakistan = try await Self.paidTransfer(server, kari, recipient: Self.pakistan, amountMinor: 100_000)
            // Every step to the øre: 2 500,00 + 12,50 fee and 1 000,00 + 5,00 fee left Kari's account.
            #expect(toGermany.fee.amountMinor == 1_250 && toGermany.total.amountMinor == 251_250)
            #expect(toPakistan.fee.amountMinor == 500 && toPakistan.total.amountMinor == 100_500)
            #expect(await server.sandboxes.bank?.balanceMinorUnits(ofAccount: kari.accountNumber) == 4_235_000 - 251_250 - 100_500)

            let payouts = server.services.payouts()
            #expect(try await payouts.submitDue() == 2)  // one pain.001 per currency
            #expect(try await payouts.submitDue() == 0)  // nothing twice
            let files = try await server.services.database.withConnection { db in
                try await db.raw("SELECT currency, status, pain001, transaction_count, control_sum_minor FROM payouts ORDER BY currency").all()
            }
            try #require(files.count == 2)
            let eur = try files[0].decode(column: "pain001", as: String.self)
            let pkr = try files[1].decode(column: "pain001", as: String.self)
            let eurAmount = try #require(toGermany.receive?.amountMinor), pkrAmount = try #require(toPakistan.receive?.amountMinor)
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
                let detail = try await server.get("/v1/transactions/\(transfer.id)", headers: [kari.auth]).decode(DropKit.Transaction.self)
                #expect(detail.status == .completed)
                #expect(detail.history?.map(\.status) == [.pendingSCA, .processing, .completed])
            }
            let kinds = try await Self.notifications(server, kari).map(\.kind)
            #expect(kinds.filter { $0 == "transaction.completed" }.count == 2)
            #expect(try await server.services.database.withConnection { db in
                try await db.raw("SELECT COUNT(*) AS n FROM payouts WHERE status = 'completed'").first()!.decode(column: "n", as: Int.self)
            } == 2)
            // Every move of each message is audited, in the DB transaction that made it.
            for payoutId in try await server.services.database.withConnection({ db in
                try await db.raw("SELECT id FROM payouts").all().map { try $0.decode(column: "id", as: String.self) }
            }) {
                #expect(try await ComplianceAdminTests.auditRows(server, entityId: payoutId).map(\.action)
                    == ["payout.created", "payout.sending", "payout.submitted", "payout.completed"])
            }
            #expect(try await server.services.database.withConnection { try await AuditLog.verify(on: $0) }.ok)

            // Admins see the batches and can download what was sent; customers can't.
            #expect(try await server.get("/v1/admin/payouts", headers: [kari.auth]).status == 403)
            let userId = try await server.userId(kari.auth)
            try await server.services.database.withConnection { db in
                try await db.raw("UPDATE users SET role = 'admin' WHERE id = \(bind: userId)").run()
                try await SessionChanges.changed(userId: userId, on: db)  // as every role change in Drop does
            }
            // The admins' views are not the app's, so not in DropKit: read with ComplianceAPI's types.
            let listed = try await server.get("/v1/admin/payouts", headers: [kari.auth]).decode(ComplianceAPI.Page<ComplianceAPI.Payout>.self).items
            #expect(listed.count == 2 && listed.allSatisfy { $0.status == .completed })
            let payoutId = try #require(listed.first?.id)
            let xml = try await server.get("/v1/admin/payouts/\(payoutId)/pain001.xml", headers: [kari.auth])
            #expect(xml.status == 200 && xml.body.hasPrefix("<?xml") && xml.body.contains("CstmrCdtTrfInitn"))
        }
    }

    @Test func aClosedAccountFailsTheTransferAndTheNOKIsRefundedOnlyWhenThePartnerHasReturnedIt() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let transfer = try await Self.paidTransfer(server, kari, recipient: Self.closedAccount, amountMinor: 50_000)
            let id = transfer.id
            let bank = try #require(server.sandboxes.bank)
            let paid = await bank.balanceMinorUnits(ofAccount: kari.accountNumber)
            #expect(paid == Int64(4_235_000 - 50_250))
            let payouts = server.services.payouts()
            #expect(try await payouts.submitDue() == 1)
            server.clock.advance(31)
            #expect(try await payouts.pollReports() == 1)

            // Failed, and the return asked for: not `refunded`, since no money has moved back yet.
            var detail = try await server.get("/v1/transactions/\(id)", headers: [kari.auth]).decode(DropKit.Transaction.self)
            #expect(detail.status == .failed && detail.failureReason == "payout:AC01")
            var row = try await Self.returnColumns(server, id)
            #expect(row.requestedAt != nil && row.reason == "payout:AC01" && row.partnerId == nil && row.returnedAt == nil)
            let told = try await Self.notifications(server, kari)
            #expect(told.first?.kind == "transaction.returning")
            #expect(told.first?.body.contains("being returned to your account") == true)

            // Asked of the partner, twice and from two workers at once: one return.
            #expect(try await payouts.processReturns() == 0)
            row = try await Self.returnColumns(server, id)
            let partnerId = try #require(row.partnerId)
            async let first = server.services.payouts(worker: "a").processReturns()
            async let second = server.services.payouts(worker: "b").processReturns()
            #expect(try await first + second == 0)
            #expect(try await Self.returnColumns(server, id).partnerId == partnerId)
            #expect(await bank.balanceMinorUnits(ofAccount: kari.accountNumber) == paid)
            detail = try await server.get("/v1/transactions/\(id)", headers: [kari.auth]).decode(DropKit.Transaction.self)
            #expect(detail.status == .failed)

            // The partner completes the return on its clock; only now is the transfer refunded.
            server.clock.advance(61)
            async let third = server.services.payouts(worker: "a").processReturns()
            async let fourth = server.services.payouts(worker: "b").processReturns()
            #expect(try await third + fourth == 1)
            #expect(try await payouts.processReturns() == 0)
            #expect(await bank.balanceMinorUnits(ofAccount: kari.accountNumber) == 4_235_000)
            detail = try await server.get("/v1/transactions/\(id)", headers: [kari.auth]).decode(DropKit.Transaction.self)
            #expect(detail.status == .refunded)
            #expect(detail.history?.map(\.status) == [.pendingSCA, .processing, .failed, .refunded])
            #expect(try await Self.returnColumns(server, id).returnedAt != nil)
            let kinds = try await Self.notifications(server, kari).map(\.kind)
            #expect(kinds.filter { $0 == "transaction.refunded" }.count == 1)
            // The return asked (by Drop) and accepted (by the partner, once for two workers) are audited.
            let returnRows = try await ComplianceAdminTests.auditRows(server, entityId: id).filter { $0.action.hasPrefix("transaction.return") }
            #expect(returnRows.map(\.action) == ["transaction.return_requested", "transaction.return_accepted"])
            #expect(returnRows.map(\.actor) == [nil, "payout-partner"])
            #expect(try await server.services.database.withConnection { try await AuditLog.verify(on: $0) }.ok)
        }
    }

    /// A partner may report a whole message's status and name no transaction (`GrpSts` only): a
    /// rejected message fails every transfer in it and asks for their NOK back, an accepted one
    /// completes them, and neither is asked about again.
    @Test func aStatusForTheWholeMessageMovesEveryTransferInIt() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let closed = [try await Self.paidTransfer(server, kari, recipient: Self.closedAccount, amountMinor: 50_000).id,
                          try await Self.paidTransfer(server, kari, recipient: Self.closedAccount, amountMinor: 60_000).id]
            let paid = try await Self.paidTransfer(server, kari, recipient: Self.pakistan, amountMinor: 70_000).id
            let payouts = server.services.payouts()
            #expect(try await payouts.submitDue() == 2)  // EUR, both to closed accounts, and PKR
            server.sandboxes.faults.payout.fault = .groupStatusOnly
            server.clock.advance(31)
            #expect(try await payouts.pollReports() == 3)
            for id in closed {
                #expect(try await Self.status(server, id) == "failed")
                let row = try await Self.returnColumns(server, id)
                #expect(row.requestedAt != nil && row.reason == "payout:AC01")
            }
            #expect(try await Self.status(server, paid) == "completed")
            #expect(try await Self.payoutStatuses(server) == ["completed", "completed"])
            #expect(try await payouts.pollReports() == 0)

            // The NOK comes back as for any failed payout: refunded once the partner has returned it.
            #expect(try await payouts.processReturns() == 0)
            server.clock.advance(61)
            #expect(try await payouts.processReturns() == 2)
            for id in closed { #expect(try await Self.status(server, id) == "refunded") }
            #expect(try await server.services.database.withConnection { try await AuditLog.verify(on: $0) }.ok)
        }
    }

    /// A partner that gives the message's Verification of Payee outcome (`GrpSts` `RCVC`) as its status:
    /// each transfer still moves by its own status. Drop once refused the whole report over that code,
    /// so none of them moved until the unsettled checker raised them a day later.
    @Test func aPayeeVerificationStatusOverTheMessageLeavesEachTransferToItsOwn() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let closed = try await Self.paidTransfer(server, kari, recipient: Self.closedAccount, amountMinor: 50_000).id
            let paid = try await Self.paidTransfer(server, kari, recipient: RecipientsTests.germany, amountMinor: 60_000).id
            let payouts = server.services.payouts()
            #expect(try await payouts.submitDue() == 1)  // both EUR: one message
            server.sandboxes.faults.payout.fault = .payeeVerificationGroupStatus
            server.clock.advance(31)
            #expect(try await payouts.pollReports() == 2)
            #expect(try await Self.status(server, closed) == "failed")
            #expect(try await Self.returnColumns(server, closed).reason == "payout:AC01")
            #expect(try await Self.status(server, paid) == "completed")
            #expect(try await Self.payoutStatuses(server) == ["completed"])
        }
    }

    /// A partner may report each payment group's status (`PmtInfSts`) with neither a message status
    /// nor transactions: a group's status is its own transfers'. `PART` says only that some were
    /// accepted, so those wait until the partner names them.
    @Test func aStatusForAPaymentGroupMovesTheTransfersInIt() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let payouts = server.services.payouts()
            let rejected = try await Self.paidTransfer(server, kari, recipient: Self.closedAccount, amountMinor: 50_000).id
            #expect(try await payouts.submitDue() == 1)  // a message of its own
            let mixed = [try await Self.paidTransfer(server, kari, recipient: Self.closedAccount, amountMinor: 60_000).id,
                         try await Self.paidTransfer(server, kari, recipient: RecipientsTests.germany, amountMinor: 70_000).id]
            let paid = try await Self.paidTransfer(server, kari, recipient: Self.pakistan, amountMinor: 80_000).id
            #expect(try await payouts.submitDue() == 2)

            server.sandboxes.faults.payout.fault = .paymentGroupStatusOnly
            server.clock.advance(31)
            #expect(try await payouts.pollReports() == 2)
            #expect(try await Self.status(server, rejected) == "failed")
            #expect(try await Self.returnColumns(server, rejected).reason == "payout:AC01")
            #expect(try await Self.status(server, paid) == "completed")
            for id in mixed { #expect(try await Self.status(server, id) == "processing") }
            #expect(try await payouts.pollReports() == 0)

            // Named one by one, they move.
            server.sandboxes.faults.payout.fault = nil
            #expect(try await payouts.pollReports() == 2)
            #expect(try await Self.status(server, mixed[0]) == "failed")
            #expect(try await Self.status(server, mixed[1]) == "completed")
            #expect(try await Self.payoutStatuses(server) == ["completed", "completed", "completed"])
        }
    }

    @Test func aRecipientEditedAfterTheTransferDoesNotChangeWhoIsPaid() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let transfer = try await Self.paidTransfer(server, kari, recipient: RecipientsTests.germany, amountMinor: 50_000)
            let id = transfer.id
            let recipientId = try #require(try await server.services.database.withConnection { db in
                try await db.raw("SELECT recipient_id FROM transactions WHERE id = \(bind: id)").first()?.decode(column: "recipient_id", as: String?.self)
            })
            let edited = try await server.call(.PATCH, "/v1/recipients/\(recipientId)", #"{"name":"Mallory Other","iban":"DE94370400440532010000"}"#, auth: kari.auth)
            #expect(edited.status == 200, "\(edited.body)")
            #expect(try await server.services.payouts().submitDue() == 1)
            let xml = try await Self.onlyPain001(server)
            #expect(xml.contains("<Nm>Hans Meier</Nm>") && xml.contains("DE89370400440532013000"))
            #expect(!xml.contains("Mallory") && !xml.contains("DE94370400440532010000"))
        }
    }

    @Test func anInstructionThatCannotBeBuiltFailsAloneAndTheOthersGoOut() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let good = try await Self.paidTransfer(server, kari, recipient: Self.pakistan, amountMinor: 50_000).id
            let bad = try await Self.paidTransfer(server, kari, recipient: Self.pakistan, amountMinor: 60_000).id
            // Saved before cross-border names had to have a Latin writing (CBPR+): it would go as dots.
            let cyrillic = "Олена Коваленко"
            try await server.services.database.withConnection { try await $0.raw("UPDATE transactions SET payee_name = \(bind: cyrillic) WHERE id = \(bind: bad)").run() }

            #expect(try await server.services.payouts().submitDue() == 1)
            let files = try await server.services.database.withConnection { db in
                try await db.raw("SELECT status, transaction_count FROM payouts").all()
            }
            #expect(files.count == 1)
            #expect(try files.first?.decode(column: "status", as: String.self) == "submitted")
            #expect(try files.first?.decode(column: "transaction_count", as: Int.self) == 1)
            #expect(try await Self.status(server, good) == "processing")
            #expect(try await Self.status(server, bad) == "failed")
            let row = try await Self.returnColumns(server, bad)
            #expect(row.requestedAt != nil && row.reason == "payout:invalid:creditorName")
            let alerts = try await server.services.database.withConnection { try await OperationsAlertRepository.open(on: $0) }
            #expect(alerts.map(\.kind) == [.payoutInstructionInvalid] && alerts.first?.entityId == bad)
            #expect(alerts.first.map { !$0.details.contains("Олена") } == true)  // codes only, never the name
        }
    }

    /// The amount priced in the transfer's currency is never paid in another: a payee snapshot whose currency differs
    /// from the transfer's (no path writes one today) fails alone, operations alerted.
    @Test func aPayeeInAnotherCurrencyThanTheTransferIsNotPaid() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let good = try await Self.paidTransfer(server, kari, recipient: Self.pakistan, amountMinor: 50_000).id
            let bad = try await Self.paidTransfer(server, kari, recipient: Self.pakistan, amountMinor: 60_000).id
            try await server.services.database.withConnection { try await $0.raw("UPDATE transactions SET payee_currency = 'USD' WHERE id = \(bind: bad)").run() }

            #expect(try await server.services.payouts().submitDue() == 1)
            #expect(try await Self.status(server, good) == "processing")
            #expect(try await Self.status(server, bad) == "failed")
            let row = try await Self.returnColumns(server, bad)
            #expect(row.reason == "payout:invalid:currency")
            let counts = try await server.services.database.withConnection { db in
                try await db.raw("SELECT transaction_count FROM payouts").all().map { try $0.decode(column: "transaction_count", as: Int.self) }
            }
            #expect(counts == [1])
        }
    }

    @Test func aMessageRefusedBecauseOfOneInstructionIsSentAgainWithoutIt() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let innocent = try await Self.paidTransfer(server, kari, recipient: RecipientsTests.germany, amountMinor: 50_000).id
            let unreadable = RecipientsTests.germany.replacingOccurrences(of: "Hans Meier", with: "Hans Unreadable Meier")
            let named = try await Self.paidTransfer(server, kari, recipient: unreadable, amountMinor: 60_000).id

            let payouts = server.services.payouts()
            #expect(try await payouts.submitDue() == 2)  // the refused message and its replacement
            let files = try await server.services.database.withConnection { db in
                try await db.raw("SELECT id, message_id, status, transaction_count FROM payouts ORDER BY created_at, status").all()
            }
            let statuses = try files.map { try $0.decode(column: "status", as: String.self) }
            #expect(Set(statuses) == ["rejected", "submitted"])
            #expect(Set(try files.map { try $0.decode(column: "message_id", as: String.self) }).count == 2)
            let resent = try #require(files.first { (try? $0.decode(column: "status", as: String.self)) == "submitted" })
            #expect(try resent.decode(column: "transaction_count", as: Int.self) == 1)
            let payoutOfInnocent = try await server.services.database.withConnection { db in
                try await db.raw("SELECT payout_id FROM transactions WHERE id = \(bind: innocent)").first()?.decode(column: "payout_id", as: String?.self)
            }
            #expect(payoutOfInnocent == (try resent.decode(column: "id", as: String.self)))
            #expect(try await Self.status(server, named) == "failed")
            #expect(try await Self.returnColumns(server, named).reason == "payout:FF01")
            let refused = try #require(files.first { (try? $0.decode(column: "status", as: String.self)) == "rejected" })
            #expect(try await ComplianceAdminTests.auditRows(server, entityId: try refused.decode(column: "id", as: String.self)).map(\.action)
                == ["payout.created", "payout.sending", "payout.rejected"])

            server.clock.advance(31)
            #expect(try await payouts.pollReports() == 1)
            #expect(try await Self.status(server, innocent) == "completed")
        }
    }

    @Test func refusedCredentialsOrAMessageIdClashAreNeverTheCustomersFailure() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let id = try await Self.paidTransfer(server, kari, recipient: RecipientsTests.germany, amountMinor: 50_000).id
            let payouts = server.services.payouts()
            let faults = server.sandboxes.faults.payout
            let payout = {
                try await server.services.database.withConnection { db in
                    let row = try #require(try await db.raw("SELECT message_id, status FROM payouts").first())
                    return ["message_id": try row.decode(column: "message_id", as: String.self), "status": try row.decode(column: "status", as: String.self)]
                }
            }
            let refusals = {
                try await server.services.database.withConnection { try await OperationsAlertRepository.open(on: $0) }.filter { $0.kind == .payoutPartnerRefused }.count
            }

            faults.failNext(1, with: .unauthorized)
            #expect(try await payouts.submitDue() == 1)
            let messageId = try #require(try await payout()["message_id"])
            #expect(try await payout()["status"] == "sending")  // held, as any refused request
            #expect(try await refusals() == 1)
            // Not sent again every run to a partner refusing Drop's credentials: once its hold lapses.
            let asked = faults.requestCount
            server.clock.advance(31)
            #expect(try await payouts.submitDue() == 0)
            #expect(faults.requestCount == asked)
            server.clock.advance(PayoutService.refusedRequestRecheck)
            faults.failNext(1, with: .unauthorized)
            #expect(try await payouts.submitDue() == 0)
            #expect(faults.requestCount == asked + 1)
            #expect(try await refusals() == 1)  // the same problem is raised once
            server.clock.advance(PayoutService.refusedRequestRecheck + 1)
            faults.failNext(1, with: .conflict)
            #expect(try await payouts.submitDue() == 0)
            #expect(try await payout()["status"] == "sending")
            #expect(try await refusals() == 2)
            #expect(try await Self.status(server, id) == "processing")
            #expect(try await Self.returnColumns(server, id).requestedAt == nil)

            // Once the partner takes Drop again, the same message goes, unchanged.
            server.clock.advance(PayoutService.refusedRequestRecheck + 1)
            #expect(try await payouts.submitDue() == 0)
            #expect(try await payout() == ["message_id": messageId, "status": "submitted"])
        }
    }

    @Test func twoWorkersAtOnceBatchEachTransferOnceAndSendEachMessageOnce() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            var ids: [String] = []
            for (recipient, amount) in [(RecipientsTests.germany, Int64(50_000)), (RecipientsTests.germany, 60_000), (Self.pakistan, 70_000)] {
                ids.append(try await Self.paidTransfer(server, kari, recipient: recipient, amountMinor: amount).id)
            }
            let faults = server.sandboxes.faults.payout
            faults.reset()
            faults.fault = .delay(.milliseconds(400))  // a slow partner: both workers are mid-send at once
            async let first = server.services.payouts(worker: "worker-a").submitDue()
            async let second = server.services.payouts(worker: "worker-b").submitDue()
            let built = try await first + second
            faults.fault = nil

            #expect(built == 2)  // EUR and PKR
            let files = try await server.services.database.withConnection { db in
                try await db.raw("SELECT id, status, transaction_count FROM payouts").all()
            }
            #expect(files.count == 2)
            #expect(try files.allSatisfy { try $0.decode(column: "status", as: String.self) == "submitted" })
            #expect(try files.reduce(0) { $0 + (try $1.decode(column: "transaction_count", as: Int.self)) } == 3)
            let payoutIds = Set(try files.map { try $0.decode(column: "id", as: String.self) })
            for id in ids {
                let payoutId = try await server.services.database.withConnection { db in
                    try await db.raw("SELECT payout_id FROM transactions WHERE id = \(bind: id)").first()?.decode(column: "payout_id", as: String?.self)
                }
                #expect(payoutId.map(payoutIds.contains) == true)
            }
            #expect(faults.requestCount == 2)  // each message POSTed once
        }
    }

    @Test func aClaimOfAWorkerThatDiedLapsesAndTheSameMessageIsSentAgain() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let id = try await Self.paidTransfer(server, kari, recipient: RecipientsTests.germany, amountMinor: 50_000).id
            let faults = server.sandboxes.faults.payout
            faults.fault = .unavailable
            #expect(try await server.services.payouts().submitDue() == 1)
            faults.fault = nil
            server.clock.advance(61)  // the partner's breaker cools down
            // A worker claimed the message, sent it and died before recording the answer.
            let stored = try await server.services.database.withConnection { db in
                try #require(try await db.raw("SELECT message_id, pain001 FROM payouts").first())
            }
            let messageId = try stored.decode(column: "message_id", as: String.self)
            let xml = try stored.decode(column: "pain001", as: String.self)
            let until = server.clock.date.addingTimeInterval(120)
            try await server.services.database.withConnection { db in
                try await db.raw("UPDATE payouts SET status = 'sending', claimed_by = 'dead-worker', claimed_until = \(bind: until)").run()
            }
            #expect(try await server.services.payoutPartner.wrapped.submit(pain001: xml, messageId: messageId).replayed == false)

            // While the claim holds nobody else sends; after it lapses the stored bytes go again, answered from the partner's record.
            #expect(try await server.services.payouts().submitDue() == 0)
            #expect(try await Self.onlyPayoutStatus(server) == "sending")
            faults.reset()
            server.clock.advance(121)
            #expect(try await server.services.payouts().submitDue() == 0)
            #expect(try await Self.onlyPayoutStatus(server) == "submitted")
            #expect(faults.requestCount == 1)
            #expect(try await server.services.payoutPartner.wrapped.submit(pain001: xml, messageId: messageId).replayed)
            server.clock.advance(31)
            #expect(try await server.services.payouts().pollReports() == 1)
            #expect(try await Self.status(server, id) == "completed")
        }
    }

    static func payoutStatuses(_ server: LiveServer) async throws -> [String] {
        try await server.services.database.withConnection { db in
            try await db.raw("SELECT status FROM payouts ORDER BY created_at, id").all().map { try $0.decode(column: "status", as: String.self) }
        }
    }

    static func onlyPayoutStatus(_ server: LiveServer) async throws -> String {
        try await server.services.database.withConnection { db in
            try #require(try await db.raw("SELECT status FROM payouts").first()).decode(column: "status", as: String.self)
        }
    }

    static func status(_ server: LiveServer, _ id: String) async throws -> String? {
        try await server.services.database.withConnection { db in
            try await db.raw("SELECT status FROM transactions WHERE id = \(bind: id)").first()?.decode(column: "status", as: String.self)
        }
    }

    static func returnColumns(_ server: LiveServer, _ id: String) async throws -> (requestedAt: Date?, reason: String?, partnerId: String?, returnedAt: Date?) {
        try await server.services.database.withConnection { db in
            let row = try #require(try await db.raw("""
                SELECT return_requested_at, return_reason, partner_return_id, returned_at FROM transactions WHERE id = \(bind: id)
                """).first())
            return (try row.decode(column: "return_requested_at", as: Date?.self), try row.decode(column: "return_reason", as: String?.self),
                    try row.decode(column: "partner_return_id", as: String?.self), try row.decode(column: "returned_at", as: Date?.self))
        }
    }

    /// Newest first.
    static func notifications(_ server: LiveServer, _ kari: TransfersTests.Sender) async throws -> [DropNotification] {
        try await server.get("/v1/notifications?limit=100", headers: [kari.auth]).decode(NotificationList.self).items
    }

    static func onlyPain001(_ server: LiveServer) async throws -> String {
        try await server.services.database.withConnection { db in
            try #require(try await db.raw("SELECT pain001 FROM payouts").first()).decode(column: "pain001", as: String.self)
        }
    }

    @Test func aPartnerThatIsDownGetsTheSameMessageAgainLater() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            _ = try await Self.paidTransfer(server, kari, recipient: RecipientsTests.germany, amountMinor: 50_000)
            let payouts = server.services.payouts()
            server.sandboxes.faults.payout.fault = .unavailable
            #expect(try await payouts.submitDue() == 1)
            let status = { try await server.services.database.withConnection { try await $0.raw("SELECT status FROM payouts").first()!.decode(column: "status", as: String.self) } }
            #expect(try await status() == "created")
            server.sandboxes.faults.payout.fault = nil
            server.clock.advance(61)  // the partner's breaker cools down
            #expect(try await payouts.submitDue() == 0)  // nothing new; the stored message is resent
            #expect(try await status() == "submitted")
        }
    }
}
