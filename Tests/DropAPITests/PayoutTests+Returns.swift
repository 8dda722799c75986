import DropCore
import DropKit
import DropProviderFakes
import DropProviders
import DropStore
import Foundation
import HTTPTypes
import Testing
@testable import DropAPI

/// Returns against the in-memory partner, which can answer about one return as a real partner
/// sometimes does: unreadably, for another amount, or failed.
@Suite("Payout returns: one return's answer never stops the others, and only the amount asked for is refunded")
struct PayoutReturnsRouterTests {
    typealias Parties = TransfersRouterTests.Parties

    /// Kari's transfers of `amounts`, in one message the partner rejects one at a time a minute
    /// apart (so their returns are asked in this order). - Returns: their ids and end-to-end ids.
    static func rejectedTransfers(_ app: RouterApp, _ parties: Parties, _ clock: TestClock, amounts: [Int64]) async throws
        -> (kari: HTTPFieldsAndIds, transfers: [(id: String, endToEnd: String)]) {
        let kari = try await TransfersRouterTests.kariReadyToSend(app, parties)
        var transfers: [(id: String, endToEnd: String)] = []
        for (n, amount) in amounts.enumerated() {
            let sent = try await TransfersRouterTests.send(app, kari, amountMinor: amount, key: "returned-\(n)")
            try await TransfersRouterTests.approve(app, parties, sent)
            let id = try #require(sent.id)
            transfers.append((id, try await app.get("/v1/transactions/\(id)", kari.auth).decode(DropKit.Transaction.self).endToEndId))
            clock.advance(61)  // past the minute's limit on money writes
        }
        let payouts = app.services.payouts()
        #expect(try await payouts.submitDue() == 1)
        for transfer in transfers {
            try await parties.partner.reject(transfer.endToEnd, reason: "AC01")
            _ = try await payouts.pollReports()
            clock.advance(60)
        }
        #expect(try await payouts.processReturns() == 0)  // asked, not yet paid back
        return (kari, transfers)
    }

    typealias HTTPFieldsAndIds = (auth: HTTPFields, accountId: String, recipientId: String)

    static func status(_ app: RouterApp, _ kari: HTTPFieldsAndIds, _ id: String) async throws -> DropKit.TransferStatus {
        try await app.get("/v1/transactions/\(id)", kari.auth).decode(DropKit.Transaction.self).status
    }

    static func mismatches(_ app: RouterApp) async throws -> [OperationsAlert] {
        try await app.services.database.withConnection { try await OperationsAlertRepository.open(on: $0) }.filter { $0.kind == .reconciliationMismatch }
    }

    /// A bank may list an account by its IBAN alone (no BBAN), and the payment is made from it all the
    /// same. Its return goes to the number inside the IBAN: read from the BBAN alone, none was ever
    /// asked for, nobody was told, and the NOK stayed with the partner until `return_overdue`.
    @Test func aReturnGoesToTheNumberInsideTheIBANWhenTheBankListedNoBBAN() async throws {
        let bank = InMemoryBank()
        for (index, balance) in [Int64(1_250_000), 50_000].enumerated() {
            await bank.open(holder: BankLinkRouterTests.kari, iban: BankLinkRouterTests.dnbAccount(index).iban.electronic, name: "Brukskonto",
                            balanceMinor: balance)
        }
        let parties = Parties(bank: bank)
        let clock = TestClock(LiveServer.wednesdayNoon)
        try await RouterApp.test(providers: parties.providers, clock: clock) { app in
            let (kari, transfers) = try await Self.rejectedTransfers(app, parties, clock, amounts: [100_000])
            let account = BankLinkRouterTests.dnbAccount(0)
            let asked = await parties.partner.returnsAsked()
            #expect(asked.map(\.endToEndId) == [transfers[0].endToEnd])
            #expect(asked.map(\.account) == [account.digits])
            await parties.partner.completeReturns()
            #expect(try await app.services.payouts().processReturns() == 1)
            #expect(try await Self.status(app, kari, transfers[0].id) == .refunded)
            #expect(await bank.balance(of: account.iban.electronic) == 1_250_000)
            #expect(try await Self.mismatches(app).isEmpty)
        }
    }

