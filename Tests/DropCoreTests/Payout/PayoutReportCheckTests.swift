import DropCore
import Foundation
import Testing

@Suite("A pain.002 checked against the pain.001 sent")
struct PayoutReportCheckTests {
    /// What `SentPayoutMessage` reads of a pain.001: two payouts of 100.50 and 20 EUR in one payment group.
    static let sent = try! SentPayoutMessage(pain001: """
        <Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"><CstmrCdtTrfInitn>
          <GrpHdr><MsgId>M1</MsgId><NbOfTxs>2</NbOfTxs><CtrlSum>120.50</CtrlSum></GrpHdr>
          <PmtInf><PmtInfId>M1-1</PmtInfId>
            <CdtTrfTxInf><PmtId><EndToEndId>E1</EndToEndId></PmtId><Amt><InstdAmt Ccy="EUR">100.50</InstdAmt></Amt></CdtTrfTxInf>
            <CdtTrfTxInf><PmtId><EndToEndId>E2</EndToEndId></PmtId><Amt><InstdAmt Ccy="EUR">20.00</InstdAmt></Amt></CdtTrfTxInf>
          </PmtInf>
        </CstmrCdtTrfInitn></Document>
        """)

    static func report(count: String? = "2", sum: String? = "120.5", group: PaymentStatusCode? = .acceptedCreditSettlementCompleted,
                       _ transactions: [PaymentTransactionStatus]) -> PaymentStatusReport {
        PaymentStatusReport(messageId: "R1", creationDateTime: "2026-11-21T12:00:00Z", originalMessageId: "M1", originalMessageNameId: "pain.001.001.09",
                            groupStatus: group, paymentInformation: [PaymentInformationStatus(originalPaymentInformationId: "M1-1", status: nil, transactions: transactions)],
                            originalNumberOfTransactions: count, originalControlSum: sum)
    }

    @Test func aMatchingReportIsTakenWholeAndDecimalsCompareAsNumbers() {
        let check = PayoutReportCheck(Self.report([PaymentTransactionStatus(originalEndToEndId: "E1", status: .rejected, originalAmount: "100.5", originalCurrency: "EUR")]),
                                      against: Self.sent)
        #expect(check.matches)
        #expect(check.verdict(on: "E1").status == .rejected)
        #expect(check.verdict(on: "E2").status == .acceptedCreditSettlementCompleted)  // the message's status covers it
    }

    @Test func aReportAboutAnotherMessageMovesNothing() {
        for (count, sum, issue) in [("3", "120.50", PayoutReportCheck.MessageIssue.transactionCount), ("2", "120.51", .controlSum), ("2", "12O.50", .controlSum)] {
            let check = PayoutReportCheck(Self.report(count: count, sum: sum, [PaymentTransactionStatus(originalEndToEndId: "E1", status: .rejected)]), against: Self.sent)
            #expect(check.messageIssue == issue)
            #expect(check.verdict(on: "E1").status == nil && check.verdict(on: "E2").status == nil)
        }
    }

    @Test func transactionsNamedWronglyDontMoveAndAPaymentNeverSentStopsInheritance() {
        let check = PayoutReportCheck(Self.report([
            PaymentTransactionStatus(originalEndToEndId: "E1", status: .rejected),
            PaymentTransactionStatus(originalEndToEndId: "E1", status: .acceptedCreditSettlementCompleted),
            PaymentTransactionStatus(originalEndToEndId: "X9", status: .rejected),
        ]), against: Self.sent)
        #expect(check.transactionIssues == ["E1": .conflicting, "X9": .notSent])
        #expect(check.verdict(on: "E1").status == nil)
        #expect(check.verdict(on: "E2").status == nil)  // the group status may be about X9's message

        let amounts = PayoutReportCheck(Self.report([
            PaymentTransactionStatus(originalEndToEndId: "E1", status: .rejected, originalAmount: "101.50", originalCurrency: "EUR"),
            PaymentTransactionStatus(originalEndToEndId: "E2", status: .rejected, originalAmount: "20", originalCurrency: "SEK"),
        ]), against: Self.sent)
        #expect(amounts.transactionIssues == ["E1": .amount, "E2": .currency])
        #expect(amounts.verdict(on: "E1").status == nil && amounts.verdict(on: "E2").status == nil)
    }
}
