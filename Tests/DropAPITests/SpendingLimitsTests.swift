import DropCore
import DropKit
import DropStore
import Foundation
import SQLKit
import Testing
@testable import DropAPI

@Suite("Spending limits over HTTP")
struct SpendingLimitsTests {
    /// The answer as the app reads it.
    static func limits(_ reply: LiveServer.Reply) throws -> DropKit.SpendingLimits {
        #expect(reply.status == 200, "\(reply.body)")
        return try reply.decode(DropKit.SpendingLimits.self)
    }

    @Test func limitsStartAtTheProductMaximumAndCanBeLowered() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let auth = try await server.bearer("15039010043")
            let initial = try Self.limits(try await server.call(.GET, "/v1/spending-limits", auth: auth))
            #expect(initial.daily.amountMinor == 50_000_00 && initial.monthly.amountMinor == 200_000_00)
            #expect(initial.maximum.daily.amountMinor == 50_000_00 && initial.maximum.monthly.amountMinor == 200_000_00)
            #expect(initial.used.daily.amountMinor == 0 && initial.used.monthly.amountMinor == 0)
            #expect(initial.daily.currency == "NOK")

            let lowered = try Self.limits(try await server.call(.PUT, "/v1/spending-limits", #"{"daily":{"amountMinor":500000,"currency":"NOK"}}"#, auth: auth))
            #expect(lowered.daily.amountMinor == 5_000_00 && lowered.monthly.amountMinor == 200_000_00)
            #expect(lowered.remaining.daily.amountMinor == 5_000_00)
            let both = try Self.limits(try await server.call(
                .PUT, "/v1/spending-limits", #"{"daily":{"amountMinor":200000,"currency":"NOK"},"monthly":{"amountMinor":1000000,"currency":"NOK"}}"#, auth: auth))
            #expect(both.daily.amountMinor == 2_000_00 && both.monthly.amountMinor == 10_000_00)
            #expect(try Self.limits(try await server.call(.GET, "/v1/spending-limits", auth: auth)).monthly.amountMinor == 10_000_00)
            // Limits are the customer's own: Ola's are untouched.
            let ola = try await server.bearer("01078510133")
            #expect(try Self.limits(try await server.call(.GET, "/v1/spending-limits", auth: ola)).daily.amountMinor == 50_000_00)

            let audited = try await server.services.database.withConnection { db in
                try await db.raw("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'spending_limits.updated'").first()!.decode(column: "n", as: Int.self)
            }
            #expect(audited == 2)
        }
    }

    @Test func refusesLimitsAboveTheMaximumOrInconsistent() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let auth = try await server.bearer("15039010043")
            let cases: [(String, String, String)] = [
                (#"{"daily":{"amountMinor":5000001,"currency":"NOK"}}"#, "daily.amountMinor", "above_maximum"),
                (#"{"monthly":{"amountMinor":20000001,"currency":"NOK"}}"#, "monthly.amountMinor", "above_maximum"),
                (#"{"daily":{"amountMinor":-1,"currency":"NOK"}}"#, "daily.amountMinor", "negative"),
                (#"{"daily":{"amountMinor":100000,"currency":"EUR"}}"#, "daily.currency", "currency"),
                (#"{"daily":{"amountMinor":3000000,"currency":"NOK"},"monthly":{"amountMinor":2000000,"currency":"NOK"}}"#, "daily.amountMinor", "above_monthly"),
                // Monthly alone below the daily limit in force (50 000): the daily must come down with it.
                (#"{"monthly":{"amountMinor":1000000,"currency":"NOK"}}"#, "monthly.amountMinor", "below_daily"),
                ("{}", "daily", "required"),
            ]
            for (body, field, issue) in cases {
                let reply = try await server.call(.PUT, "/v1/spending-limits", body, auth: auth)
                #expect(reply.status == 422, "\(body)")
                #expect(reply.errorCode == "VALIDATION_FAILED", "\(body)")
                #expect(reply.issue(field) == issue, "\(body): \(reply.errorDetails)")
            }
            #expect(try await server.call(.PUT, "/v1/spending-limits", #"{"daily":{"amountMinor":1,"currency":"XYZ"}}"#, auth: auth).status == 400)
            let unchanged = try Self.limits(try await server.call(.GET, "/v1/spending-limits", auth: auth))
            #expect(unchanged.daily.amountMinor == 50_000_00 && unchanged.monthly.amountMinor == 200_000_00)
            #expect(try await server.get("/v1/spending-limits").status == 401)
        }
    }

    @Test func usedCountsLiveTransfersByOsloDayAndMonthAndTheCheckRefusesMore() async throws {
        // Wednesday 14 October 2026, 12:00 UTC.
        let clock = TestClock(LiveServer.wednesdayNoon)
        try await LiveServer.run(clock: clock) { server in
            let auth = try await server.bearer("15039010043")
            let userId = try await server.userId(auth)
            let recipient = try await server.call(.POST, "/v1/recipients", RecipientsTests.germany, auth: auth)
            let recipientId = try recipient.decode(DropKit.Recipient.self).id
            let noon = LiveServer.wednesdayNoon
            let transfers: [(status: String, amount: Int64, at: Date)] = [
                ("completed", 1_000_00, noon.addingTimeInterval(-3600)),
                ("pending_sca", 500_00, noon.addingTimeInterval(-60)),
                // 22:30 UTC on Tuesday is 00:30 on Wednesday in Oslo: today.
                ("processing", 250_00, noon.addingTimeInterval(-13.5 * 3600)),
                // 21:30 UTC on Tuesday is 23:30 on Tuesday in Oslo: this month, not today.
                ("completed", 3_000_00, noon.addingTimeInterval(-14.5 * 3600)),
                ("failed", 2_000_00, noon.addingTimeInterval(-120)),
                ("cancelled", 2_000_00, noon.addingTimeInterval(-120)),
                ("expired", 2_000_00, noon.addingTimeInterval(-120)),
                // 30 September, 22:30 UTC is already 1 October in Oslo (summer time): this month.
                ("completed", 700_00, Date(timeIntervalSince1970: 1_790_807_400)),
                // 30 September, 21:30 UTC is 23:30 on 30 September in Oslo: last month.
                ("completed", 4_000_00, Date(timeIntervalSince1970: 1_790_803_800)),
            ]
            try await server.services.database.transaction { db in
                for (index, transfer) in transfers.enumerated() {
                    try await db.raw("""
                        INSERT INTO transactions (id, user_id, kind, status, amount_minor, currency, fee_minor, total_minor,
                                                  recipient_id, end_to_end_id, created_at, updated_at)
                        VALUES (\(bind: UUID().uuidString.lowercased()), \(bind: userId), 'remittance', \(bind: transfer.status),
                                \(bind: transfer.amount), 'NOK', \(bind: transfer.amount / 200), \(bind: transfer.amount + transfer.amount / 200),
                                \(bind: recipientId), \(bind: "E2E-TEST-\(index)"), \(bind: transfer.at), \(bind: transfer.at))
                        """).run()
                }
            }
            let overview = try Self.limits(try await server.call(.GET, "/v1/spending-limits", auth: auth))
            #expect(overview.used.daily.amountMinor == 1_750_00)              // fees are not counted
            #expect(overview.used.monthly.amountMinor == 1_750_00 + 3_000_00 + 700_00)
            #expect(overview.remaining.daily.amountMinor == 50_000_00 - 1_750_00)

            _ = try await server.call(.PUT, "/v1/spending-limits", #"{"daily":{"amountMinor":200000,"currency":"NOK"}}"#, auth: auth)
            let limits = server.services.spendingLimits
            let nok = { (minor: Int64) in DropCore.Money(minorUnits: minor, currency: .nok) }
            // 1 750 used of 2 000 today: 250 fits, 250,01 does not.
            try await server.services.database.transaction { try await limits.check(userId: userId, amount: nok(250_00), on: $0, now: clock.date) }
            let over = await #expect(throws: AppError.self) {
                try await server.services.database.transaction { try await limits.check(userId: userId, amount: nok(250_01), on: $0, now: clock.date) }
            }
            #expect(over?.code == "LIMIT_EXCEEDED" && over?.status == .unprocessableContent)
            #expect(over?.details.first?.issue == "daily_limit")
            #expect(over?.message.contains("NOK 250.00") == true)

            // Tomorrow the day starts afresh; the month does not.
            _ = try await server.call(.PUT, "/v1/spending-limits", #"{"monthly":{"amountMinor":600000,"currency":"NOK"}}"#, auth: auth)
            clock.advance(86_400)
            let monthly = await #expect(throws: AppError.self) {
                try await server.services.database.transaction { try await limits.check(userId: userId, amount: nok(1_000_00), on: $0, now: clock.date) }
            }
            #expect(monthly?.details.first?.issue == "monthly_limit")
            try await server.services.database.transaction { try await limits.check(userId: userId, amount: nok(550_00), on: $0, now: clock.date) }
        }
    }

    @Test func moneyThatLeftOrMayStillLeaveCountsWhenItLeavesWhateverTheStatus() async throws {
        // Wednesday 14 October 2026, 14:00 in Oslo; the day began at 22:00 UTC on Tuesday, the month at 22:00 UTC on 30 September.
        let noon = LiveServer.wednesdayNoon
        try await LiveServer.run(clock: TestClock(noon)) { server in
            let auth = try await server.bearer("15039010043")
            let userId = try await server.userId(auth)
            let recipientId = try await server.call(.POST, "/v1/recipients", RecipientsTests.germany, auth: auth).decode(DropKit.Recipient.self).id
            // 23:50 on Tuesday and 00:10 on Wednesday in Oslo (summer time, UTC+2).
            let tuesday2350 = noon.addingTimeInterval(-14 * 3600 - 10 * 60), wednesday0010 = noon.addingTimeInterval(-13 * 3600 - 50 * 60)
            let september20 = noon.addingTimeInterval(-24 * 86_400)
            let transfers: [(status: String, amount: Int64, at: Date, fundsAt: Date?)] = [
                // Made before midnight, not yet approved or not yet settled: it may leave today.
                ("pending_sca", 100_00, tuesday2350, nil),
                ("processing", 200_00, tuesday2350, nil),
                // Made before midnight, settled after it: it left today.
                ("processing", 400_00, tuesday2350, wednesday0010),
                ("completed", 800_00, tuesday2350, tuesday2350),
                // Drop cancelled it, the bank paid all the same this morning.
                ("cancelled", 1_600_00, tuesday2350, noon.addingTimeInterval(-4 * 3600)),
                ("expired", 3_200_00, noon.addingTimeInterval(-3600), nil),
                // Last month's, its bank still not done with it: it may leave today.
                ("pending_sca", 6_400_00, september20, nil),
                // Made on 30 September at 23:00 in Oslo, settled on 1 October: this month's money.
                ("completed", 12_800_00, Date(timeIntervalSince1970: 1_790_802_000), Date(timeIntervalSince1970: 1_790_834_400)),
                ("completed", 25_600_00, september20, september20),
            ]
            try await server.services.database.transaction { db in
                for (index, transfer) in transfers.enumerated() {
                    try await db.raw("""
                        INSERT INTO transactions (id, user_id, kind, status, amount_minor, currency, fee_minor, total_minor,
                                                  recipient_id, end_to_end_id, funds_received_at, created_at, updated_at)
                        VALUES (\(bind: UUID().uuidString.lowercased()), \(bind: userId), 'remittance', \(bind: transfer.status),
                                \(bind: transfer.amount), 'NOK', 0, \(bind: transfer.amount), \(bind: recipientId), \(bind: "E2E-LEFT-\(index)"),
                                \(bind: transfer.fundsAt), \(bind: transfer.at), \(bind: transfer.at))
                        """).run()
                }
            }
            let overview = try Self.limits(try await server.call(.GET, "/v1/spending-limits", auth: auth))
            #expect(overview.used.daily.amountMinor == 100_00 + 200_00 + 400_00 + 1_600_00 + 6_400_00)
            #expect(overview.used.monthly.amountMinor == 100_00 + 200_00 + 400_00 + 800_00 + 1_600_00 + 6_400_00 + 12_800_00)
        }
    }
}