    /// No Norwegian number to return the NOK to (the account no longer linked): operations are told at
    /// once, and it is asked about again a day later, not every run.
    @Test func aReturnWithNoAccountToGoBackToIsRaisedForAPerson() async throws {
        let parties = Parties(bank: await BankLinkRouterTests.bank())
        let clock = TestClock(LiveServer.wednesdayNoon)
        try await RouterApp.test(providers: parties.providers, clock: clock) { app in
            let kari = try await TransfersRouterTests.kariReadyToSend(app, parties)
            let sent = try await TransfersRouterTests.send(app, kari, amountMinor: 100_000, key: "gone")
            try await TransfersRouterTests.approve(app, parties, sent)
            let id = try #require(sent.id)
            let endToEnd = try await app.get("/v1/transactions/\(id)", kari.auth).decode(DropKit.Transaction.self).endToEndId
            let payouts = app.services.payouts()
            #expect(try await payouts.submitDue() == 1)
            try await app.services.database.withConnection { db in
                try await db.raw("UPDATE transactions SET bank_account_id = NULL WHERE id = \(bind: id)").run()
            }
            try await parties.partner.reject(endToEnd, reason: "AC01")
            _ = try await payouts.pollReports()
            #expect(try await payouts.processReturns() == 0)
            #expect(await parties.partner.returnsAsked().isEmpty)
            let raised = try await Self.mismatches(app)
            #expect(raised.map(\.entityId) == [id] && raised.first?.details == #"{"problem":"return_account_unknown"}"#)
            let due = try await app.services.database.withConnection { try await PayoutRepository.openReturns(now: clock.date, on: $0) }
            #expect(due.isEmpty)
        }
    }

    /// Returns are asked about oldest first; an answer about the oldest that Drop can't read (a
    /// status it doesn't model) stopped the run there, and no later return was ever refunded.
    @Test func anUnreadableAnswerAboutOneReturnIsRaisedAndTheNextIsStillRefunded() async throws {
        let parties = Parties(bank: await BankLinkRouterTests.bank())
        let clock = TestClock(LiveServer.wednesdayNoon)
        try await RouterApp.test(providers: parties.providers, clock: clock) { app in
            let (kari, transfers) = try await Self.rejectedTransfers(app, parties, clock, amounts: [100_000, 120_000])
            let (first, second) = (transfers[0], transfers[1])
            await parties.partner.answerReturn(of: first.endToEnd, with: .unreadable)
            await parties.partner.completeReturns()

            let payouts = app.services.payouts()
            #expect(try await payouts.processReturns() == 1)
            #expect(try await Self.status(app, kari, second.id) == .refunded)
            #expect(try await Self.status(app, kari, first.id) == .failed)
            let raised = try await Self.mismatches(app)
            #expect(raised.map(\.entityId) == [first.id])
            #expect(raised.first?.details == #"{"issue":"unreadable","problem":"return_answer_invalid"}"#)
            // Raised once, however often it is asked about.
            #expect(try await payouts.processReturns() == 0)
            #expect(try await Self.mismatches(app).count == 1)
        }
    }

    /// A partner's "completed" for another amount is not this transfer's money back, and a failed
    /// return leaves the NOK with the partner: neither is refunded, both are raised.
    @Test func aReturnAnsweredForAnotherAmountOrFailedIsNotTakenAsRefunded() async throws {
        let parties = Parties(bank: await BankLinkRouterTests.bank())
        let clock = TestClock(LiveServer.wednesdayNoon)
        try await RouterApp.test(providers: parties.providers, clock: clock) { app in
            let (kari, transfers) = try await Self.rejectedTransfers(app, parties, clock, amounts: [100_000, 120_000])
            let (short, failed) = (transfers[0], transfers[1])
            // 1 005,00 kr left Kari's account for the first; the partner says it paid back 1 004,99.
            await parties.partner.answerReturn(of: short.endToEnd, with: .amountMinor(100_499))
            await parties.partner.answerReturn(of: failed.endToEnd, with: .failed(reason: "AC04"))
            await parties.partner.completeReturns()

            #expect(try await app.services.payouts().processReturns() == 0)
            #expect(try await Self.status(app, kari, short.id) == .failed)
            #expect(try await Self.status(app, kari, failed.id) == .failed)
            let raised = Dictionary(uniqueKeysWithValues: try await Self.mismatches(app).map { ($0.entityId ?? "", $0.details) })
            #expect(raised == [short.id: #"{"issue":"amount","problem":"return_answer_invalid"}"#,
                               failed.id: #"{"problem":"return_failed","reason":"AC04"}"#])
        }
    }

