import DropCore
import DropKit
import DropProviders
import DropStore
import Foundation
import Testing
@testable import DropAPI

@Suite("Standing transfers over HTTP: one approval, paid by the bank's clock")
struct StandingOrdersTests {
    /// 1 500 kr a month to Kari's recipient in Poland, from today; returns the 201's body.
    static func setUp(_ server: LiveServer, _ kari: TransfersTests.Sender, key: String = "so-1", amountMinor: Int64 = 150_000,
                      extra: String = "") async throws -> DropKit.StandingOrderStarted {
        let today = OsloCalendar.today(server.clock.date).iso
        let body = #"{"recipientId":"\#(kari.recipientId)","bankAccountId":"\#(kari.accountId)","amountMinor":\#(amountMinor),"frequency":"monthly","startDate":"\#(today)"\#(extra)}"#
        let created = try await server.request(.POST, "/v1/standing-orders",
                                               headers: [kari.auth, ("content-type", "application/json"), ("Idempotency-Key", key)], body: body)
        #expect(created.status == 201, "\(created.body)")
        return try created.decode(DropKit.StandingOrderStarted.self)
    }

    static func approve(_ server: LiveServer, _ created: DropKit.StandingOrderStarted) async throws {
        let sca = try #require(created.scaRedirect)
        let back = try await server.approveAtBank(sca, as: TransfersTests.kari)
        #expect(back.status == 302)
        _ = try await server.get(try #require(back.location))
    }

    static func transfers(_ server: LiveServer, order id: String) async throws -> [(id: String, status: String, total: Int64, receive: Int64?, endToEnd: String)] {
        try await server.services.database.withConnection { db in
            try await db.raw("""
                SELECT id, status, total_minor, target_amount_minor, end_to_end_id FROM transactions WHERE standing_order_id = \(bind: id) ORDER BY created_at, id
                """).all().map {
                    (try $0.decode(column: "id", as: String.self), try $0.decode(column: "status", as: String.self),
                     try $0.decode(column: "total_minor", as: Int64.self), try $0.decode(column: "target_amount_minor", as: Int64?.self),
                     try $0.decode(column: "end_to_end_id", as: String.self))
                }
        }
    }

    static func status(_ server: LiveServer, _ auth: (String, String), _ id: String) async throws -> DropKit.StandingOrderStatus {
        try await server.get("/v1/standing-orders/\(id)", headers: [auth]).decode(DropKit.StandingOrder.self).status
    }

    /// Moves the clock by `days` and fetches that day's rates, as the FX job would.
    static func advance(_ server: LiveServer, days: Int) async throws {
        server.clock.advance(TimeInterval(days * 86_400))
        try await server.refreshExchangeRates()
    }

    /// An order still waiting for approval: its public return page asks the bank once every few seconds
    /// however often it is loaded, from however many addresses.
    @Test func theReturnPageOfAnOpenOrderAsksTheBankOnceInAFewSeconds() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let id = try await Self.setUp(server, kari).standingOrder.id
            let back = "/v1/standing-orders/\(id)/sca-callback"
            let bank = server.sandboxes.faults.bank
            let before = bank.requestCount
            for _ in 1...5 { #expect(try await server.get(back).status == 302) }
            #expect(bank.requestCount == before + 1)
            server.clock.advance(server.services.returnPageAsks.interval)
            _ = try await server.get(back)
            #expect(bank.requestCount == before + 2)
        }
    }

    @Test func kariApprovesOnceAndTheBankPaysThreeMonthsRunningEachPaidOut() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let bank = try #require(server.sandboxes.bank)
            let before = try #require(await bank.balanceMinorUnits(ofAccount: kari.accountNumber))
            let created = try await Self.setUp(server, kari)
            let order = created.standingOrder
            let id = order.id
            #expect(order.status == .pendingSCA && order.frequency == .monthly && order.dayOfExecution == 14)
            #expect(order.total.amountMinor == 150_750 && order.receiveCurrency == "PLN")
            // The same request again is the same order, not a second one.
            #expect(try await Self.setUp(server, kari).standingOrder.id == id)

