import DropCore
import DropKit
import DropProviders
import DropStore
import Foundation
import SQLKit
import Testing
@testable import DropAPI

/// A verdict on a customer (Sumsub's rejection, a sanctions hit) committing while their money is about
/// to move. The check of their standing and the verdict take the customer's row, so one strictly comes
/// first: a money path that read "in good standing" commits its instruction before the verdict does,
/// and one running into a verdict under way waits for it and reads it. On SQLite the write gate already
/// orders them; these races are PostgreSQL's (READ COMMITTED), and the tests run on both.
@Suite(.serialized) struct StandingRaceTests {
    /// Holds a verdict on `userId` open, as `KYCService.apply` makes one (their row locked, then
    /// changed), while `during` starts; commits it `after` later, then waits for `during`.
    /// `sanctioned`: a sanctions hit found by ongoing screening (the identity check stays approved);
    /// otherwise a rejection.
    static func verdictHeldOpen<T: Sendable>(_ server: LiveServer, userId: String, sanctioned: Bool = false, after: Duration = .milliseconds(500),
                                             during: @escaping @Sendable () async throws -> T) async throws -> T {
        let (locked, lockedGo) = AsyncStream<Void>.makeStream()
        let (commit, commitGo) = AsyncStream<Void>.makeStream()
        let verdict = Task {
            defer { lockedGo.finish() }
            try await server.services.database.transaction { db in
                try await UserRepository.lock(id: userId, on: db)
                let change: SQLQueryString = sanctioned ? "is_sanctioned = TRUE, risk_level = 'high'" : "kyc_status = 'rejected'"
                try await db.raw("UPDATE users SET \(change), updated_at = \(bind: server.clock.date) WHERE id = \(bind: userId)").run()
                lockedGo.yield()
                for await _ in commit { break }
            }
        }
        for await _ in locked { break }
        let work = Task { try await during() }
        try await Task.sleep(for: after)
        commitGo.yield()
        commitGo.finish()
        try await verdict.value
        return try await work.value
    }

    /// Kari's paid remittance in a message the partner, down, didn't take; it is back when Sumsub rejects
    /// her. The payout job's standing check ran into the verdict under way: before, under READ COMMITTED,
    /// it read her as approved, stamped the message and sent it, and her money was paid out by a verdict
    /// Drop never waited for (no alert either: the verdict found nothing of hers to hold). Now the check
    /// waits for the verdict, reads it, asks the partner (it doesn't have the message) and withdraws it;
    /// her transfer is held for compliance.
    @Test func aPayoutCheckRunningIntoAVerdictWaitsForItAndSendsNothingOfTheirs() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let kariId = try await server.userId(kari.auth)
            let hers = try await CustomerStandingLostTests.paid(server, kari, as: TransfersTests.kari, amountMinor: 60_000, key: "hers")
            server.sandboxes.faults.payout.fault = .unavailable
            #expect(try await server.services.payouts().submitDue() == 1)
            let payoutId = try #require(try await CustomerStandingLostTests.column(server, "payout_id", of: hers, as: String.self))
            #expect(try await CustomerStandingLostTests.payoutStatus(server, payoutId) == "created")
            server.sandboxes.faults.payout.fault = nil
            server.clock.advance(61)  // the partner's breaker cools down

            _ = try await Self.verdictHeldOpen(server, userId: kariId) { try await server.services.payouts().submitDue() }

