import DropCore
import DropSandbox
import DropStore
import Foundation
import SQLKit
import Testing
@testable import DropAPI

/// What the payout partner answers, checked against what Drop sent. A status report under Drop's
/// `MsgId` was applied to the stored message without cross-checking: a confused partner, or another
/// environment sharing Drop's partner credentials, could fail transfers the partner was paying (their
/// NOK returned: paid twice) or complete transfers nobody paid. Only what matches is taken now, and
/// operations hear of the rest (`payout_report_mismatch`).
extension PayoutTests {
    static func reportMismatches(_ server: LiveServer) async throws -> [OperationsAlert] {
        try await server.services.database.withConnection { try await OperationsAlertRepository.open(on: $0) }.filter { $0.kind == .payoutReportMismatch }
    }

    /// The partner answers each message's status read with the other message's report (a failed payout's
    /// and a paid one's). Before: the paid transfer failed and its NOK was asked back while the partner paid
    /// it, and the one it rejected was told completed. Now neither moves until the partner answers right.
    @Test func aReportDescribingAnotherMessageMovesNoTransfer() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let closed = try await Self.paidTransfer(server, kari, recipient: Self.closedAccount, amountMinor: 50_000).id
            let paid = try await Self.paidTransfer(server, kari, recipient: Self.pakistan, amountMinor: 70_000).id
            let payouts = server.services.payouts()
            #expect(try await payouts.submitDue() == 2)  // EUR (rejected by the partner) and PKR (paid)
            server.sandboxes.faults.payout.fault = .misreport(.anotherMessage)
            server.clock.advance(31)
            #expect(try await payouts.pollReports() == 0)
            #expect(try await payouts.pollReports() == 0)
            for id in [closed, paid] {
                #expect(try await Self.status(server, id) == "processing")
                #expect(try await Self.returnColumns(server, id).requestedAt == nil)
            }
            let alerts = try await Self.reportMismatches(server)
            #expect(alerts.count == 2 && alerts.allSatisfy { $0.entityType == "payout" && $0.details.contains("control_sum") }, "\(alerts.map(\.details))")
            #expect(try await Self.payoutStatuses(server) == ["submitted", "submitted"])

