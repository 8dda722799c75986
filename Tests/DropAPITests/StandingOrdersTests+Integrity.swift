import DropCore
import DropKit
import DropProviderFakes
import DropProviders
import DropStore
import DropTestSupport
import Foundation
import Testing
@testable import DropAPI

/// A standing transfer pays what was approved, once, and only on an outcome the bank reports as final.
@Suite("Standing transfers: the approved payee, the limits counted once, payments still in progress")
struct StandingOrderIntegrityTests {
    /// A weekly order of 1 500 kr to Kari's recipient, its first payment day `days` from today, set up
    /// (not yet approved) under `key`.
    static func weekly(_ server: LiveServer, _ kari: TransfersTests.Sender, key: String, startingIn days: Int) async throws -> DropKit.StandingOrderStarted {
        let start = try OsloCalendar.today(server.clock.date).adding(days: days).iso
        let body = #"{"recipientId":"\#(kari.recipientId)","bankAccountId":"\#(kari.accountId)","amountMinor":150000,"frequency":"weekly","startDate":"\#(start)"}"#
        let created = try await server.request(.POST, "/v1/standing-orders",
                                               headers: [kari.auth, ("content-type", "application/json"), ("Idempotency-Key", key)], body: body)
        #expect(created.status == 201, "\(created.body)")
        return try created.decode(DropKit.StandingOrderStarted.self)
    }

    /// A weekly order from tomorrow, approved, then stopped by Kari while her bank can't be reached:
    /// Drop stops at once, the bank's order lives on. Returns its id.
    static func stoppedWhileTheBankIsDown(_ server: LiveServer, _ kari: TransfersTests.Sender, key: String) async throws -> String {
        let started = try await Self.weekly(server, kari, key: key, startingIn: 1)
        try await StandingOrdersTests.approve(server, started)
        server.sandboxes.faults.bank.failNext(20, with: .unavailable)
        let stopped = try await server.request(.POST, "/v1/standing-orders/\(started.standingOrder.id)/stop", headers: [kari.auth])
        #expect(try stopped.decode(DropKit.StandingOrder.self).status == .stopped)
        server.sandboxes.faults.bank.reset()
        return started.standingOrder.id
    }

    /// StandingOrdersTests' monthly order, approved, as Drop keeps it.
    static func approvedOrder(_ server: LiveServer, _ kari: TransfersTests.Sender) async throws -> StandingOrderRecord {
        let created = try await StandingOrdersTests.setUp(server, kari)
        try await StandingOrdersTests.approve(server, created)
        return try #require(try await server.services.database.withConnection { try await StandingOrderRepository.find(id: created.standingOrder.id, on: $0) })
    }

    /// Why the NOK of the order's (first) payment is asked back, if it is.
    static func returnReason(_ server: LiveServer, order id: String) async throws -> String? {
        try await server.services.database.withConnection { db in
            try await db.raw("SELECT return_reason FROM transactions WHERE standing_order_id = \(bind: id) ORDER BY created_at, id").first()?
                .decode(column: "return_reason", as: String?.self) ?? nil
        }
    }

    /// Every pain.001 Drop has written.
    static func pain001s(_ server: LiveServer) async throws -> [String] {
        try await server.services.database.withConnection { db in
            try await db.raw("SELECT pain001 FROM payouts").all().map { try $0.decode(column: "pain001", as: String.self) }
        }
    }

    @Test func aRecipientEditedAfterApprovalNeverChangesWhereTheOrderPays() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let created = try await StandingOrdersTests.setUp(server, kari)
            let id = created.standingOrder.id
            try await StandingOrdersTests.approve(server, created)
            try await server.eventually("the first payment") { try await StandingOrdersTests.transfers(server, order: id).count == 1 }

