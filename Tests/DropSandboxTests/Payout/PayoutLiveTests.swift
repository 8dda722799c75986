import DropCore
import DropProviders
import DropSandbox
import DropTestTools
import Foundation
import HTTPTypes
import Testing

@Suite("Payout sandbox with the payout client, over HTTP")
struct PayoutLiveTests {
    typealias D = PayoutData

    @Test func anAcceptedBatchIsPendingThenSettlesAfterTheDelay() async throws {
        try await PayoutLive.run(settlementDelay: .seconds(60)) { live in
            let batch = try D.batch("MSG-SETTLE-1", at: live.clock.now(), [
                try D.sepa("E2E-GOOD", 250_00),
                try D.sepa("E2E-NOACCOUNT", 10_00, iban: D.missingIBAN),
                try D.usd("E2E-USD", 1_000_00),
                try D.usd("E2E-SANCTIONED", 5_00, name: "Sanctioned Trading LLC"),
                try D.usd("E2E-USD-NOACCOUNT", 7_00, account: "123450000"),
            ])
            let submission = try await live.client.submit(batch)
            #expect(!submission.replayed)
            #expect(submission.report.originalMessageId == "MSG-SETTLE-1")
            #expect(submission.report.groupStatus == .acceptedTechnicalValidation)
            #expect(submission.report.transactions.map(\.originalEndToEndId) == batch.paymentGroups.flatMap(\.instructions).map(\.endToEndId.value))
            #expect(submission.report.transactions.allSatisfy { $0.status == .pending })
            #expect(submission.report.paymentInformation.map(\.originalPaymentInformationId) == ["MSG-SETTLE-1-1", "MSG-SETTLE-1-2"])
            #expect(submission.pain001 == Pain001Writer().xml(for: batch))

            live.clock.advance(seconds: 59)
            let early = try await live.client.report(messageId: "MSG-SETTLE-1")
            #expect(early.transactions.allSatisfy { $0.status == .pending })
            #expect(early.outcomes(for: batch).allSatisfy { $0.event == nil })

            live.clock.advance(seconds: 1)
            let settled = try await live.client.report(messageId: "MSG-SETTLE-1")
            #expect(settled.groupStatus == .partiallyAccepted)
            let byId = Dictionary(uniqueKeysWithValues: settled.transactions.map { ($0.originalEndToEndId, $0) })
            #expect(byId["E2E-GOOD"]?.status == .acceptedCreditSettlementCompleted)
            #expect(byId["E2E-GOOD"]?.acceptanceDateTime != nil)
            #expect(byId["E2E-USD"]?.status == .acceptedCreditSettlementCompleted)
            #expect(byId["E2E-NOACCOUNT"]?.status == .rejected)
            #expect(byId["E2E-NOACCOUNT"]?.reasonCode == "AC01")
            #expect(byId["E2E-USD-NOACCOUNT"]?.reasonCode == "AC01")
            #expect(byId["E2E-SANCTIONED"]?.status == .rejected)
            #expect(byId["E2E-SANCTIONED"]?.reasonCode == "RR04")
            let events = settled.outcomes(for: batch).map(\.event)
            #expect(events == [.payoutSettled, .payoutFailed, .payoutSettled, .payoutFailed, .payoutFailed])
        }
    }