            server.sandboxes.faults.payout.fault = nil
            #expect(try await payouts.pollReports() == 2)
            #expect(try await Self.status(server, closed) == "failed")
            #expect(try await Self.status(server, paid) == "completed")
        }
    }

    /// The report is about the message, but names its transactions wrongly: what is named wrongly
    /// doesn't move, the rest does, and operations are told once.
    @Test(arguments: [PayoutMisreport.transactionNotSent, .conflictingStatuses, .otherAmount])
    func aTransactionNamedWronglyIsNotTakenTheRestIs(misreport: PayoutMisreport) async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let good = try await Self.paidTransfer(server, kari, recipient: RecipientsTests.germany, amountMinor: 40_000).id
            let closed = try await Self.paidTransfer(server, kari, recipient: Self.closedAccount, amountMinor: 50_000).id
            let payouts = server.services.payouts()
            #expect(try await payouts.submitDue() == 1)  // one EUR message
            server.sandboxes.faults.payout.fault = .misreport(misreport)
            server.clock.advance(31)
            _ = try await payouts.pollReports()
            _ = try await payouts.pollReports()
            let alerts = try await Self.reportMismatches(server)
            #expect(alerts.count == 1 && alerts.first?.entityType == "payout", "\(alerts.map(\.details))")
            switch misreport {
            case .transactionNotSent:
                // Each of Drop's is named rightly, with its own status: taken.
                #expect(alerts.first?.details.contains("not_sent") == true)
                #expect(try await Self.status(server, good) == "completed")
                #expect(try await Self.status(server, closed) == "failed")
            case .conflictingStatuses:
                // The paid one named RJCT and ACCC: neither taken. The rejected one named RJCT twice: rejected.
                #expect(alerts.first?.details.contains("conflicting_statuses") == true)
                #expect(try await Self.status(server, good) == "processing")
                #expect(try await Self.returnColumns(server, good).requestedAt == nil)
                #expect(try await Self.status(server, closed) == "failed")
            default:
                // Each about another amount than instructed: neither taken.
                #expect(alerts.first?.details.contains("amount") == true)
                #expect(try await Self.status(server, good) == "processing")
                #expect(try await Self.status(server, closed) == "processing")
                #expect(try await Self.returnColumns(server, closed).requestedAt == nil)
            }

            server.sandboxes.faults.payout.fault = nil
            _ = try await payouts.pollReports()
            #expect(try await Self.status(server, good) == "completed")
            #expect(try await Self.status(server, closed) == "failed")
            #expect(try await Self.onlyPayoutStatus(server) == "completed")
        }
    }

    /// A status read answered with a pain.002 about another `OrgnlMsgId`, with one Drop can't read, or
    /// refused for good (410): it was skipped silently every run, for good, and nobody told. Now
    /// operations are told once.
    @Test(arguments: [SandboxFault.misreport(.otherMessageId), .garbage, .misreport(.refused(status: 410))])
    func aStatusAnswerThatIsNotThisMessagesIsRaised(fault: SandboxFault) async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let id = try await Self.paidTransfer(server, kari, recipient: Self.pakistan, amountMinor: 70_000).id
            let payouts = server.services.payouts()
            #expect(try await payouts.submitDue() == 1)
            server.sandboxes.faults.payout.fault = fault
            server.clock.advance(31)
            #expect(try await payouts.pollReports() == 0)
            #expect(try await payouts.pollReports() == 0)
            let alerts = try await server.services.database.withConnection { try await OperationsAlertRepository.open(on: $0) }
                .filter { $0.kind == .payoutReportMismatch || $0.kind == .payoutPartnerRefused }
            let (kind, detail) = switch fault {
            case .garbage: (OperationsAlert.Kind.payoutReportMismatch, #""issue":"unreadable""#)
            case .misreport(.otherMessageId): (.payoutReportMismatch, #""issue":"message_id""#)
            default: (.payoutPartnerRefused, #""httpStatus":410"#)
            }
            #expect(alerts.count == 1 && alerts.first?.kind == kind && alerts.first?.details.contains(detail) == true, "\(alerts.map(\.details))")
            #expect(try await Self.status(server, id) == "processing")

            server.sandboxes.faults.payout.fault = nil
            #expect(try await payouts.pollReports() == 1)
            #expect(try await Self.status(server, id) == "completed")
        }
    }

    /// Another environment sharing Drop's partner credentials sent its own message under Drop's `MsgId`
    /// (same amounts, other payments) before Drop's got through: Drop's send is refused 409, and after
    /// midnight Drop asks the partner whether it has the message. The report it reads is the other one's.
    /// Before: Drop's transfer took that report's payment group status and was told completed, never
    /// paid. Now it stays `processing` and operations hear of the report naming payments Drop never sent.
    @Test func aReportOfAnotherEnvironmentsMessageUnderDropsIdCompletesNothing() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let id = try await Self.paidTransfer(server, kari, recipient: Self.pakistan, amountMinor: 70_000).id
            let faults = server.sandboxes.faults.payout
            faults.fault = .unavailable
            #expect(try await server.services.payouts().submitDue() == 1)
            faults.fault = nil
            server.clock.advance(61)  // the partner's breaker cools down
            let (messageId, ours) = try await server.services.database.withConnection { db in
                let row = try #require(try await db.raw("SELECT message_id, pain001 FROM payouts").first())
                return (try row.decode(column: "message_id", as: String.self), try row.decode(column: "pain001", as: String.self))
            }
            let endToEnd = try #require(try await CustomerStandingLostTests.column(server, "end_to_end_id", of: id, as: String.self))
            let theirs = ours.replacingOccurrences(of: endToEnd, with: "OTHERENV" + String(endToEnd.suffix(20)))
            _ = try await server.services.payoutPartner.wrapped.submit(pain001: theirs, messageId: messageId)

            #expect(try await server.services.payouts().submitDue() == 0)  // refused 409: the key holds another message
            #expect(try await Self.onlyPayoutStatus(server) != "submitted")
            server.clock.advance(Self.oneMinuteBeforeMidnight(server) + 120)  // theirs settled; Drop's message dated yesterday
            _ = try await server.services.payouts().submitDue()
            _ = try await server.services.payouts().pollReports()

            #expect(try await Self.status(server, id) == "processing")
            #expect(try await Self.returnColumns(server, id).requestedAt == nil)
            let alerts = try await Self.reportMismatches(server)
            #expect(alerts.count == 1 && alerts.first?.details.contains("not_sent") == true, "\(alerts.map(\.details))")
            #expect(await !(try #require(server.sandboxes.payout).acceptedEndToEndIds().contains(endToEnd)))
        }
    }
}
