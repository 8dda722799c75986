import DropCore
import DropKit
import DropStore
import Foundation
import SQLKit
import Testing
@testable import DropAPI

/// A pain.001 asks for its payments on the Oslo day it was written (`ReqdExctnDt`); the partner executes on
/// its own business date and refuses a date already past (`DT01`). A message that could not go before
/// midnight must neither be refused for its date (every customer's NOK has left) nor paid twice (ADR 0031).
extension PayoutTests {
    /// One minute before midnight in Oslo on the clock's day.
    static func oneMinuteBeforeMidnight(_ server: LiveServer) -> TimeInterval {
        OsloCalendar.endOfDay(OsloCalendar.today(server.clock.date)).timeIntervalSince(server.clock.date) - 60
    }

    static func messages(_ server: LiveServer) async throws -> [(status: String, pain001: String)] {
        try await server.services.database.withConnection { db in
            try await db.raw("SELECT status, pain001 FROM payouts ORDER BY created_at, id").all().map {
                (try $0.decode(column: "status", as: String.self), try $0.decode(column: "pain001", as: String.self))
            }
        }
    }

    /// Sent at 23:59 and taken by the partner, every answer lost; tried again at 00:01. The partner has it:
    /// its status is taken, nothing is sent again under a new id, and Kari's transfer is paid once.
    @Test func aMessageTakenAt2359WhoseAnswerWasLostIsPaidOnceAfterMidnight() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let hers = try await CustomerStandingLostTests.paid(server, kari, as: TransfersTests.kari, amountMinor: 60_000, key: "hers")
            server.clock.advance(Self.oneMinuteBeforeMidnight(server))
            let written = OsloCalendar.today(server.clock.date)
            server.sandboxes.faults.payout.fault = .unavailable
            server.sandboxes.faults.payout.failNext(1, with: .lostAnswer)
            let payouts = server.services.payouts()
            #expect(try await payouts.submitDue() == 1)
            #expect(try await Self.messages(server).map(\.status) == ["created"])

            server.sandboxes.faults.payout.fault = nil
            server.clock.advance(120)
            #expect(OsloCalendar.today(server.clock.date) > written)
            _ = try await payouts.submitDue()
            // The partner settled it meanwhile (its status two minutes on): the one message, completed.
            #expect(try await Self.messages(server).map(\.status) == ["completed"])
            #expect(try await CustomerStandingLostTests.column(server, "status", of: hers, as: String.self) == "completed")
        }
    }

    /// The partner was down at 23:59 and never got the message. At 00:01, sent as written, it asked for
    /// yesterday: the partner refused it (`DT01`) and Kari's transfer failed with her NOK already gone.
    /// Now the partner is asked, doesn't have it, and her transfer goes in a new message dated today.
    @Test func aMessageThePartnerNeverGotBeforeMidnightGoesOutDatedToday() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let hers = try await CustomerStandingLostTests.paid(server, kari, as: TransfersTests.kari, amountMinor: 60_000, key: "hers")
            server.clock.advance(Self.oneMinuteBeforeMidnight(server))
            server.sandboxes.faults.payout.fault = .unavailable
            let payouts = server.services.payouts()
            #expect(try await payouts.submitDue() == 1)
            #expect(try await Self.messages(server).map(\.status) == ["created"])

            server.sandboxes.faults.payout.fault = nil
            server.clock.advance(120)
            let today = OsloCalendar.today(server.clock.date)
            _ = try await payouts.submitDue()
            let messages = try await Self.messages(server)
            #expect(messages.map(\.status) == ["withdrawn", "submitted"])
            #expect(try Pain001Writer.requestedExecutionDate(in: try #require(messages.last).pain001) == today)
            #expect(try await CustomerStandingLostTests.column(server, "status", of: hers, as: String.self) == "processing")
            server.clock.advance(31)
            _ = try await payouts.pollReports()
            #expect(try await CustomerStandingLostTests.column(server, "status", of: hers, as: String.self) == "completed")
        }
    }

    /// Written at 23:59:59 and reaching the partner after midnight: refused for its date alone (`DT01`).
    /// Kari's transfer failed for it; now the message is withdrawn and her transfer sent again dated today.
    @Test func aMessageArrivingAfterMidnightRefusedForItsDateIsSentAgainDatedToday() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let hers = try await CustomerStandingLostTests.paid(server, kari, as: TransfersTests.kari, amountMinor: 60_000, key: "hers")
            server.clock.advance(Self.oneMinuteBeforeMidnight(server) + 59)
            // The partner reads its clock after a moment on the way: by then it is past midnight.
            server.sandboxes.faults.payout.failNext(1, with: .delay(.milliseconds(800)))
            let payouts = server.services.payouts()
            async let built = payouts.submitDue()
            try await Task.sleep(for: .milliseconds(200))
            server.clock.advance(2)
            #expect(try await built == 2)
            let messages = try await Self.messages(server)
            #expect(messages.map(\.status) == ["withdrawn", "submitted"])
            #expect(try Pain001Writer.requestedExecutionDate(in: try #require(messages.last).pain001) == OsloCalendar.today(server.clock.date))
            #expect(try await CustomerStandingLostTests.column(server, "status", of: hers, as: String.self) == "processing")
        }
    }
}