    /// Partners may report only each payment group's status or only the message's, naming no
    /// transaction: the sandbox does under the faults `paymentGroupStatusOnly` and `groupStatusOnly`,
    /// with a rejection's reason where every transaction at that level shares it. Each payout then
    /// comes out as when it is named, except under a `PART` that names nobody.
    @Test func reportsOfEachPaymentGroupOrOfTheWholeMessageOnly() async throws {
        try await PayoutLive.run(settlementDelay: .seconds(60)) { live in
            let mixed = try D.batch("MSG-SUMMARY-1", at: live.clock.now(), [
                try D.sepa("E2E-NOACCOUNT-1", 10_00, iban: D.missingIBAN), try D.sepa("E2E-NOACCOUNT-2", 20_00, iban: D.missingIBAN),
                try D.usd("E2E-USD", 1_000_00),
            ])
            let rejected = try D.batch("MSG-SUMMARY-2", at: live.clock.now(), [
                try D.sepa("E2E-NOACCOUNT-3", 10_00, iban: D.missingIBAN), try D.usd("E2E-USD-NOACCOUNT", 7_00, account: "123450000"),
            ])
            _ = try await live.client.submit(mixed)
            _ = try await live.client.submit(rejected)
            live.clock.advance(seconds: 60)
            let named = try await live.client.report(messageId: mixed.messageId)

            live.faults.fault = .paymentGroupStatusOnly
            let byGroup = try await live.client.report(messageId: mixed.messageId)
            #expect(byGroup.groupStatus == nil && byGroup.transactions.isEmpty)
            #expect(byGroup.paymentInformation.map(\.status) == [.rejected, .acceptedCreditSettlementCompleted])
            #expect(byGroup.paymentInformation.first?.reasons.map(\.code) == ["AC01"])
            #expect(byGroup.outcomes(for: mixed).map(\.event) == named.outcomes(for: mixed).map(\.event))
            #expect(byGroup.outcomes(for: mixed).map(\.reasonCode) == ["AC01", "AC01", nil])

            live.faults.fault = .groupStatusOnly
            let whole = try await live.client.report(messageId: mixed.messageId)
            #expect(whole.groupStatus == .partiallyAccepted && whole.paymentInformation.isEmpty && whole.groupReasons.isEmpty)
            #expect(whole.outcomes(for: mixed).allSatisfy { $0.status == nil })
            let refused = try await live.client.report(messageId: rejected.messageId)
            #expect(refused.groupStatus == .rejected && refused.groupReasons.map(\.code) == ["AC01"])
            #expect(refused.outcomes(for: rejected).map(\.event) == [.payoutFailed, .payoutFailed])
            #expect(refused.outcomes(for: rejected).map(\.reasonCode) == ["AC01", "AC01"])
        }
    }

    @Test func settlementThenCreditWhenTheCreditorBankIsSlower() async throws {
        try await PayoutLive.run(settlementDelay: .seconds(10), creditDelay: .seconds(50)) { live in
            let batch = try D.batch(at: live.clock.now(), [try D.sepa("E2E-1", 1_00), try D.sepa("E2E-2", 2_00)])
            _ = try await live.client.submit(batch)
            live.clock.advance(seconds: 10)
            // Statuses move on the sandbox's own evaluation too, not only when a report is read.
            #expect(try await live.sandbox.settleDue() == 2)
            let settled = try await live.client.report(messageId: batch.messageId)
            #expect(settled.groupStatus == .acceptedSettlementCompleted)
            #expect(settled.transactions.map(\.status) == [.acceptedSettlementCompleted, .acceptedSettlementCompleted])
            #expect(settled.outcomes(for: batch).allSatisfy { $0.event == nil })
            live.clock.advance(seconds: 50)
            let credited = try await live.client.report(messageId: batch.messageId)
            #expect(credited.groupStatus == .acceptedCreditSettlementCompleted)
            #expect(credited.outcomes(for: batch).allSatisfy { $0.event == .payoutSettled })
        }
    }