            // Kari (or someone holding her session, with no approval at the bank) points the recipient elsewhere.
            let edited = try await server.call(.PATCH, "/v1/recipients/\(kari.recipientId)",
                                               #"{"name":"Mallory Hacker","iban":"PL27114020040000300201355387"}"#, auth: kari.auth)
            #expect(edited.status == 200)
            try await StandingOrdersTests.advance(server, days: 31)
            let auth = try await server.bearer(TransfersTests.kari)
            try await server.eventually("the second payment") { try await StandingOrdersTests.transfers(server, order: id).count == 2 }

            // Both payments pay Zofia's account, as approved; the order still names her.
            let made = try await StandingOrdersTests.transfers(server, order: id)
            #expect(made.map(\.status) == ["processing", "processing"], "\(made)")
            _ = try await server.services.payouts().submitDue()  // those not yet sent on
            let sent = try await Self.pain001s(server)
            // Both payments were sent on (one pain.001 each, or together), each to Zofia's account.
            #expect(sent.map { $0.components(separatedBy: "PL61109010140000071219812874").count - 1 }.reduce(0, +) == 2, "\(sent)")
            #expect(sent.allSatisfy { $0.contains("PL61109010140000071219812874") && !$0.contains("PL27114020040000300201355387") && !$0.contains("Mallory") })
            let view = try await server.get("/v1/standing-orders/\(id)", headers: [auth]).decode(DropKit.StandingOrder.self)
            #expect(view.recipient?.name == "Zofia Wójcik")
            let second = try await server.get("/v1/transactions/\(made[1].id)", headers: [auth]).decode(DropKit.Transaction.self)
            #expect(second.recipient?.name == "Zofia Wójcik")

            // A new amount is a changed order, approved at the bank again, but not a new payee: the bank's
            // page names Drop's collection account, so it would not show one. It still pays Zofia.
            let changed = try await server.request(.POST, "/v1/standing-orders/\(id)/replace",
                                                   headers: [auth, ("content-type", "application/json"), ("Idempotency-Key", "new-amount")],
                                                   body: #"{"amountMinor":160000}"#)
            #expect(changed.status == 201, "\(changed.body)")
            let replacement = try changed.decode(DropKit.StandingOrderStarted.self).standingOrder
            #expect(replacement.recipient?.name == "Zofia Wójcik" && replacement.receiveCurrency == "PLN")
            let kept = try await server.services.database.withConnection { try await StandingOrderRepository.find(id: replacement.id, on: $0)?.payee }
            #expect(kept?.iban == "PL61109010140000071219812874")
        }
    }