    /// Returns that can never finish (failed, refused) stayed open, and the 200 oldest were asked
    /// about every run: no return asked after them was ever sent to the partner. Each return is
    /// stamped as it is asked, so every open one gets its turn, and a failed or refused one waits a day.
    @Test func returnsThatCanNeverFinishDontKeepALaterOneFromBeingAskedFor() async throws {
        let parties = Parties(bank: await BankLinkRouterTests.bank())
        let clock = TestClock(LiveServer.wednesdayNoon)
        try await RouterApp.test(providers: parties.providers, clock: clock) { app in
            let (kari, transfers) = try await Self.rejectedTransfers(app, parties, clock, amounts: [100_000])
            let failed = transfers[0]
            // The payer's account was closed: the partner can't pay it back.
            await parties.partner.answerReturn(of: failed.endToEnd, with: .failed(reason: "AC04"))
            let payouts = app.services.payouts()
            #expect(try await payouts.processReturns() == 0)
            // More than a run's worth of returns asked for earlier that the partner refuses (it holds no such NOK),
            // of payments made last month: the money left Kari's account then, not against today's limits.
            let earlier = clock.date.addingTimeInterval(-86_400), lastMonth = clock.date.addingTimeInterval(-40 * 86_400)
            try await app.services.database.withConnection { db in
                for n in 0..<201 {
                    try await db.raw("""
                        INSERT INTO transactions (id, user_id, kind, status, amount_minor, currency, fee_minor, total_minor, recipient_id,
                                                  bank_account_id, end_to_end_id, funds_received_at, return_requested_at, return_reason, created_at, updated_at)
                        SELECT \(bind: "stuck-\(n)"), user_id, kind, status, amount_minor, currency, fee_minor, total_minor, recipient_id,
                               bank_account_id, \(bind: "STUCK\(n)"), \(bind: lastMonth), \(bind: earlier), return_reason, \(bind: lastMonth), \(bind: lastMonth)
                        FROM transactions WHERE id = \(bind: failed.id)
                        """).run()
                }
            }

            // A later payout fails: its return is asked for within two runs (the copies, never asked, go first once).
            let sent = try await TransfersRouterTests.send(app, kari, amountMinor: 130_000, key: "later")
            try await TransfersRouterTests.approve(app, parties, sent)
            let later = try #require(sent.id)
            let laterEndToEnd = try await app.get("/v1/transactions/\(later)", kari.auth).decode(DropKit.Transaction.self).endToEndId
            #expect(try await payouts.submitDue() == 1)
            try await parties.partner.reject(laterEndToEnd, reason: "AC01")
            _ = try await payouts.pollReports()
            #expect(try await Self.status(app, kari, later) == .failed)
            for _ in 0..<2 { _ = try await payouts.processReturns() }
            await parties.partner.completeReturns()
            #expect(try await payouts.processReturns() == 1)
            #expect(try await Self.status(app, kari, later) == .refunded)
            // The failed and refused ones were raised, and wait a day before they are asked again.
            let due = try await app.services.database.withConnection { try await PayoutRepository.openReturns(now: clock.date, on: $0) }
            #expect(due.isEmpty)
            clock.advance(86_400)
            #expect(try await app.services.database.withConnection { try await PayoutRepository.openReturns(now: clock.date, on: $0) }.count == 200)
        }
    }
}