    /// Messages a bank would refuse, built by editing what the writer produces, sent with the
    /// real client: 400 with a pain.002 naming each problem, and nothing stored.
    @Test(arguments: [
        Mutation("not well-formed XML", code: "FF01", where: "Not well-formed XML") { String($0.dropLast(40)) },
        Mutation("another namespace", code: "FF01", where: "namespace") {
            $0.replacingOccurrences(of: "pain.001.001.09", with: "pain.001.001.03")
        },
        Mutation("bad IBAN check digits", code: "AC01", where: "PmtInf[1]/CdtTrfTxInf[2]/CdtrAcct/Id/IBAN") {
            $0.replacingOccurrences(of: "<IBAN>DE89370400440532013000</IBAN>", with: "<IBAN>DE88370400440532013000</IBAN>")
        },
        Mutation("control sum off by a cent", code: "AM10", where: "GrpHdr/CtrlSum") {
            $0.replacingOccurrences(of: "<CtrlSum>260.00</CtrlSum>", with: "<CtrlSum>260.01</CtrlSum>")
        },
        Mutation("payment group count wrong", code: "AM18", where: "PmtInf[1]/NbOfTxs") {
            $0.replacingOccurrences(of: "<NbOfTxs>2</NbOfTxs>", with: "<NbOfTxs>3</NbOfTxs>")
        },
        Mutation("duplicate EndToEndId", code: "AM05", where: "PmtInf[1]/CdtTrfTxInf[2]/PmtId/EndToEndId") {
            $0.replacingOccurrences(of: "<EndToEndId>E2E-B</EndToEndId>", with: "<EndToEndId>E2E-A</EndToEndId>")
        },
        Mutation("three decimals for EUR", code: "AM12", where: "PmtInf[1]/CdtTrfTxInf[1]/Amt/InstdAmt") {
            $0.replacingOccurrences(of: #"<InstdAmt Ccy="EUR">250.00</InstdAmt>"#, with: #"<InstdAmt Ccy="EUR">250.001</InstdAmt>"#)
        },
        Mutation("SEPA in SEK", code: "AM03", where: "PmtInf[1]/CdtTrfTxInf[1]/Amt/InstdAmt") {
            $0.replacingOccurrences(of: #"<InstdAmt Ccy="EUR">250.00</InstdAmt>"#, with: #"<InstdAmt Ccy="SEK">250.00</InstdAmt>"#)
        },
        Mutation("BIC of no country", code: "RC01", where: "PmtInf[1]/DbtrAgt/FinInstnId/BICFI") {
            $0.replacingOccurrences(of: "<BICFI>DNBANOKK</BICFI>", with: "<BICFI>DNBAQQKK</BICFI>")
        },
        Mutation("BIC of the wrong shape", code: "FF01", where: "PmtInf[1]/DbtrAgt/FinInstnId/BICFI: not a valid BICFIDec2014Identifier") {
            $0.replacingOccurrences(of: "<BICFI>DNBANOKK</BICFI>", with: "<BICFI>DNBANOK</BICFI>")
        },
        Mutation("elements out of order", code: "FF01", where: "out of order") {
            $0.replacingOccurrences(of: "<PmtMtd>TRF</PmtMtd>\n", with: "").replacingOccurrences(of: "<ChrgBr>SLEV</ChrgBr>", with: "<ChrgBr>SLEV</ChrgBr><PmtMtd>TRF</PmtMtd>")
        },
        Mutation("mandatory element missing", code: "FF01", where: "the mandatory element MsgId is missing") {
            $0.replacingOccurrences(of: #"<MsgId>[^<]*</MsgId>"#, with: "", options: .regularExpression)
        },
        Mutation("unknown element", code: "FF01", where: "Colour is not allowed here") {
            $0.replacingOccurrences(of: "<PmtMtd>TRF</PmtMtd>", with: "<PmtMtd>TRF</PmtMtd><Colour>red</Colour>")
        },
        Mutation("SEPA name outside the character set", code: "FF01", where: "PmtInf[1]/CdtTrfTxInf[1]/Cdtr/Nm") {
            $0.replacingOccurrences(of: "<Nm>Hans Muller</Nm>", with: "<Nm>Hans Müller</Nm>")
        },
    ])
    func invalidMessagesAreRejectedWithReasons(_ mutation: Mutation) async throws {
        try await PayoutLive.run { live in
            let batch = try D.batch("MSG-BAD-1", at: live.clock.now(), [try D.sepa("E2E-A", 250_00), try D.sepa("E2E-B", 10_00)])
            let xml = mutation.apply(Pain001Writer().xml(for: batch))
            let error = await #expect(throws: PayoutError.self) { try await live.client.submit(pain001: xml, messageId: "MSG-BAD-1") }
            // Problems inside a transaction also name it (`TxInfAndSts` RJCT); the rest are the message's.
            let rejection: (messageId: String, status: Int, reasons: [PaymentStatusReason])
            switch error {
            case .rejected(let messageId, let status, let reasons)?: rejection = (messageId, status, reasons)
            case .rejectedInstructions(let messageId, let status, let reasons, let named)?:
                #expect(mutation.location.contains("CdtTrfTxInf") && !named.isEmpty && named.allSatisfy { $0.status == .rejected }, "\(mutation.name)")
                rejection = (messageId, status, reasons)
            default:
                Issue.record("expected a rejection, got \(String(describing: error))")
                return
            }
            let (messageId, status, reasons) = rejection
            #expect(messageId == "MSG-BAD-1")
            #expect(status == 400)
            let matching = reasons.filter { $0.code == mutation.code && ($0.additionalInformation ?? "").contains(mutation.location) }
            #expect(!matching.isEmpty, "\(mutation.name): \(reasons)")
            // A client error is not held against the partner, and nothing was accepted.
            #expect(await live.breaker.snapshot.consecutiveFailures == 0)
            await #expect(throws: PayoutError.unknownMessage(messageId: "MSG-BAD-1")) { try await live.client.report(messageId: "MSG-BAD-1") }
            // The corrected message is then accepted under the same id.
            #expect(try await live.client.submit(batch).report.groupStatus == .acceptedTechnicalValidation)
        }
    }

    /// Cross-border payments travel under CBPR+, which carries Latin text only: a creditor name with
    /// an accented letter or another script is refused (`FF01`) naming its transaction, as a partner
    /// refuses it; the sandbox took any text. What Drop's writer makes of the same name is accepted.
    @Test(arguments: ["Zofia Wójcik", "Олена Коваленко", "李小龍"])
    func crossBorderNamesOutsideTheCBPRSetAreRefused(_ name: String) async throws {
        try await PayoutLive.run { live in
            let batch = try D.batch("MSG-CBPR-1", at: live.clock.now(), [try D.usd("E2E-A", 10_00, name: "Placeholder Name"), try D.usd("E2E-B", 5_00)])
            let xml = Pain001Writer().xml(for: batch).replacingOccurrences(of: "<Nm>Placeholder Name</Nm>", with: "<Nm>\(name)</Nm>")
            let error = await #expect(throws: PayoutError.self) { try await live.client.submit(pain001: xml, messageId: "MSG-CBPR-1") }
            guard case .rejectedInstructions(_, let status, let reasons, let named)? = error else {
                Issue.record("expected a rejection naming the transaction, got \(String(describing: error))")
                return
            }
            #expect(status == 400)
            #expect(named.map(\.originalEndToEndId) == ["E2E-A"])
            #expect(reasons.contains { $0.code == "FF01" && ($0.additionalInformation ?? "").contains("PmtInf[1]/CdtTrfTxInf[1]/Cdtr/Nm") }, "\(reasons)")
            if name == "Zofia Wójcik" {
                let written = try D.batch("MSG-CBPR-2", at: live.clock.now(), [try D.usd("E2E-C", 10_00, name: name)])
                #expect(Pain001Writer().xml(for: written).contains("<Nm>Zofia Wojcik</Nm>"))
                #expect(try await live.client.submit(written).report.groupStatus == .acceptedTechnicalValidation)
            }
        }
    }

    @Test func manyProblemsAreAllListed() async throws {
        try await PayoutLive.run { live in
            let batch = try D.batch("MSG-MANY", at: live.clock.now(), [try D.sepa("E2E-A", 250_00), try D.sepa("E2E-B", 10_00)])
            let xml = Pain001Writer().xml(for: batch)
                .replacingOccurrences(of: "<IBAN>DE89370400440532013000</IBAN>", with: "<IBAN>DE88370400440532013000</IBAN>")
                .replacingOccurrences(of: "<EndToEndId>E2E-B</EndToEndId>", with: "<EndToEndId>E2E-A</EndToEndId>")
                .replacingOccurrences(of: "<CtrlSum>260.00</CtrlSum>", with: "<CtrlSum>1.00</CtrlSum>")
            let error = await #expect(throws: PayoutError.self) { try await live.client.submit(pain001: xml, messageId: "MSG-MANY") }
            #expect(error?.reasonCodes == ["AC01", "AM05", "AC01", "AM10", "AM10"])
        }
    }

    @Test func resubmittingIsIdempotent() async throws {
        try await PayoutLive.run { live in
            let batch = try D.batch("MSG-IDEMPOTENT", at: live.clock.now(), [try D.sepa("E2E-1", 99_00)])
            let first = try await live.client.submit(batch)
            let again = try await live.client.submit(batch)
            #expect(again.replayed)
            #expect(again.pain002 == first.pain002)
            #expect(again.report == first.report)

            // Same key (the message id), different body: refused, never paid twice.
            let changed = try D.batch("MSG-IDEMPOTENT", at: live.clock.now(), [try D.sepa("E2E-1", 98_00)])
            let conflict = await #expect(throws: PayoutError.self) { try await live.client.submit(changed) }
            guard case .idempotencyConflict("MSG-IDEMPOTENT", let reasons)? = conflict else {
                Issue.record("expected an idempotency conflict, got \(String(describing: conflict))")
                return
            }
            #expect(reasons.map(\.code) == ["DU01"])

            // Same MsgId under another key: a duplicate message.
            let duplicate = try await live.post(first.pain001, key: "some-other-key")
            #expect(duplicate.status == .badRequest)
            let report = try Pain002Reader().read(Array(duplicate.body.readableBytesView))
            #expect(report.groupStatus == .rejected)
            #expect(report.groupReasons.map(\.code) == ["DU01"])

            // Still one message with one transaction.
            let status = try await live.client.report(messageId: "MSG-IDEMPOTENT")
            #expect(status.transactions.count == 1)
        }
    }

    @Test func transientFailuresAreRetriedThenTheBreakerOpens() async throws {
        try await PayoutLive.run { live in
            live.faults.failNext(2, with: .serverError)
            let batch = try D.batch("MSG-RETRY", at: live.clock.now(), [try D.sepa("E2E-1", 1_00)])
            let submission = try await live.client.submit(batch)
            #expect(!submission.replayed)
            #expect(live.faults.requestCount == 3)
            #expect(live.sleeps.delays.count == 2)

            live.faults.fault = .unavailable
            let down = await #expect(throws: ProviderError.self) { try await live.client.report(messageId: "MSG-RETRY") }
            // Three attempts reached the sandbox and opened the breaker; the fourth was refused locally.
            #expect(down == .circuitOpen(provider: PayoutClient.providerName, retryAfter: .seconds(60)))
            #expect(live.faults.requestCount == 6)
            #expect(await live.breaker.snapshot.state == .open)
            await #expect(throws: ProviderError.self) { try await live.client.submit(batch) }
            #expect(live.faults.requestCount == 6)

            live.faults.fault = nil
            live.time.advance(by: .seconds(60))
            let replay = try await live.client.submit(batch)
            #expect(replay.replayed)
            #expect(await live.breaker.snapshot.state == .closed)
        }
    }

    @Test func stateSurvivesARestart() async throws {
        let directory = URL(fileURLWithPath: TestScratch.path("payout-restart"))
        defer { try? FileManager.default.removeItem(at: directory) }
        let clock = BankTestClock()
        let batch = try D.batch("MSG-RESTART", at: clock.now(), [try D.sepa("E2E-1", 5_00), try D.sepa("E2E-2", 6_00, iban: D.missingIBAN)])
        let firstAnswer = Answer()
        try await PayoutLive.run(directory: directory, clock: clock) { live in
            firstAnswer.set(try await live.client.submit(batch).pain002)
        }
        let file = PayoutSandboxConfiguration.stateFilePath(inDataDirectory: directory.path)
        let saved = try String(contentsOfFile: file, encoding: .utf8)
        #expect(saved.contains("MSG-RESTART") && !saved.contains("Hans"))

        clock.advance(seconds: 61)
        try await PayoutLive.run(directory: directory, clock: clock) { live in
            let report = try await live.client.report(messageId: "MSG-RESTART")
            #expect(report.transactions.map(\.status) == [.acceptedCreditSettlementCompleted, .rejected])
            // The idempotency record came back too.
            let again = try await live.client.submit(batch)
            #expect(again.replayed)
            #expect(again.pain002 == firstAnswer.value)
        }
    }

    @Test func wrongCredentialsUnknownMessagesAndGarbage() async throws {
        try await PayoutLive.run(clientSecret: "not-the-secret") { live in
            await #expect(throws: PayoutError.unauthorized(status: 401)) { try await live.client.report(messageId: "MSG-1") }
            #expect(await live.breaker.snapshot.consecutiveFailures == 0)
        }
        try await PayoutLive.run { live in
            await #expect(throws: PayoutError.unknownMessage(messageId: "MSG-NONE")) { try await live.client.report(messageId: "MSG-NONE") }
            await #expect(throws: ProviderError.self) { try await live.client.report(messageId: "../etc") }

            live.faults.fault = .garbage
            let error = await #expect(throws: ProviderError.self) { try await live.client.report(messageId: "MSG-NONE") }
            guard case .decoding? = error else {
                Issue.record("expected a decoding error, got \(String(describing: error))")
                return
            }
            live.faults.fault = nil

            // Not XML at all, and no idempotency key: refused before anything else.
            let json = try await live.post("{}", key: "k", contentType: "application/json")
            #expect(json.status == .unsupportedMediaType)
            let keyless = try await live.post("<Document/>", key: nil)
            #expect(keyless.status == .badRequest)
            #expect(try Pain002Reader().read(Array(keyless.body.readableBytesView)).groupReasons.first?.additionalInformation?.contains("Idempotency-Key") == true)
        }
    }
}

/// An edit that makes a valid pain.001 invalid, and the reason the bank should give.
struct Mutation: Sendable, CustomTestStringConvertible {
    let name: String
    let code: String
    let location: String
    let apply: @Sendable (String) -> String

    init(_ name: String, code: String, where location: String, _ apply: @escaping @Sendable (String) -> String) {
        self.name = name
        self.code = code
        self.location = location
        self.apply = apply
    }

    var testDescription: String { name }
}

/// Carries a value out of a `@Sendable` closure.
final class Answer: @unchecked Sendable {
    private let lock = NSLock()
    private var stored = ""

    var value: String { lock.withLock { stored } }
    func set(_ value: String) { lock.withLock { stored = value } }
}