    @Test func eachPaymentCountsOnceAgainstTheDailyLimit() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            // 10 000 kr a day; each payment is 6 000 kr: it fits once, never twice.
            let limits = try await server.call(.PUT, "/v1/spending-limits", #"{"daily":{"amountMinor":1000000,"currency":"NOK"}}"#, auth: kari.auth)
            #expect(limits.status == 200)
            let created = try await StandingOrdersTests.setUp(server, kari, amountMinor: 600_000)
            let id = created.standingOrder.id
            try await StandingOrdersTests.approve(server, created)
            try await server.eventually("the first payment") { try await StandingOrdersTests.transfers(server, order: id).count == 1 }
            let made = try await StandingOrdersTests.transfers(server, order: id)
            #expect(made.map(\.status) == ["processing"], "\(made)")
        }
    }

    @Test func aPaymentStillInProgressAtTheBankIsMadeOnceWhenItSettles() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let order = try await Self.approvedOrder(server, try await TransfersTests.sender(server))
            func execution(_ status: String) -> OpenBankingExecution {
                OpenBankingExecution(id: "exec-in-progress", executionDate: OsloCalendar.today(server.clock.date), endToEndIdentification: "E2E-SO-IN-PROGRESS",
                                     transactionStatus: status, statusReason: nil, amount: Money(minorUnits: 150_750, currency: .nok))
            }
            func made() async throws -> [String] {
                try await server.services.database.withConnection { db in
                    try await db.raw("SELECT status FROM transactions WHERE bank_execution_id = 'exec-in-progress'").all()
                        .map { try $0.decode(column: "status", as: String.self) }
                }
            }
            let service = server.services.standingOrders
            // Accepted, settlement in process: not an outcome yet, so nothing is written.
            #expect(try await service.applyExecution(order, execution("ACSP"), eventId: nil, rawBodyHash: nil) == .notFinal)
            #expect(try await service.applyExecution(order, execution("PDNG"), eventId: nil, rawBodyHash: nil) == .notFinal)
            #expect(try await made().isEmpty)
            // Settled: one transfer, sent on; told again, still one.
            #expect(try await service.applyExecution(order, execution("ACSC"), eventId: nil, rawBodyHash: nil) == .applied)
            #expect(try await service.applyExecution(order, execution("ACSC"), eventId: nil, rawBodyHash: nil) == .duplicate)
            #expect(try await made() == ["processing"])
        }
    }

    /// A bank may give every payment of an order the same end-to-end id, or none (`NOTPROVIDED`):
    /// each is still its own transfer, paid out under an id of Drop's own.
    @Test func paymentsTheBankGaveOneEndToEndIdAreEachATransfer() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let order = try await Self.approvedOrder(server, try await TransfersTests.sender(server))
            let today = OsloCalendar.today(server.clock.date)
            for (n, day) in [today, try today.adding(days: 31)].enumerated() {
                let execution = OpenBankingExecution(id: "exec-notprovided-\(n)", executionDate: day, endToEndIdentification: "NOTPROVIDED",
                                                     transactionStatus: "ACSC", statusReason: nil, amount: Money(minorUnits: 150_750, currency: .nok))
                #expect(try await server.services.standingOrders.applyExecution(order, execution, eventId: nil, rawBodyHash: nil) == .applied)
            }
            let made = try await server.services.database.withConnection { db in
                try await db.raw("SELECT status, end_to_end_id FROM transactions WHERE bank_execution_id LIKE 'exec-notprovided-%'").all()
                    .map { (try $0.decode(column: "status", as: String.self), try $0.decode(column: "end_to_end_id", as: String.self)) }
            }
            #expect(made.map(\.0) == ["processing", "processing"])
            #expect(Set(made.map(\.1)).count == 2 && !made.map(\.1).contains("NOTPROVIDED"))
        }
    }

    /// Kari stops her order while her bank can't be reached; the bank pays the next day and that
    /// payment's webhook is lost. Cancelling at the bank, the reconciler also reads what it paid.
    @Test func aPaymentWhoseWebhookWasLostBeforeTheBankCancelledIsStillReturned() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let id = try await Self.stoppedWhileTheBankIsDown(server, kari, key: "lost")
            // The bank pays on its day; its webhook never arrives.
            server.sandboxes.faults.bank.webhooksHeld = true
            server.clock.advance(86_400)
            _ = await server.sandboxes.bank?.deliverPendingWebhooks()
            #expect(try await StandingOrdersTests.transfers(server, order: id).isEmpty)

            for _ in 0..<2 { _ = try await server.services.standingOrders.reconcile() }
            let made = try await StandingOrdersTests.transfers(server, order: id)
            #expect(made.map(\.status) == ["failed"], "\(made)")
            let returnAsked = try await Self.returnReason(server, order: id)
            #expect(returnAsked == "standing_order:order_not_running")
            // The bank has cancelled it, and Drop knows it paid nothing else.
            let cancelled = try await server.services.database.withConnection { try await StandingOrderRepository.find(id: id, on: $0)?.bankCancelledAt }
            #expect(cancelled != nil)
        }
    }

    /// Kari stops her order and her bank answers the cancellation 202: it wants her own approval of the
    /// cancellation, and its order runs on. The bank pays the next day and that payment's webhook is lost:
    /// the reconciler, asking again, reads the payment and returns it. Operations hear of the order once,
    /// and Kari is asked once to cancel it in her bank's app.
    @Test func aPaymentOfAnOrderTheBankWouldNotCancelIsReturnedAndRaised() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let started = try await Self.weekly(server, kari, key: "not-cancelled", startingIn: 1)
            try await StandingOrdersTests.approve(server, started)
            let id = started.standingOrder.id
            server.sandboxes.faults.bank.fault = .cancellationNeedsAuthorisation
            let stopped = try await server.request(.POST, "/v1/standing-orders/\(id)/stop", headers: [kari.auth])
            #expect(try stopped.decode(DropKit.StandingOrder.self).status == .stopped)

            // The bank pays on its day; its webhook never arrives.
            server.sandboxes.faults.bank.webhooksHeld = true
            server.clock.advance(86_400)
            _ = await server.sandboxes.bank?.deliverPendingWebhooks()
            for _ in 0..<2 { _ = try await server.services.standingOrders.reconcile() }

            let made = try await StandingOrdersTests.transfers(server, order: id)
            #expect(made.map(\.status) == ["failed"], "\(made)")
            let returnAsked = try await Self.returnReason(server, order: id)
            #expect(returnAsked == "standing_order:order_not_running")
            // Still live at the bank, so never noted as cancelled.
            let order = try #require(try await server.services.database.withConnection { try await StandingOrderRepository.find(id: id, on: $0) })
            #expect(order.bankCancelledAt == nil)
            #expect(await server.sandboxes.bank?.periodicPayments().first { $0.id == order.bankPaymentId }?.status != "CANC")
            let alerts = try await server.services.database.withConnection { try await OperationsAlertRepository.open(on: $0) }
                .filter { $0.kind == .standingOrderCancelRefused }
            #expect(alerts.count == 1 && alerts.first?.entityId == id, "\(alerts)")
            #expect(alerts.first?.details.contains(#""refusal":"CANCELLATION_NEEDS_AUTHORISATION""#) == true)
            let asked = try await server.services.database.withConnection { db in
                try await db.raw("SELECT COUNT(*) AS n FROM notifications WHERE user_id = \(bind: order.userId) AND kind = 'standing_order.cancel_at_bank'")
                    .first()?.decode(column: "n", as: Int.self)
            }
            #expect(asked == 1)
        }
    }

    /// An order whose cancellation the bank refuses is asked about again after the orders asked before it:
    /// with room for one a round, the order Drop ended next is still cancelled.
    @Test func anOrderTheBankWouldNotCancelDoesNotHoldUpTheNext() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            var ids: [String] = []
            for key in ["stuck", "next"] {
                let started = try await Self.weekly(server, kari, key: key, startingIn: 1)
                try await StandingOrdersTests.approve(server, started)
                ids.append(started.standingOrder.id)
            }
            let (stuck, next) = (ids[0], ids[1])
            // Kari stops the first; her bank wants her own approval of the cancellation.
            server.sandboxes.faults.bank.fault = .cancellationNeedsAuthorisation
            let stopped = try await server.request(.POST, "/v1/standing-orders/\(stuck)/stop", headers: [kari.auth])
            #expect(try stopped.decode(DropKit.StandingOrder.self).status == .stopped)
            // A minute later Drop stops the second without asking the bank (as erasure does: the reconciler cancels it).
            server.clock.advance(60)
            #expect(try await server.services.database.transaction { db in
                try await StandingOrderRepository.move(id: next, from: .active, to: .stopped, stopReason: "erasure", actor: .system,
                                                       at: server.clock.date, on: db)
            })
            // A round with room for one asks about the first again, refused again.
            server.clock.advance(60)
            _ = try await server.services.standingOrders.reconcile(limit: 1)
            // The next round reaches the second, which the bank cancels.
            server.sandboxes.faults.bank.fault = nil
            server.clock.advance(60)
            _ = try await server.services.standingOrders.reconcile(limit: 1)
            func cancelled(_ id: String) async throws -> Bool {
                try await server.services.database.withConnection { try await StandingOrderRepository.find(id: id, on: $0)?.bankCancelledAt } != nil
            }
            #expect(try await cancelled(next))
            #expect(try await !cancelled(stuck))
        }
    }

    /// Kari cancels her order at her own bank the day after it paid. Either the bank's report of the
    /// cancellation reaches Drop and the payment's is lost, or neither reaches Drop: the reconciler reads
    /// the payment, made while the order ran, and sends it on; only then is the cancellation noted.
    @Test(arguments: [true, false])
    func aPaymentMadeBeforeKariCancelledAtHerBankIsSentOn(cancellationHeard: Bool) async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let started = try await Self.weekly(server, kari, key: "cancelled-at-bank", startingIn: 1)
            try await StandingOrdersTests.approve(server, started)
            let id = started.standingOrder.id
            // The bank pays on its day; its webhooks never arrive. (The day's rates are fetched alone: the
            // job worker's own reconciler round would read the payment before Kari cancels.)
            server.sandboxes.faults.bank.webhooksHeld = true
            server.clock.advance(86_400)
            _ = try await server.services.exchangeRates.refresh(using: server.services.ratesFeed.wrapped)
            _ = await server.sandboxes.bank?.deliverPendingWebhooks()
            #expect(try await StandingOrdersTests.transfers(server, order: id).isEmpty)

            // Kari cancels it in her bank's app.
            let order = try #require(try await server.services.database.withConnection { try await StandingOrderRepository.find(id: id, on: $0) })
            try await server.services.openBanking.wrapped.cancelPeriodicPayment(
                bank: order.bankId, product: try #require(OpenBankingPaymentProduct(rawValue: order.bankProduct)), paymentId: try #require(order.bankPaymentId))
            if cancellationHeard {
                #expect(try await server.services.standingOrders.applyBankStatus(order, code: "CANC", eventId: nil, rawBodyHash: nil) == .applied)
            }

            for _ in 0..<2 { _ = try await server.services.standingOrders.reconcile() }
            let made = try await StandingOrdersTests.transfers(server, order: id)
            #expect(made.map(\.status) == ["processing"], "\(made)")
            let returnAsked = try await Self.returnReason(server, order: id)
            #expect(returnAsked == nil)
            let stopped = try await server.services.database.withConnection { try await StandingOrderRepository.find(id: id, on: $0) }
            #expect(stopped?.status == .stopped && stopped?.stopReason == "bank" && stopped?.bankCancelledAt != nil)
        }
    }

    /// A bank report claims 999 999 kr (or euros) for a payment of the 1 507,50 kr order: no transfer is
    /// made of it and no return of it asked; operations hear of it, once.
    @Test func aPaymentReportedForAnotherAmountMakesNoTransferAndRaisesAnAlert() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let order = try await Self.approvedOrder(server, try await TransfersTests.sender(server))
            try await server.eventually("the first payment") { try await StandingOrdersTests.transfers(server, order: order.id).count == 1 }
            let bankPaymentId = try #require(order.bankPaymentId)
            func report(_ event: String, execution: String, currency: String = "NOK", amount: String) async throws -> LiveServer.Reply {
                let body = #"{"eventId":"\#(event)","paymentId":"\#(bankPaymentId)","paymentService":"periodic-payments","executionId":"\#(execution)","executionDate":"\#(OsloCalendar.today(server.clock.date).iso)","endToEndIdentification":"E2E-\#(execution)","transactionStatus":"ACSC","instructedAmount":{"currency":"\#(currency)","amount":"\#(amount)"}}"#
                return try await server.request(.POST, "/v1/webhooks/open-banking", headers: [
                    ("content-type", "application/json"),
                    ("X-Drop-Signature", OpenBankingWebhook.sign(rawBody: Array(body.utf8), secret: server.services.config.secrets.openBankingWebhookSecret,
                                                                 timestamp: server.clock.date)),
                ], body: body)
            }
            #expect(try await report("evt-big", execution: "x-big", amount: "999999.00").status == 200)
            #expect(try await report("evt-big-again", execution: "x-big", amount: "999999.00").status == 200)
            #expect(try await report("evt-eur", execution: "x-eur", currency: "EUR", amount: "1507.50").status == 200)
            #expect(try await report("evt-negative", execution: "x-negative", amount: "-1507.50").status == 422)

            let made = try await StandingOrdersTests.transfers(server, order: order.id)
            #expect(made.count == 1 && made.allSatisfy { $0.total == order.totalMinor }, "\(made)")
            let returns = try await server.services.database.withConnection { db in
                try await db.raw("SELECT COUNT(*) AS n FROM transactions WHERE return_reason IS NOT NULL OR total_minor > \(bind: order.totalMinor)").first()?
                    .decode(column: "n", as: Int.self)
            }
            #expect(returns == 0)
            let alerts = try await server.services.database.withConnection { try await OperationsAlertRepository.open(on: $0) }
            #expect(alerts.map(\.kind) == [.reconciliationMismatch, .reconciliationMismatch] && alerts.allSatisfy { $0.entityId == order.id }, "\(alerts)")
            #expect(alerts.allSatisfy { $0.details.contains(#""problem":"execution_amount_mismatch""#) })
            #expect(alerts.contains { $0.details.contains(#""reportedMinor":99999900"#) && $0.details.contains(#""instructedMinor":150750"#) })
        }
    }

    /// A bank that doesn't keep request ids makes a second periodic payment when the order is asked for
    /// again (by an attempt that read it before the first stored the bank's answer). Only the one Drop
    /// recorded is followed and handed out; the second is cancelled, so Kari can't approve both and be
    /// paid from every month under an id Drop doesn't know.
    @Test func aSecondPeriodicPaymentForOneOrderIsCancelledAndNeverHandedOut() async throws {
        let parties = TransfersRouterTests.Parties(bank: await BankLinkRouterTests.bank())
        try await RouterApp.test(providers: parties.providers, clock: TestClock(LiveServer.wednesdayNoon)) { app in
            let kari = try await TransfersRouterTests.kariReadyToSend(app, parties)
            let user = try await TransfersRouterTests.attempt(app, kari).user
            let input = StandingOrderService.Input(recipientId: kari.recipientId, bankAccountId: kari.accountId, amountMinor: 100_000, frequency: "monthly",
                                                   startDate: OsloCalendar.today(LiveServer.wednesdayNoon).iso)
            let orders = app.services.standingOrders
            let first = try await orders.createOnce(user: user, input, idempotencyKey: "twice", psuIPAddress: "192.0.2.10")
            let id = first.standingOrder.id
            let database = app.services.database
            func stored() async throws -> StandingOrderRecord? {
                try await database.withConnection { try await StandingOrderRepository.find(id: id, on: $0) }
            }
            let recorded = try #require(try await stored()?.bankPaymentId)

            await parties.bank.ignoreRequestIds()
            // The order as an attempt read it before the first stored the bank's answer.
            try await database.run("UPDATE standing_orders SET bank_payment_id = NULL, sca_redirect = NULL WHERE id = \(bind: id)")
            let asOfBefore = try #require(try await stored())
            try await database.run("""
                UPDATE standing_orders SET bank_payment_id = \(bind: recorded), sca_redirect = \(bind: first.scaRedirect) WHERE id = \(bind: id)
                """)
            let again = try await orders.askBank(asOfBefore, client: .web)
            #expect(again.scaRedirect == first.scaRedirect && again.standingOrder.id == id)
            let atBank = await parties.bank.periodicPaymentStatuses()
            #expect(atBank.count == 2)
            #expect(atBank.first { $0.id == recorded }?.status == "RCVD")
            #expect(atBank.first { $0.id != recorded }?.status == "CANC")
            #expect(try await stored()?.bankPaymentId == recorded)
            let alerts = try await database.withConnection { try await OperationsAlertRepository.openBesidesMissingRates(on: $0) }
            #expect(alerts.count == 1 && alerts.first?.entityId == id)
            #expect(alerts.first?.details.contains(#""problem":"second_bank_payment""#) == true)
            #expect(alerts.first?.details.contains(#""cancelledAtBank":true"#) == true)

            // The bank's answer for an order that no longer waits for approval is never stored on it.
            #expect(try await database.withConnection { db in
                _ = try await StandingOrderRepository.move(id: id, from: .pendingSCA, to: .stopped, actor: .system, at: Date(), on: db)
                return try await StandingOrderRepository.recordInitiation(id: id, bankPaymentId: recorded, scaRedirect: "https://bank.example/sca",
                                                                          at: Date(), on: db)
            } == false)
        }
    }

    /// Changes under one key that reach the service at once (taps the idempotency store didn't hold
    /// back): the unique key lets one order through, and every request gets that one, never an error.
    @Test func changesUnderOneKeyAtOnceAreOneOrder() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let order = try await Self.approvedOrder(server, kari)
            let user = try #require(try await server.services.database.withConnection { try await UserRepository.find(id: order.userId, on: $0) })
            let service = server.services.standingOrders
            let started = try await withThrowingTaskGroup(of: StandingOrderService.Started.self) { group in
                for _ in 0..<6 {
                    group.addTask {
                        try await service.replace(user: user, id: order.id, .init(amountMinor: 160_000), idempotencyKey: "at-once",
                                                  requestHash: "same-request", psuIPAddress: "192.0.2.10")
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(Set(started.map(\.standingOrder.id)).count == 1 && started.allSatisfy { $0.scaRedirect != nil })
            let replacements = try await server.services.database.withConnection { db in
                try await db.raw("SELECT COUNT(*) AS n FROM standing_orders WHERE replaces_id = \(bind: order.id)").first()?.decode(column: "n", as: Int.self)
            }
            #expect(replacements == 1)
        }
    }

    /// Changes of one order made at the same moment under different keys (two devices, two tabs): they
    /// are made one after the other, each withdrawing the one before, so at most one waits for approval.
    /// Two waiting would both go live once approved, each paying every month.
    @Test func changesAtOnceUnderDifferentKeysLeaveOneWaiting() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let order = try await Self.approvedOrder(server, kari)
            let user = try #require(try await server.services.database.withConnection { try await UserRepository.find(id: order.userId, on: $0) })
            let service = server.services.standingOrders
            try await withThrowingTaskGroup(of: Void.self) { group in
                for tap in 0..<6 {
                    group.addTask {
                        _ = try await service.replace(user: user, id: order.id, .init(amountMinor: 160_000 + Int64(tap)), idempotencyKey: "device-\(tap)",
                                                      requestHash: "request-\(tap)", psuIPAddress: "192.0.2.10")
                    }
                }
                try await group.waitForAll()
            }
            let statuses = try await server.services.database.withConnection { db in
                try await db.raw("SELECT status FROM standing_orders WHERE replaces_id = \(bind: order.id)").all()
                    .map { try $0.decode(column: "status", as: String.self) }
            }
            #expect(statuses.count == 6 && statuses.filter { $0 == "pending_sca" }.count == 1 && statuses.filter { $0 == "stopped" }.count == 5, "\(statuses)")
        }
    }

    /// Stopping an order withdraws its change still waiting for approval: approved later at the bank, it
    /// would have started paying again.
    @Test func stoppingAnOrderWithdrawsItsChangeWaitingForApproval() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let order = try await Self.approvedOrder(server, kari)
            let changed = try await server.request(.POST, "/v1/standing-orders/\(order.id)/replace",
                                                   headers: [kari.auth, ("content-type", "application/json"), ("Idempotency-Key", "new-amount")],
                                                   body: #"{"amountMinor":160000}"#)
            #expect(changed.status == 201, "\(changed.body)")
            let change = try changed.decode(DropKit.StandingOrderStarted.self)
            let stopped = try await server.request(.POST, "/v1/standing-orders/\(order.id)/stop", headers: [kari.auth])
            #expect(try stopped.decode(DropKit.StandingOrder.self).status == .stopped)

            let withdrawn = try #require(try await server.services.database.withConnection {
                try await StandingOrderRepository.find(id: change.standingOrder.id, on: $0)
            })
            #expect(withdrawn.status == .stopped && withdrawn.bankCancelledAt != nil)
            // Approving it at the bank now starts nothing: the bank cancelled it, and Drop keeps it stopped.
            _ = try? await server.approveAtBank(try #require(change.scaRedirect), as: TransfersTests.kari)
            _ = try await server.services.standingOrders.applyBankStatus(withdrawn, code: "ACTC", eventId: nil, rawBodyHash: nil)
            let after = try await server.services.database.withConnection { try await StandingOrderRepository.find(id: change.standingOrder.id, on: $0) }
            #expect(after?.status == .stopped)
        }
    }

    /// The reconciler reads the orders it read longest ago first: one whose payment's webhook was lost
    /// is reached however many others it finds nothing new for.
    @Test func theReconcilerReachesEveryOrderInTurn() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            func order(_ key: String, startingIn days: Int) async throws -> String {
                let started = try await Self.weekly(server, kari, key: key, startingIn: days)
                try await StandingOrdersTests.approve(server, started)
                server.clock.advance(60)
                return started.standingOrder.id
            }
            // Live, with nothing to pay for days: every read of it finds nothing new.
            _ = try await order("quiet", startingIn: 5)
            let paying = try await order("paying", startingIn: 1)
            server.sandboxes.faults.bank.webhooksHeld = true
            try await StandingOrdersTests.advance(server, days: 1)
            _ = await server.sandboxes.bank?.deliverPendingWebhooks()

            // The job worker's own round (run with the day's rates) read both orders before the bank paid:
            // both are now as recently read, and the bank's payment is heard only by reading again.
            server.clock.advance(1)
            for _ in 0..<2 { _ = try await server.services.standingOrders.reconcile(limit: 1) }
            #expect(try await StandingOrdersTests.transfers(server, order: paying).map(\.status) == ["processing"])
        }
    }

    /// The bank is down when the order is asked for: it is written and waits. A retry with the key
    /// asks the bank for it; another order under the key (another amount) is refused, not handed it.
    @Test func anotherOrderUnderTheKeyOfOneTheBankMissedIsRefused() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let today = OsloCalendar.today(server.clock.date).iso
            func post(_ amountMinor: Int) async throws -> LiveServer.Reply {
                let body = #"{"recipientId":"\#(kari.recipientId)","bankAccountId":"\#(kari.accountId)","amountMinor":\#(amountMinor),"frequency":"monthly","startDate":"\#(today)"}"#
                return try await server.request(.POST, "/v1/standing-orders",
                                                headers: [kari.auth, ("content-type", "application/json"), ("Idempotency-Key", "so-retry")], body: body)
            }
            server.sandboxes.faults.bank.fault = .unavailable
            #expect(try await post(150_000).status == 503)
            server.sandboxes.faults.bank.fault = nil
            server.clock.advance(61)  // past the breaker's cool-down

            let other = try await post(990_000)
            #expect(other.status == 422 && other.errorCode == "IDEMPOTENCY_KEY_REUSED", "\(other.body)")
            let retried = try await post(150_000)
            #expect(retried.status == 201, "\(retried.body)")
            #expect(try retried.decode(DropKit.StandingOrderStarted.self).standingOrder.amount.amountMinor == 150_000)
        }
    }

    /// A standing order pays the account it was approved for. Its payments after the recipient was
    /// edited into someone else's account paid Zofia, not Mallory: they don't make Mallory a payee
    /// already paid, so a large transfer to her is still held.
    @Test func aStandingPaymentAfterAnEditDoesNotVouchForTheNewAccount() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let order = try await Self.approvedOrder(server, kari)
            try await server.eventually("the first payment") { try await StandingOrdersTests.transfers(server, order: order.id).count == 1 }
            let edited = try await server.call(.PATCH, "/v1/recipients/\(kari.recipientId)",
                                               #"{"name":"Mallory Hacker","iban":"PL27114020040000300201355387"}"#, auth: kari.auth)
            #expect(edited.status == 200)
            try await StandingOrdersTests.advance(server, days: 31)
            try await server.eventually("the second payment") { try await StandingOrdersTests.transfers(server, order: order.id).count == 2 }
            #expect(try await StandingOrdersTests.transfers(server, order: order.id).map(\.status) == ["processing", "processing"])

            let auth = try await server.bearer(TransfersTests.kari)
            let now = TransfersTests.Sender(auth: auth, accountId: kari.accountId, accountNumber: kari.accountNumber, recipientId: kari.recipientId)
            #expect(try await TransfersTests.heldAsNewPayee(server, now, key: "to-mallory"))
        }
    }

    /// Kari turns her weekly order (Thursdays, ISO weekday 4) into a monthly one: it is paid on the new
    /// start date's day of the month, not on the 4th.
    @Test func aWeeklyOrderChangedToMonthlyIsPaidOnItsStartDatesDay() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let started = try await Self.weekly(server, kari, key: "weekly-to-monthly", startingIn: 1)
            try await StandingOrdersTests.approve(server, started)
            #expect(started.standingOrder.dayOfExecution == 4)
            let changed = try await server.request(.POST, "/v1/standing-orders/\(started.standingOrder.id)/replace",
                                                   headers: [kari.auth, ("content-type", "application/json"), ("Idempotency-Key", "to-monthly")],
                                                   body: #"{"frequency":"monthly"}"#)
            #expect(changed.status == 201, "\(changed.body)")
            let monthly = try changed.decode(DropKit.StandingOrderStarted.self).standingOrder
            let start = try CalendarDate(iso: monthly.startDate)
            #expect(monthly.frequency == .monthly && monthly.dayOfExecution == start.day && monthly.nextPaymentDate == monthly.startDate)
        }
    }

    /// On the order's payment day the bank pays it early, its report still on the way, and Kari changes
    /// the amount: the change starts next month, or approved today it would pay this month a second time.
    /// Today's payment stays the old order's: approved today, the change leaves the old order live at the
    /// bank until today is over, and the old order's report, arriving after the approval, is sent on.
    @Test func aChangeOnAPaymentDayStartsNextPeriod() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            server.sandboxes.faults.bank.webhooksHeld = true
            let order = try await Self.approvedOrder(server, kari)
            let today = OsloCalendar.today(server.clock.date)
            #expect(order.startDate == today.iso && order.lastExecutionDate == nil)
            _ = await server.sandboxes.bank?.deliverPendingWebhooks()  // the bank pays today's; its report is held
            let changed = try await server.request(.POST, "/v1/standing-orders/\(order.id)/replace",
                                                   headers: [kari.auth, ("content-type", "application/json"), ("Idempotency-Key", "new-amount")],
                                                   body: #"{"amountMinor":160000}"#)
            #expect(changed.status == 201, "\(changed.body)")
            let change = try changed.decode(DropKit.StandingOrderStarted.self).standingOrder
            #expect(change.startDate == "2026-11-14" && change.dayOfExecution == 14, "\(change.startDate)")
            // The 14th is a Saturday: the bank pays on Monday.
            #expect(change.nextPaymentDate == "2026-11-16")

            try await StandingOrdersTests.approve(server, try changed.decode(DropKit.StandingOrderStarted.self))
            func old() async throws -> StandingOrderRecord? {
                try await server.services.database.withConnection { try await StandingOrderRepository.find(id: order.id, on: $0) }
            }
            _ = try await server.services.standingOrders.reconcile()
            let replaced = try await old()
            #expect(replaced?.status == .replaced && replaced?.bankCancelledAt == nil, "today's payment is not heard of yet")
            server.sandboxes.faults.bank.webhooksHeld = false
            _ = await server.sandboxes.bank?.deliverPendingWebhooks()
            try await server.eventually("today's payment sent on") {
                try await StandingOrdersTests.transfers(server, order: order.id).map(\.status) == ["processing"]
            }
            // Heard of, it owes nothing more: the next payment day is the change's.
            _ = try await server.services.standingOrders.reconcile()
            #expect(try await old()?.bankCancelledAt != nil)
            #expect(try await StandingOrdersTests.transfers(server, order: change.id).isEmpty)
        }
    }

    /// The last payment of an order with an end date finds Kari's account empty: nothing is paid, and
    /// the order ends as after a paid last payment (cancelled at the bank, no longer read there).
    @Test func anOrderWhoseLastPaymentIsRefusedEnds() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let today = OsloCalendar.today(server.clock.date).iso
            try await #require(server.sandboxes.bank).setBalance(1_000, ofAccount: kari.accountNumber)
            let created = try await StandingOrdersTests.setUp(server, kari, key: "last-refused", extra: #","endDate":"\#(today)""#)
            let id = created.standingOrder.id
            try await StandingOrdersTests.approve(server, created)
            try await server.eventually("the refused payment") { try await StandingOrdersTests.transfers(server, order: id).count == 1 }
            #expect(try await StandingOrdersTests.transfers(server, order: id).map(\.status) == ["failed"])
            // Cancelled at the bank right after the payment's transfer is written, outside its transaction.
            try await server.eventually("the order ended and cancelled at the bank") {
                let ended = try await server.services.database.withConnection { try await StandingOrderRepository.find(id: id, on: $0) }
                return ended?.status == .ended && ended?.bankCancelledAt != nil
            }
            let watched = try await server.services.database.withConnection { try await StandingOrderRepository.watched(limit: 100, on: $0) }
            #expect(!watched.contains { $0.id == id })
        }
    }
}