            let herEndToEnd = try #require(try await CustomerStandingLostTests.column(server, "end_to_end_id", of: hers, as: String.self))
            #expect(await server.sandboxes.payout?.acceptedEndToEndIds().contains(herEndToEnd) == false)
            #expect(try await CustomerStandingLostTests.payoutStatus(server, payoutId) == "withdrawn")
            #expect(try await server.services.transactions.withdrawWithoutStanding() == 1)
            let admin = try await server.bearer(ComplianceAdminTests.anders)
            #expect(try await ComplianceAdminTests.transaction(server, admin, hers).status == .held)
            #expect(try await server.services.database.withConnection { try await AuditLog.verify(on: $0) }.ok)
        }
    }

    /// Two officers release Kari's held transfer while Sumsub's rejection of her is being written. The
    /// release read her standing before its own DB transaction: it found her approved, then released the
    /// transfer and asked her bank for the payment after the verdict had committed. Now the release reads
    /// her under her row's lock on its own transaction: it waits for the verdict, refuses (409
    /// `PAYER_UNAVAILABLE`), changes nothing and asks nothing of the bank; the proposal stands.
    @Test func aReleaseRunningIntoAVerdictWaitsForItAndIsRefused() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let (id, kari) = try await ComplianceAdminTests.heldKenyaTransfer(server)
            let kariId = try await server.userId(kari.auth)
            let anders = try await server.bearer(ComplianceAdminTests.anders)
            let berit = try await server.bearer(LiveServer.secondOfficer)
            #expect(try await ComplianceAdminTests.propose(server, id, by: berit).status == 200)
            let bankCalls = server.sandboxes.faults.bank.requestCount

            let release = try await Self.verdictHeldOpen(server, userId: kariId) {
                try await server.call(.POST, "/v1/admin/transactions/\(id)/release", #"{"reason":"Documented."}"#, auth: anders)
            }

            #expect(release.status == 409 && release.errorCode == "PAYER_UNAVAILABLE", "\(release.body)")
            #expect(try await ComplianceAdminTests.transaction(server, anders, id).status == .held)
            #expect(try await ComplianceAdminTests.proposal(server, id) != nil)
            #expect(server.sandboxes.faults.bank.requestCount == bankCalls)
            #expect(try await ComplianceAdminTests.auditRows(server, entityId: id).contains { $0.action == "transaction.aml_released" } == false)
        }
    }

    /// Kari sends money while a sanctions hit on her is being written. The request read her when it began;
    /// its screening used that copy after waiting on her row for the verdict, so the transfer was written
    /// and her bank asked for it, and compliance saw no blocked attempt. Now the screening reads her again
    /// under that lock: the transfer is blocked (403, nothing written, nothing asked of the bank) and
    /// compliance gets the sanctions alert, as for any attempt of a sanctioned customer.
    @Test func aTransferMadeWhileASanctionsHitCommitsIsScreenedWithIt() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let kariId = try await server.userId(kari.auth)
            let (transfers, bankCalls) = (try await MerchantsTests.count(server, "transactions"), server.sandboxes.faults.bank.requestCount)

            let sent = try await Self.verdictHeldOpen(server, userId: kariId, sanctioned: true) {
                try await TransfersTests.send(server, kari, key: "racing-the-hit",
                                              body: #"{"recipientId":"\#(kari.recipientId)","amountMinor":60000,"bankAccountId":"\#(kari.accountId)"}"#)
            }

            #expect(sent.status == 403 && sent.errorCode == "FORBIDDEN", "\(sent.body)")
            #expect(try await MerchantsTests.count(server, "transactions") == transfers)
            #expect(server.sandboxes.faults.bank.requestCount == bankCalls)
            let admin = try await server.bearer(ComplianceAdminTests.anders)
            let alerts = try await ComplianceAdminTests.alerts(server, admin, "status=open").filter { $0.userId == kariId && $0.rule == .sanctions }
            #expect(alerts.count == 1 && alerts.first?.decision == .block && alerts.first?.transactionId == nil)
        }
    }

    /// Kari pays Mona's shop while Sumsub's rejection of Mona is being written. The shop was read before
    /// the payment's DB transaction, so the payment was written to a shop that could no longer take one
    /// (and, when the bank was asked before the verdict committed, handed Kari an approval page for it).
    /// Now the shop and its owner are read again under a shared lock on that transaction: 409
    /// `MERCHANT_UNAVAILABLE`, nothing written, nothing asked of the bank.
    @Test func aQRPaymentMadeWhileTheShopOwnerIsRejectedIsRefused() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let mona = try await server.registeredMona()
            let monaId = try await server.userId(mona.auth)
            let kari = try await MerchantsTests.payer(server)
            let (transactions, bankCalls) = (try await MerchantsTests.count(server, "transactions"), server.sandboxes.faults.bank.requestCount)

            let paid = try await Self.verdictHeldOpen(server, userId: monaId) {
                try await MerchantsTests.pay(server, kari.auth, key: "racing-the-verdict",
                                             MerchantsTests.staticBody(mona.code, amountMinor: 4_500, from: kari.accountId))
            }

            #expect(paid.status == 409 && paid.errorCode == "MERCHANT_UNAVAILABLE", "\(paid.body)")
            #expect(try await MerchantsTests.count(server, "transactions") == transactions)
            #expect(server.sandboxes.faults.bank.requestCount == bankCalls)
        }
    }

    /// Kari (rated high risk) sends 30,000 kr; it is held for review and released the next day, 25 hours
    /// after she made it, and its money leaves her account then. Minutes later she sends 20,000 kr more:
    /// 50,000 kr within an hour, the 24-hour velocity sum. Counted from when each transfer was
    /// made, the held one fell outside the window and the second raised nothing. Counted also from when its
    /// money left, the velocity finding (with her risk rating) alerts compliance, naming the held one.
    @Test func aHeldTransferPaidADayLaterCountsForVelocityFromWhenItsMoneyLeft() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let kariId = try await server.userId(kari.auth)
            try await server.services.database.withConnection { db in
                try await db.raw("UPDATE users SET risk_level = 'high' WHERE id = \(bind: kariId)").run()
            }
            let sent = try await ComplianceAdminTests.send(server, kari, amountMinor: 3_000_000, key: "held-first")
            let held = try sent.decode(TransactionCreated.self).transaction
            #expect(held.status == .held, "\(sent.body)")

            server.clock.advance(25 * 3600)
            try await server.refreshExchangeRates()
            let admin = try await server.bearer(ComplianceAdminTests.anders)
            let released = try await server.release(held.id, #"{"reason":"Documented."}"#, approvedBy: admin)
            #expect(released.status == 200, "\(released.body)")
            let pending = try await server.get("/v1/transactions/\(held.id)", headers: [kari.auth]).decode(DropKit.Transaction.self)
            let back = try await server.approveAtBank(try #require(pending.scaRedirect?.absoluteString), as: TransfersTests.kari)
            _ = try await server.get(try #require(back.location))
            try await server.eventually("the NOK arrived") {
                try await CustomerStandingLostTests.column(server, "funds_received_at", of: held.id, as: Date.self) != nil
            }

            let next = try await ComplianceAdminTests.send(server, kari, amountMinor: 2_000_000, key: "just-after")
            #expect(next.status == 201, "\(next.body)")
            let second = try next.decode(TransactionCreated.self).transaction.id
            let alerts = try await ComplianceAdminTests.alerts(server, admin, "status=open").filter { $0.transactionId == second }
            #expect(alerts.count == 1 && alerts.first?.rule == .velocity24h, "\(alerts)")
            #expect(alerts.first?.findings.first { $0.rule == .velocity24h }?.transactionIds == [held.id])
        }
    }

    /// Kari sets up a standing transfer while Sumsub's rejection of her is being written. The order's DB
    /// transaction took no lock on her and screened the copy the request read when it began: the order was
    /// written after the verdict (whose stop of her orders never saw it) and her bank asked for it, so once
    /// she approved it the bank took her money every month. Now the order reads her under her row's lock:
    /// it waits for the verdict and is refused (403 `KYC_REQUIRED`), with no order and nothing at the bank.
    @Test func aStandingTransferSetUpWhileAVerdictCommitsIsRefused() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let kariId = try await server.userId(kari.auth)
            let today = OsloCalendar.today(server.clock.date).iso
            let body = #"{"recipientId":"\#(kari.recipientId)","bankAccountId":"\#(kari.accountId)","amountMinor":150000,"frequency":"monthly","startDate":"\#(today)"}"#

            let created = try await Self.verdictHeldOpen(server, userId: kariId) {
                try await server.request(.POST, "/v1/standing-orders", headers: [kari.auth, ("content-type", "application/json"), ("Idempotency-Key", "so-racing")],
                                         body: body)
            }

            #expect(created.status == 403 && created.errorCode == "KYC_REQUIRED", "\(created.body)")
            #expect(try await server.services.database.withConnection { try await StandingOrderRepository.all(userId: kariId, on: $0) }.isEmpty)
            #expect(await server.sandboxes.bank?.periodicPayments().isEmpty == true)
        }
    }
}
