import DropCore
import Foundation
import Testing

@Suite("pain.002 reader")
struct Pain002ReaderTests {
    static func report(namespace: String = "urn:iso:std:iso:20022:tech:xsd:pain.002.001.10", groupStatus: String? = "PART", body: String? = nil) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <Document xmlns="\(namespace)">
          <CstmrPmtStsRpt>
            <GrpHdr>
              <MsgId>RPT-1</MsgId>
              <CreDtTm>2026-11-21T12:00:00Z</CreDtTm>
            </GrpHdr>
            <OrgnlGrpInfAndSts>
              <OrgnlMsgId>DROP20261121-0001</OrgnlMsgId>
              <OrgnlMsgNmId>pain.001.001.09</OrgnlMsgNmId>
              <OrgnlNbOfTxs>3</OrgnlNbOfTxs>
              \(groupStatus.map { "<GrpSts>\($0)</GrpSts>" } ?? "")
            </OrgnlGrpInfAndSts>
        \(body ?? """
            <OrgnlPmtInfAndSts>
              <OrgnlPmtInfId>DROP20261121-0001-1</OrgnlPmtInfId>
              <PmtInfSts>PART</PmtInfSts>
              <TxInfAndSts>
                <OrgnlEndToEndId>E2E-1</OrgnlEndToEndId>
                <TxSts>ACCC</TxSts>
                <AccptncDtTm>2026-11-21T11:00:00Z</AccptncDtTm>
              </TxInfAndSts>
              <TxInfAndSts>
                <OrgnlEndToEndId>E2E-3</OrgnlEndToEndId>
                <TxSts>RJCT</TxSts>
                <StsRsnInf>
                  <Rsn>
                    <Cd>AC01</Cd>
                  </Rsn>
                  <AddtlInf>The creditor account does not exist</AddtlInf>
                  <AddtlInf>at the beneficiary bank.</AddtlInf>
                </StsRsnInf>
              </TxInfAndSts>
            </OrgnlPmtInfAndSts>
            <OrgnlPmtInfAndSts>
              <OrgnlPmtInfId>DROP20261121-0001-2</OrgnlPmtInfId>
              <PmtInfSts>ACSC</PmtInfSts>
            </OrgnlPmtInfAndSts>
        """)
          </CstmrPmtStsRpt>
        </Document>
        """
    }

    @Test func readsGroupAndTransactionStatuses() throws {
        let report = try Pain002Reader().read(Self.report())
        #expect(report.messageId == "RPT-1")
        #expect(report.creationDateTime == "2026-11-21T12:00:00Z")
        #expect(report.originalMessageId == "DROP20261121-0001")
        #expect(report.originalMessageNameId == "pain.001.001.09")
        #expect(report.groupStatus == .partiallyAccepted)
        #expect(report.paymentInformation.map(\.originalPaymentInformationId) == ["DROP20261121-0001-1", "DROP20261121-0001-2"])
        #expect(report.paymentInformation.map(\.status) == [.partiallyAccepted, .acceptedSettlementCompleted])

        let transactions = report.transactions
        #expect(transactions.map(\.originalEndToEndId) == ["E2E-1", "E2E-3"])
        #expect(transactions[0].status == .acceptedCreditSettlementCompleted)
        #expect(transactions[0].reasonCode == nil)
        #expect(transactions[0].acceptanceDateTime == "2026-11-21T11:00:00Z")
        let rejected = try #require(report.transaction(endToEndId: "E2E-3"))
        #expect(rejected.status == .rejected)
        #expect(rejected.reasonCode == "AC01")
        #expect(rejected.additionalInformation == "The creditor account does not exist at the beneficiary bank.")
        #expect(rejected.status.payoutEvent == .payoutFailed)
    }

    /// E2E-2 has no entry of its own: its PmtInf's ACSC covers it (not yet settled with the creditor).
    @Test func outcomesInheritFromThePaymentGroup() throws {
        let batch = try PayoutFixtures.batch([
            try PayoutFixtures.sepa("E2E-1", 250_00),
            try PayoutFixtures.swift("E2E-2", 10_000_50, currency: "PKR", country: "PK",
                                     account: .iban(try IBAN("PK36SCBL0000001123456702")), bic: "SCBLPKKX"),
            try PayoutFixtures.sepa("E2E-3", 1),
        ])
        let outcomes = try Pain002Reader().read(Self.report()).outcomes(for: batch)
        #expect(outcomes.map(\.endToEndId.value) == ["E2E-1", "E2E-2", "E2E-3"])
        #expect(outcomes.map(\.status) == [.acceptedCreditSettlementCompleted, .acceptedSettlementCompleted, .rejected])
        #expect(outcomes.map(\.event) == [.payoutSettled, nil, .payoutFailed])
        #expect(outcomes[2].reasonCode == "AC01")
    }

    @Test func aWholeMessageRejectedAtGroupLevel() throws {
        let text = Self.report(groupStatus: "RJCT", body: """
            <OrgnlPmtInfAndSts>
              <OrgnlPmtInfId>X-1</OrgnlPmtInfId>
              <TxInfAndSts>
                <OrgnlEndToEndId>E2E-1</OrgnlEndToEndId>
              </TxInfAndSts>
            </OrgnlPmtInfAndSts>
        """).replacingOccurrences(of: "<GrpSts>RJCT</GrpSts>", with: """
        <GrpSts>RJCT</GrpSts>
              <StsRsnInf><Rsn><Prtry>X99</Prtry></Rsn><AddtlInf>Bad file</AddtlInf></StsRsnInf>
              <StsRsnInf><Rsn><Cd>FF01</Cd></Rsn></StsRsnInf>
        """)
        let report = try Pain002Reader().read(text)
        #expect(report.groupStatus == .rejected)
        #expect(report.groupReasons == [
            PaymentStatusReason(code: "X99", additionalInformation: "Bad file"),
            PaymentStatusReason(code: "FF01", additionalInformation: nil),
        ])
        // No TxSts of its own: the transaction takes the group's RJCT.
        #expect(report.transactions.map(\.status) == [.rejected])
        let batch = try PayoutFixtures.batch([try PayoutFixtures.sepa("E2E-1", 1), try PayoutFixtures.sepa("E2E-9", 1)])
        #expect(report.outcomes(for: batch).map(\.status) == [.rejected, .rejected])
        #expect(report.outcomes(for: batch)[1].reasonCode == "X99")
    }

    /// A partner may report a whole message (`GrpSts`) or a payment group (`PmtInfSts`) and name
    /// no transaction. The nearest level with a status decides for every payout it covers that has
    /// no entry of its own; PART there decides nothing, and neither does a pending status's event.
    @Test func aStatusReportedAboveTheTransactionsCoversEveryPayoutBelowIt() throws {
        // PmtInf -1: E2E-1 and E2E-3 (EUR, SEPA); PmtInf -2: E2E-2 (PKR, SWIFT).
        let batch = try PayoutFixtures.batch([
            try PayoutFixtures.sepa("E2E-1", 250_00),
            try PayoutFixtures.swift("E2E-2", 10_000_50, currency: "PKR", country: "PK",
                                     account: .iban(try IBAN("PK36SCBL0000001123456702")), bic: "SCBLPKKX"),
            try PayoutFixtures.sepa("E2E-3", 1),
        ])
        #expect(batch.paymentGroups.map(\.id) == ["DROP20261121-0001-1", "DROP20261121-0001-2"])
        let groupOnly = { (status: String, reason: String) in
            try Pain002Reader().read(Self.report(groupStatus: status, body: "").replacingOccurrences(
                of: "<GrpSts>\(status)</GrpSts>", with: "<GrpSts>\(status)</GrpSts>\(reason)"))
        }

        let rejected = try groupOnly("RJCT", "<StsRsnInf><Rsn><Cd>AC01</Cd></Rsn></StsRsnInf>").outcomes(for: batch)
        #expect(rejected.map(\.status) == [.rejected, .rejected, .rejected])
        #expect(rejected.map(\.event) == [.payoutFailed, .payoutFailed, .payoutFailed])
        #expect(rejected.map(\.reasonCode) == ["AC01", "AC01", "AC01"])
        #expect(try groupOnly("ACCC", "").outcomes(for: batch).map(\.event) == [.payoutSettled, .payoutSettled, .payoutSettled])
        #expect(try groupOnly("PART", "").outcomes(for: batch).map(\.status) == [nil, nil, nil])
        let pending = try groupOnly("PDNG", "").outcomes(for: batch)
        #expect(pending.map(\.status) == [.pending, .pending, .pending] && pending.allSatisfy { $0.event == nil })

        // PmtInfSts only, no GrpSts: each group's status is its own payouts', and only theirs.
        let byGroup = try Pain002Reader().read(Self.report(groupStatus: nil, body: """
            <OrgnlPmtInfAndSts>
              <OrgnlPmtInfId>DROP20261121-0001-1</OrgnlPmtInfId>
              <PmtInfSts>RJCT</PmtInfSts>
              <StsRsnInf><Rsn><Cd>RR04</Cd></Rsn></StsRsnInf>
            </OrgnlPmtInfAndSts>
        """))
        #expect(byGroup.hasPaymentGroupStatuses)
        let outcomes = byGroup.outcomes(for: batch)
        #expect(outcomes.map(\.status) == [.rejected, nil, .rejected])
        #expect(outcomes.map(\.reasonCode) == ["RR04", nil, "RR04"])
        // Without knowing which group a payout went out in, a group's status can't be its.
        #expect(byGroup.verdict(on: "E2E-1", inPaymentGroup: nil).status == nil)
        #expect(byGroup.verdict(on: "E2E-1", inPaymentGroup: "DROP20261121-0001-1").status == .rejected)

        // Its own entry wins over its group's; a group's PART stops there, even under a message
        // status that says otherwise; a group with no entry takes the message's status.
        let mixed = try Pain002Reader().read(Self.report(groupStatus: "RJCT", body: """
            <OrgnlPmtInfAndSts>
              <OrgnlPmtInfId>DROP20261121-0001-1</OrgnlPmtInfId>
              <PmtInfSts>PART</PmtInfSts>
              <TxInfAndSts>
                <OrgnlEndToEndId>E2E-1</OrgnlEndToEndId>
                <TxSts>ACCC</TxSts>
              </TxInfAndSts>
            </OrgnlPmtInfAndSts>
        """)).outcomes(for: batch)
        #expect(mixed.map(\.status) == [.acceptedCreditSettlementCompleted, .rejected, nil])
        #expect(try groupOnly("ACCC", "").hasPaymentGroupStatuses == false)
    }

    /// Since Verification of Payee (October 2025) a partner may give the names check as the
    /// message's status, and ISO's list has codes this reader once refused: one of them made the
    /// whole report unreadable, so no transfer in it moved.
    @Test func verificationOfPayeeAndLaterStatusCodesAreRead() throws {
        let report = try Pain002Reader().read(Self.report(groupStatus: "RVCM", body: """
            <OrgnlPmtInfAndSts>
              <OrgnlPmtInfId>DROP20261121-0001-1</OrgnlPmtInfId>
              <TxInfAndSts>
                <OrgnlEndToEndId>E2E-1</OrgnlEndToEndId>
                <TxSts>ACPD</TxSts>
              </TxInfAndSts>
              <TxInfAndSts>
                <OrgnlEndToEndId>E2E-2</OrgnlEndToEndId>
                <TxSts>ACCC</TxSts>
              </TxInfAndSts>
              <TxInfAndSts>
                <OrgnlEndToEndId>E2E-3</OrgnlEndToEndId>
              </TxInfAndSts>
            </OrgnlPmtInfAndSts>
        """))
        #expect(report.groupStatus == .payeeVerifiedMismatching)
        #expect(report.transactions.map(\.status) == [.acceptedClearingProcessed, .acceptedCreditSettlementCompleted, .payeeVerifiedMismatching])
        // The names check is no outcome: the transaction with no status of its own still waits.
        #expect(report.transactions.map(\.status.payoutEvent) == [nil, .payoutSettled, nil])
    }

    @Test func prefixedNamespacesAndLaterVersionsAreRead() throws {
        let fullyPrefixed = Self.report(namespace: "urn:iso:std:iso:20022:tech:xsd:pain.002.001.12")
            .replacingOccurrences(of: #"<(/?)([A-Za-z])"#, with: "<$1p:$2", options: .regularExpression)
            .replacingOccurrences(of: "xmlns=", with: "xmlns:p=")
        #expect(fullyPrefixed.contains("<p:TxSts>ACCC</p:TxSts>"))
        let report = try Pain002Reader().read(fullyPrefixed)
        #expect(report.transactions.count == 2)
    }

    @Test(arguments: [
        "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09",
        "urn:iso:std:iso:20022:tech:xsd:pain.002.001.03",
        "urn:iso:std:iso:20022:tech:xsd:camt.054.001.08",
        "",
    ])
    func unknownNamespacesAreRejected(_ namespace: String) {
        #expect(throws: Pain002ReaderError.unsupportedNamespace(namespace.isEmpty ? nil : namespace)) {
            try Pain002Reader().read(Self.report(namespace: namespace))
        }
    }

    @Test func malformedInputIsATypedError() throws {
        let truncated = String(Self.report().prefix(300))
        let error = #expect(throws: Pain002ReaderError.self) { try Pain002Reader().read(truncated) }
        guard case .notXML(.malformed)? = error else {
            Issue.record("expected malformed XML, got \(String(describing: error))")
            return
        }
        #expect(throws: Pain002ReaderError.notXML(.doctypeNotAllowed)) {
            try Pain002Reader().read(#"<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x "y">]><Document/>"#)
        }
        #expect(throws: Pain002ReaderError.missingElement("OrgnlGrpInfAndSts/OrgnlMsgId")) {
            try Pain002Reader().read(Self.report().replacingOccurrences(of: "<OrgnlMsgId>DROP20261121-0001</OrgnlMsgId>", with: ""))
        }
        #expect(throws: Pain002ReaderError.unknownStatusCode(element: "TxInfAndSts/TxSts", code: "DONE")) {
            try Pain002Reader().read(Self.report().replacingOccurrences(of: "<TxSts>ACCC</TxSts>", with: "<TxSts>DONE</TxSts>"))
        }
        // No status anywhere for a transaction.
        let statusless = Self.report(groupStatus: nil).replacingOccurrences(of: "<PmtInfSts>PART</PmtInfSts>", with: "")
            .replacingOccurrences(of: "<TxSts>ACCC</TxSts>", with: "")
        #expect(throws: Pain002ReaderError.missingElement("TxInfAndSts/TxSts")) { try Pain002Reader().read(statusless) }
        #expect(throws: Pain002ReaderError.self) { try Pain002Reader().read("") }
        #expect(throws: Pain002ReaderError.self) { try Pain002Reader().read("<Document><a>text<b/></a></Document>") }
    }

    // Broke the fuzz property "no DOCTYPE is accepted" (Tests/Fuzz/Corpus/pain002/utf16-doctype): in UTF-16
    // the bytes of "<!DOCTYPE" are NUL-padded, so the byte check missed the DOCTYPE that libxml2 then read.
    @Test func utf16DoctypeIsRefused() {
        let document = #"<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE d [<!ENTITY x "y">]><Document/>"#
        let littleEndian: [UInt8] = document.utf16.flatMap { unit -> [UInt8] in [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        let withByteOrderMark: [UInt8] = [0xFF, 0xFE] + littleEndian
        for bytes in [littleEndian, withByteOrderMark] {
            #expect(throws: Pain002ReaderError.notXML(.notUTF8)) { try Pain002Reader().read(bytes) }
        }
    }

    // Tests/Fuzz/Corpus/pain002/utf7-doctype: libxml2 parsed this one through, DOCTYPE and all.
    @Test func utf7DoctypeIsRefused() {
        let document = "<?xml version=\"1.0\" encoding=\"UTF-7\"?>\n+ADw-!DOCTYPE D +AFs-+ADw-!ENTITY a +ACI-xyz+ACI-+AD4-+AF0-+AD4-\n<D><M>&a;</M></D>"
        #expect(throws: Pain002ReaderError.notXML(.notUTF8)) { try Pain002Reader().read(document) }
    }

    @Test func utf8WithByteOrderMarkOrDeclaredEncodingStillReads() throws {
        let declared = Self.report().replacingOccurrences(of: #"encoding="UTF-8""#, with: #"encoding='utf-8'"#)
        #expect(try Pain002Reader().read([0xEF, 0xBB, 0xBF] + Array(declared.utf8)).messageId == "RPT-1")
        #expect(throws: Pain002ReaderError.notXML(.notUTF8)) { try Pain002Reader().read([0x3C, 0x61, 0xFF, 0x3E]) }
    }

    // libFuzzer crash (Tests/Fuzz/Corpus/pain002/pi-without-data): FoundationXML's processing-instruction
    // callback reads the missing data as a C string (SEGV).
    @Test func processingInstructionWithoutDataIsRefused() {
        #expect(throws: Pain002ReaderError.notXML(.processingInstructionNotAllowed)) { try Pain002Reader().read("<?xm?><Document/>") }
        #expect(throws: Pain002ReaderError.notXML(.processingInstructionNotAllowed)) { try Pain002Reader().read("<Document><?pi?></Document>") }
    }
}
