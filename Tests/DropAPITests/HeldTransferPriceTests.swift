import DropCore
import DropKit
import DropStore
import Foundation
import Testing
@testable import DropAPI

/// A transfer held for review is paid at today's rate when it is released after its price ran out,
/// never at the rate of the day it was made: otherwise the customer approves only when the rate has
/// moved their way and Drop carries the rest (docs/decisions/0026-held-transfers-priced-on-release.md).
@Suite(.serialized) struct HeldTransferPriceTests {
    static let release = #"{"reason":"Family support, documented."}"#

    /// Kari's 12,000 kr to Kenya, held by the high-risk-country rule.
    static func held(_ server: LiveServer, _ kari: TransfersTests.Sender, name: String = "Wanjiru", key: String) async throws -> DropKit.Transaction {
        let recipient = try await server.call(.POST, "/v1/recipients", ComplianceAdminTests.kenya.replacingOccurrences(of: "Wanjiru", with: name), auth: kari.auth)
        #expect(recipient.status == 201, "\(recipient.body)")
        let sent = try await ComplianceAdminTests.send(server, kari, recipient: try recipient.decode(Recipient.self).id, amountMinor: 1_200_000, key: key)
        let transfer = try sent.decode(TransactionCreated.self).transaction
        #expect(transfer.status == .held, "\(sent.body)")
        return transfer
    }

    /// Stores a KES rate for `day` from a source of its own, fetched now: the newest for that day.
    static func publish(_ server: LiveServer, kes rate: String, for day: CalendarDate) async throws {
        try await server.services.database.withConnection { db in
            try await ExchangeRateRepository.upsert(ExchangeRateRecord(base: "NOK", quote: "KES", rate: rate, asOf: day.iso, source: "test-correction",
                                                                       fetchedAt: server.clock.date), on: db)
        }
    }

    @Test func releasedADayLaterItIsPricedAtTodaysRateForTheSameNOKAndWaitsHeldWhileThereIsNone() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let transfer = try await Self.held(server, kari, key: "ke-late")
            let made = try #require(transfer.receive)

            // Thursday noon: the newest stored rate is Tuesday's, too old to price with. The transfer stays held.
            server.clock.advance(24 * 3600)
            let admin = try await server.bearer(ComplianceAdminTests.anders)
            let noRate = try await server.release(transfer.id, Self.release, approvedBy: admin)
            #expect(noRate.status == 503 && noRate.errorCode == "RATE_UNAVAILABLE", "\(noRate.body)")
            #expect(try await ComplianceAdminTests.transaction(server, admin, transfer.id).status == .held)
            #expect(try await ComplianceAdminTests.auditRows(server, entityId: transfer.id).map(\.action).contains("transaction.aml_released") == false)

            // Wednesday's rate has the shilling 10 % dearer: the same NOK now buys less.
            let oldRate = try FixedPointRate(parsing: try #require(transfer.rate))
            let newRate = try FixedPointRate(scaled: oldRate.scaled * 9 / 10)
            try await Self.publish(server, kes: newRate.description, for: try CalendarDate(iso: "2026-10-14"))
            let released = try await server.release(transfer.id, Self.release, approvedBy: admin)
            #expect(released.status == 200, "\(released.body)")

            let now = try await server.get("/v1/transactions/\(transfer.id)", headers: [kari.auth]).decode(DropKit.Transaction.self)
            let priced = try Pricing.receiveAmount(for: DropCore.Money(minorUnits: transfer.amount.amountMinor, currency: .nok),
                                                   in: try Currency(code: "KES"), rate: newRate)
            let expected = DropKit.Money(amountMinor: priced.minorUnits, currency: "KES")
            #expect(now.status == .pendingSCA)
            #expect(now.receive == expected && expected.amountMinor < made.amountMinor)
            #expect(now.rate == newRate.description)
            #expect(now.amount == transfer.amount && now.fee == transfer.fee && now.total == transfer.total)
            let actions = try await ComplianceAdminTests.auditRows(server, entityId: transfer.id).map(\.action)
            #expect(actions.contains("transaction.repriced") && actions.contains("transaction.aml_released"))
            // Kari reads the new amount before she approves at her bank.
            let notifications = try await server.get("/v1/notifications", headers: [kari.auth]).decode(NotificationList.self).items
            #expect(notifications.contains { $0.body.contains(priced.formatted(for: .en)) })

            // What she approves pays out the new amount.
            let back = try await server.approveAtBank(try #require(now.scaRedirect?.absoluteString), as: TransfersTests.kari)
            _ = try await server.get(try #require(back.location))
            let paid = try await server.get("/v1/transactions/\(transfer.id)", headers: [kari.auth]).decode(DropKit.Transaction.self)
            #expect(paid.status == .processing && paid.receive == expected)
            #expect(try await server.services.payouts().submitDue() >= 1)
            let instructed = try await server.services.database.withConnection { db in
                try await db.raw("SELECT target_amount_minor FROM transactions WHERE id = \(bind: transfer.id)").first()?
                    .decode(column: "target_amount_minor", as: Int64.self)
            }
            #expect(instructed == expected.amountMinor)
        }
    }

    @Test func releasedWithinItsQuotesFifteenMinutesItKeepsItsPrice() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let transfer = try await Self.held(server, kari, key: "ke-soon")
            // A corrected rate arrives meanwhile; the transfer's price still holds for its 15 minutes.
            let oldRate = try FixedPointRate(parsing: try #require(transfer.rate))
            try await Self.publish(server, kes: try FixedPointRate(scaled: oldRate.scaled * 11 / 10).description, for: try CalendarDate(iso: "2026-10-13"))
            server.clock.advance(14 * 60)
            let admin = try await server.bearer(ComplianceAdminTests.anders)
            let released = try await server.release(transfer.id, Self.release, approvedBy: admin)
            #expect(released.status == 200, "\(released.body)")
            let now = try await server.get("/v1/transactions/\(transfer.id)", headers: [kari.auth]).decode(DropKit.Transaction.self)
            #expect(now.status == .pendingSCA && now.receive == transfer.receive && now.rate == transfer.rate)
            #expect(try await ComplianceAdminTests.auditRows(server, entityId: transfer.id).map(\.action).contains("transaction.repriced") == false)
        }
    }
}