            try await Self.approve(server, created)
            #expect(try await Self.status(server, kari.auth, id) == .active)

            // Day one: the bank pays by its own clock and reports it; a transfer is made and paid out.
            try await server.eventually("the first payment") { try await Self.transfers(server, order: id).count == 1 }
            var auth = kari.auth
            for month in 1...2 {
                try await Self.advance(server, days: month == 1 ? 31 : 30)
                auth = try await server.bearer(TransfersTests.kari)
                try await server.eventually("payment \(month + 1)") { try await Self.transfers(server, order: id).count == month + 1 }
            }
            let payouts = server.services.payouts()
            _ = try await payouts.submitDue()
            server.clock.advance(31)
            _ = try await payouts.pollReports()

            let made = try await Self.transfers(server, order: id)
            #expect(made.map(\.status) == ["completed", "completed", "completed"])
            // The NOK is the same each time; what Ali gets is that day's price, never unset.
            #expect(made.allSatisfy { $0.total == 150_750 && ($0.receive ?? 0) > 0 })
            #expect(Set(made.map(\.endToEnd)).count == 3)
            #expect(await bank.balanceMinorUnits(ofAccount: kari.accountNumber) == before - 3 * 150_750)

            let first = try await server.get("/v1/transactions/\(made[0].id)", headers: [auth]).decode(DropKit.Transaction.self)
            #expect(first.standingOrderId == id && first.status == .completed)
            let view = try await server.get("/v1/standing-orders/\(id)", headers: [auth]).decode(DropKit.StandingOrder.self)
            #expect(view.payments?.count == 3 && view.payments?.allSatisfy { $0.status == .completed } == true)
            #expect(view.nextPaymentDate == "2027-01-14")
            let listed = try await server.get("/v1/standing-orders", headers: [auth]).decode(DropKit.StandingOrderList.self).items
            #expect(listed.map(\.id) == [id])
            let audited = try await server.services.database.withConnection { db in
                try await db.raw("SELECT action FROM audit_log WHERE entity_id = \(bind: id) ORDER BY seq").all().map { try $0.decode(column: "action", as: String.self) }
            }
            #expect(audited == ["standing_order.created", "standing_order.active"])
        }
    }

    @Test func pausingStopsTheBanksOrderAndResumingAsksForANewApproval() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let created = try await Self.setUp(server, kari, extra: #","dayOfExecution":20"#)
            let id = created.standingOrder.id
            try await Self.approve(server, created)
            let paused = try await server.request(.POST, "/v1/standing-orders/\(id)/pause", headers: [kari.auth])
            #expect(try paused.status == 200 && paused.decode(DropKit.StandingOrder.self).status == .paused, "\(paused.body)")
            #expect(try await server.request(.POST, "/v1/standing-orders/\(id)/pause", headers: [kari.auth]).status == 409)
            // The 20th passes with nothing paid.
            try await Self.advance(server, days: 7)
            _ = await server.sandboxes.bank?.deliverPendingWebhooks()
            #expect(try await Self.transfers(server, order: id).isEmpty)

            // Resuming is a new order, approved at the bank; the paused one is then replaced.
            let auth = try await server.bearer(TransfersTests.kari)
            let resumed = try await server.request(.POST, "/v1/standing-orders/\(id)/replace",
                                                   headers: [auth, ("content-type", "application/json"), ("Idempotency-Key", "resume-1")],
                                                   body: #"{"amountMinor":200000}"#)
            #expect(resumed.status == 201, "\(resumed.body)")
            let change = try resumed.decode(DropKit.StandingOrderStarted.self)
            let abandoned = change.standingOrder.id
            #expect(change.standingOrder.replacesId == id && change.standingOrder.startDate == "2026-11-20")
            // Kari left that bank page and asks again: the first change is withdrawn (never two live orders).
            let retried = try await server.request(.POST, "/v1/standing-orders/\(id)/replace",
                                                   headers: [auth, ("content-type", "application/json"), ("Idempotency-Key", "resume-2")],
                                                   body: #"{"amountMinor":200000}"#)
            let newId = try retried.decode(DropKit.StandingOrderStarted.self).standingOrder.id
            #expect(try await Self.status(server, auth, abandoned) == .stopped)
            #expect(try await server.get(try #require(change.scaRedirect)).status == 404)
            try await Self.approve(server, try retried.decode(DropKit.StandingOrderStarted.self))
            #expect(try await Self.status(server, auth, newId) == .active)
            #expect(try await Self.status(server, auth, id) == .replaced)
            try await Self.advance(server, days: 30)
            let again = try await server.bearer(TransfersTests.kari)
            try await server.eventually("the resumed payment") { try await Self.transfers(server, order: newId).count == 1 }
            #expect(try await Self.transfers(server, order: newId).first?.total == 201_000)
            #expect(try await Self.status(server, again, id) == .replaced)

            // Stopping ends it at the bank too.
            let stopped = try await server.request(.POST, "/v1/standing-orders/\(newId)/stop", headers: [again])
            #expect(try stopped.decode(DropKit.StandingOrder.self).status == .stopped)
            let cancelled = try await server.services.database.withConnection { db in
                try await StandingOrderRepository.find(id: newId, on: db)?.bankCancelledAt
            }
            #expect(cancelled != nil)
        }
    }

    @Test func aPaymentTheBankMakesAfterDropStoppedTheOrderGoesBackToKari() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            // The bank can't be reached when Kari stops it: Drop stops at once, the bank's order lives on.
            let id = try await StandingOrderIntegrityTests.stoppedWhileTheBankIsDown(server, kari, key: "w")
            // The bank pays the next day before the reconciler (a job, not run here) gets to it.
            server.clock.advance(86_400)
            try await server.eventually("the bank's payment") { try await Self.transfers(server, order: id).count == 1 }
            let made = try #require(try await Self.transfers(server, order: id).first)
            #expect(made.status == "failed")
            let returnAsked = try await server.services.database.withConnection { db in
                try await db.raw("SELECT return_reason FROM transactions WHERE id = \(bind: made.id)").first()?.decode(column: "return_reason", as: String?.self)
            }
            #expect(returnAsked == "standing_order:order_not_running")
            // The partner returns the NOK on its clock: Kari has all her money back, and the transfer is refunded.
            let payouts = server.services.payouts()
            _ = try await payouts.processReturns()
            server.clock.advance(61)
            _ = try await payouts.processReturns()
            #expect(await server.sandboxes.bank?.balanceMinorUnits(ofAccount: kari.accountNumber) == 4_235_000)
            #expect(try await Self.transfers(server, order: id).first?.status == "refunded")
            // The reconciler cancels the bank's order; nothing more is paid.
            _ = try await server.services.standingOrders.reconcile()
            try await Self.advance(server, days: 7)
            _ = await server.sandboxes.bank?.deliverPendingWebhooks()
            #expect(try await Self.transfers(server, order: id).count == 1)
        }
    }

    @Test func aRepeatedOrForgedReportMakesNoSecondTransferAndAnEmptyAccountFailsOnlyThatPayment() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let created = try await Self.setUp(server, kari)
            let id = created.standingOrder.id
            try await Self.approve(server, created)
            try await server.eventually("the first payment") { try await Self.transfers(server, order: id).count == 1 }
            let bankPaymentId = try #require(try await server.services.database.withConnection { try await StandingOrderRepository.find(id: id, on: $0)?.bankPaymentId })
            // The reconciler reads the same execution again: nothing new.
            _ = try await server.services.standingOrders.reconcile()
            #expect(try await Self.transfers(server, order: id).count == 1)

            // A forged execution report (wrong secret) is refused before it is read.
            let fake = #"{"eventId":"evt-x","paymentId":"\#(bankPaymentId)","paymentService":"periodic-payments","executionId":"x1","executionDate":"2026-10-14","endToEndIdentification":"FAKE1","transactionStatus":"ACSC","instructedAmount":{"currency":"NOK","amount":"1507.50"}}"#
            let forged = try await server.request(.POST, "/v1/webhooks/open-banking", headers: [
                ("content-type", "application/json"),
                ("X-Drop-Signature", OpenBankingWebhook.sign(rawBody: Array(fake.utf8), secret: "not-the-secret", timestamp: server.clock.date)),
            ], body: fake)
            #expect(forged.status == 401)
            #expect(try await Self.transfers(server, order: id).count == 1)

            // Next month Kari's account is nearly empty: that payment fails, nothing moves, the order runs on.
            let bank = try #require(server.sandboxes.bank)
            try await bank.setBalance(1_000, ofAccount: kari.accountNumber)
            try await Self.advance(server, days: 31)
            try await server.eventually("the second report") { try await Self.transfers(server, order: id).count == 2 }
            #expect(try await Self.transfers(server, order: id).last?.status == "failed")
            #expect(await bank.balanceMinorUnits(ofAccount: kari.accountNumber) == 1_000)
            let auth = try await server.bearer(TransfersTests.kari)
            #expect(try await Self.status(server, auth, id) == .active)
        }
    }

    @Test func aPaymentComplianceHoldsGoesOnWhenReleasedWithNoSecondApprovalAndGoesBackWhenRejected() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let today = OsloCalendar.today(server.clock.date).iso
            var held: [String] = []
            for (index, kenya) in [ComplianceAdminTests.kenya, ComplianceAdminTests.kenya.replacingOccurrences(of: "0123456789012", with: "0987654321098")
                .replacingOccurrences(of: "Wanjiru", with: "Achieng")].enumerated() {
                let recipient = try await server.call(.POST, "/v1/recipients", kenya, auth: kari.auth).decode(Recipient.self).id
                let body = #"{"recipientId":"\#(recipient)","bankAccountId":"\#(kari.accountId)","amountMinor":1200000,"frequency":"monthly","startDate":"\#(today)"}"#
                let created = try await server.request(.POST, "/v1/standing-orders",
                                                       headers: [kari.auth, ("content-type", "application/json"), ("Idempotency-Key", "ke-\(index)")], body: body)
                let started = try created.decode(DropKit.StandingOrderStarted.self)
                let id = started.standingOrder.id
                try await Self.approve(server, started)
                try await server.eventually("the payment to Kenya") { try await Self.transfers(server, order: id).count == 1 }
                let made = try #require(try await Self.transfers(server, order: id).first)
                #expect(made.status == "held")
                held.append(made.id)
            }
            let admin = try await server.bearer(ComplianceAdminTests.anders)
            let bankCalls = server.sandboxes.faults.bank.requestCount
            // Released: the money already left Kari's account, so it goes on to payout; the bank is not asked again.
            let released = try await server.release(held[0], #"{"reason":"Family support, documented."}"#, approvedBy: admin)
            #expect(try released.status == 200 && released.decode(ComplianceAPI.Transaction.self).status == .processing, "\(released.body)")
            #expect(server.sandboxes.faults.bank.requestCount == bankCalls)
            let payouts = server.services.payouts()
            _ = try await payouts.submitDue()
            server.clock.advance(31)
            _ = try await payouts.pollReports()
            #expect(try await server.get("/v1/transactions/\(held[0])", headers: [kari.auth]).decode(DropKit.Transaction.self).status == .completed)
            // Rejected: it fails, and the NOK goes back to Kari through the partner.
            let rejected = try await server.call(.POST, "/v1/admin/transactions/\(held[1])/reject", #"{"reason":"Could not verify the purpose."}"#, auth: admin)
            #expect(try rejected.status == 200 && rejected.decode(ComplianceAPI.Transaction.self).status == .failed, "\(rejected.body)")
            let returnReason = try await server.services.database.withConnection { db in
                try await db.raw("SELECT return_reason FROM transactions WHERE id = \(bind: held[1])").first()?.decode(column: "return_reason", as: String?.self)
            }
            #expect(returnReason == "compliance_rejected")
        }
    }

    @Test func erasureStopsEveryStandingTransferAndTheBanksOrderIsCancelled() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let created = try await Self.setUp(server, kari, extra: #","dayOfExecution":28"#)
            let id = created.standingOrder.id
            try await Self.approve(server, created)
            // The data export holds it, with its payee.
            let export = try await server.get("/v1/gdpr/export", headers: [kari.auth]).decode(DropKit.DataExport.self)
            let exported = export.standingOrders
            #expect(exported.map(\.id) == [id] && exported.first?.recipient?.name == "Zofia Wójcik")
            // And the IP address it was set up from, as its bank was told it.
            #expect(export.ipAddresses?.contains { $0["standingOrderId"] == .string(id) && $0["ipAddress"] != nil } == true)
            let erased = try await server.request(.POST, "/v1/gdpr/erasure", headers: [kari.auth])
            #expect(erased.status == 202, "\(erased.body)")
            _ = try await server.services.standingOrders.reconcile()
            let order = try #require(try await server.services.database.withConnection { try await StandingOrderRepository.find(id: id, on: $0) })
            #expect(order.status == .stopped && order.stopReason == "erasure" && order.bankCancelledAt != nil)
            // The 28th passes with nothing taken from the account.
            try await Self.advance(server, days: 15)
            _ = await server.sandboxes.bank?.deliverPendingWebhooks()
            #expect(try await Self.transfers(server, order: id).isEmpty)
        }
    }

    @Test func aLostAnswerFromTheBankIsAskedAgainAndAPaymentBeforeTheApprovalIsHeardIsSentOn() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            // The bank makes the order but its answer never reaches Drop.
            server.sandboxes.faults.bank.failNext(1, with: .lostAnswer)
            let today = OsloCalendar.today(server.clock.date).iso
            let body = #"{"recipientId":"\#(kari.recipientId)","bankAccountId":"\#(kari.accountId)","amountMinor":150000,"frequency":"monthly","startDate":"\#(today)"}"#
            let lost = try await server.request(.POST, "/v1/standing-orders", headers: [kari.auth, ("content-type", "application/json"), ("Idempotency-Key", "lost")], body: body)
            #expect(lost.status == 503, "\(lost.body)")
            let stored = try #require(try await server.services.database.withConnection { db in
                try await db.raw("SELECT id FROM standing_orders").first()?.decode(column: "id", as: String.self)
            })
            // The reconciler asks again with the same request id: the bank's one order, not a second.
            server.clock.advance(61)
            _ = try await server.services.standingOrders.reconcile()
            let order = try #require(try await server.services.database.withConnection { try await StandingOrderRepository.find(id: stored, on: $0) })
            let sca = try #require(order.scaRedirect)
            #expect(order.status == .pendingSCA && order.bankPaymentId != nil)

            // Approved at the bank, but the approval's report is held up; the bank pays today.
            server.sandboxes.faults.bank.webhooksHeld = true
            _ = try await server.approveAtBank(sca, as: TransfersTests.kari)
            _ = await server.sandboxes.bank?.deliverPendingWebhooks()
            let report = try await server.services.openBanking.wrapped.periodicPayment(
                bank: "dnb", product: .norwegianDomesticCreditTransfers, paymentId: try #require(order.bankPaymentId))
            let first = try #require(report.executions.first)
            #expect(try await server.services.standingOrders.applyExecution(order, first, eventId: nil, rawBodyHash: nil) == .applied)
            #expect(try await Self.transfers(server, order: stored).map(\.status) == ["processing"])
            #expect(try await Self.status(server, kari.auth, stored) == .active)
            server.sandboxes.faults.bank.webhooksHeld = false
            _ = await server.sandboxes.bank?.deliverPendingWebhooks()
            #expect(try await Self.transfers(server, order: stored).count == 1)
            let atBank = await server.sandboxes.bank?.periodicPayments() ?? []
            #expect(atBank.count == 1 && atBank.first?.id == order.bankPaymentId && atBank.first?.executions == 1)
        }
    }

    @Test func aBankThatRefusesTheOrderEndsItAndTheSameKeyMayTryAgain() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            server.sandboxes.faults.bank.failNext(1, with: .conflict)
            let refused = try await server.request(.POST, "/v1/standing-orders", headers: [kari.auth, ("content-type", "application/json"), ("Idempotency-Key", "again")],
                                                   body: #"{"recipientId":"\#(kari.recipientId)","bankAccountId":"\#(kari.accountId)","amountMinor":150000,"frequency":"monthly","startDate":"2026-10-20"}"#)
            #expect(refused.status == 502 && refused.errorCode == "BANK_REFUSED", "\(refused.status) \(refused.body)")
            let retried = try await server.request(.POST, "/v1/standing-orders", headers: [kari.auth, ("content-type", "application/json"), ("Idempotency-Key", "again")],
                                                   body: #"{"recipientId":"\#(kari.recipientId)","bankAccountId":"\#(kari.accountId)","amountMinor":150000,"frequency":"monthly","startDate":"2026-10-20"}"#)
            #expect(try retried.status == 201 && retried.decode(DropKit.StandingOrderStarted.self).scaRedirect != nil, "\(retried.body)")
            let statuses = try await server.services.database.withConnection { db in
                try await db.raw("SELECT status FROM standing_orders ORDER BY created_at, id").all().map { try $0.decode(column: "status", as: String.self) }
            }
            #expect(statuses.sorted() == ["pending_sca", "rejected"])
        }
    }

    @Test func stoppingAnOrderTheBankAlreadyEndedCountsAsCancelledThere() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let created = try await Self.setUp(server, kari, extra: #","dayOfExecution":28"#)
            let id = created.standingOrder.id
            // Kari refuses at the bank, and its report hasn't reached Drop when she stops the order here.
            server.sandboxes.faults.bank.webhooksHeld = true
            _ = try await server.approveAtBank(try #require(created.scaRedirect), as: TransfersTests.kari, decision: "deny")
            let stopped = try await server.request(.POST, "/v1/standing-orders/\(id)/stop", headers: [kari.auth])
            #expect(try stopped.decode(DropKit.StandingOrder.self).status == .stopped)
            // The bank answers 405 to cancelling a rejected order; Drop reads that it has ended.
            let order = try await server.services.database.withConnection { try await StandingOrderRepository.find(id: id, on: $0) }
            #expect(order?.bankCancelledAt != nil)
            server.sandboxes.faults.bank.webhooksHeld = false
        }
    }

    @Test func refusalsAreNamedOnTheirFields() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            func post(_ body: String, key: String) async throws -> LiveServer.Reply {
                try await server.request(.POST, "/v1/standing-orders", headers: [kari.auth, ("content-type", "application/json"), ("Idempotency-Key", key)], body: body)
            }
            let base = #""recipientId":"\#(kari.recipientId)","bankAccountId":"\#(kari.accountId)""#
            let past = try await post(#"{\#(base),"amountMinor":150000,"frequency":"monthly","startDate":"2026-10-13"}"#, key: "a")
            #expect(past.status == 422 && past.issue("startDate") == "range")
            let often = try await post(#"{\#(base),"amountMinor":150000,"frequency":"daily","startDate":"2026-10-20"}"#, key: "b")
            #expect(often.status == 422 && often.issue("frequency") == "one_of")
            let backwards = try await post(#"{\#(base),"amountMinor":150000,"frequency":"monthly","startDate":"2026-10-20","endDate":"2026-10-19"}"#, key: "c")
            #expect(backwards.status == 422 && backwards.issue("endDate") == "date")
            let huge = try await post(#"{\#(base),"amountMinor":5000001,"frequency":"monthly","startDate":"2026-10-20"}"#, key: "d")
            #expect(huge.status == 422 && huge.errorCode == "LIMIT_EXCEEDED", "\(huge.body)")
            let nul = try await post(#"{\#(base),"amountMinor":150000,"frequency":"monthly","startDate":"2026-10-20","message":"Husleie\u0000"}"#, key: "f")
            #expect(nul.status == 422 && nul.issue("message") == "format", "\(nul.body)")
            let garbage = try await post("{", key: "e")
            #expect(garbage.status == 400)
            let ola = try await server.bearer(DropKitTests.ola)
            #expect(try await server.get("/v1/standing-orders/\(UUID().uuidString.lowercased())", headers: [ola]).status == 404)
            #expect(try await TransfersTests.transactionCount(server) == 0)
            let count = try await server.services.database.withConnection { try await $0.raw("SELECT COUNT(*) AS n FROM standing_orders").first()!.decode(column: "n", as: Int.self) }
            #expect(count == 0)
        }
    }
}
