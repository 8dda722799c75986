import DropCore
import DropProviders
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// A partner may answer a full message (9,999 payouts) with a status report that repeats each
/// payout's original details (`OrgnlTxRef`): many megabytes, which Drop must still read, or that
/// message's outcome could never be learnt.
@Suite("Payout partner: the status report of a full message")
struct PayoutReportSizeTests {
    static let messageId = "MSG-FULL-0001"

    /// A pain.002.001.10 about `count` transactions, each with its original details, indented as
    /// a bank's tools write it.
    static func fullReport(transactions count: Int) -> String {
        var xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10">
              <CstmrPmtStsRpt>
                <GrpHdr><MsgId>PSR-FULL-0001</MsgId><CreDtTm>2026-10-14T12:00:00Z</CreDtTm></GrpHdr>
                <OrgnlGrpInfAndSts>
                  <OrgnlMsgId>\(messageId)</OrgnlMsgId><OrgnlMsgNmId>pain.001.001.09</OrgnlMsgNmId>
                  <OrgnlNbOfTxs>\(count)</OrgnlNbOfTxs><GrpSts>ACSC</GrpSts>
                </OrgnlGrpInfAndSts>
                <OrgnlPmtInfAndSts>
                  <OrgnlPmtInfId>PMT-EUR-SEPA</OrgnlPmtInfId><PmtInfSts>ACSC</PmtInfSts>

            """
        xml.reserveCapacity(count * 1_400)
        let name = String(repeating: "Wanjiru Kamau Trading ", count: 3).prefix(70)
        let text = String(repeating: "Invoice 2026-10 family support ", count: 5).prefix(140)
        for index in 0..<count {
            xml += """
                      <TxInfAndSts>
                        <OrgnlEndToEndId>E2E-\(index)</OrgnlEndToEndId>
                        <TxSts>ACSC</TxSts>
                        <AccptncDtTm>2026-10-14T12:00:00Z</AccptncDtTm>
                        <OrgnlTxRef>
                          <Amt><InstdAmt Ccy="EUR">1234.56</InstdAmt></Amt>
                          <ReqdExctnDt><Dt>2026-10-15</Dt></ReqdExctnDt>
                          <Dbtr><Pty><Nm>Drop Payments AS</Nm><PstlAdr><Ctry>NO</Ctry></PstlAdr></Pty></Dbtr>
                          <DbtrAcct><Id><IBAN>NO9386011117947</IBAN></Id></DbtrAcct>
                          <DbtrAgt><FinInstnId><BICFI>DNBANOKK</BICFI></FinInstnId></DbtrAgt>
                          <CdtrAgt><FinInstnId><BICFI>COBADEFFXXX</BICFI></FinInstnId></CdtrAgt>
                          <Cdtr><Pty><Nm>\(name)</Nm><PstlAdr><StrtNm>Moi Avenue</StrtNm><BldgNb>1</BldgNb><TwnNm>Nairobi</TwnNm><Ctry>DE</Ctry></PstlAdr></Pty></Cdtr>
                          <CdtrAcct><Id><IBAN>DE89370400440532013000</IBAN></Id></CdtrAcct>
                          <RmtInf><Ustrd>\(text)</Ustrd></RmtInf>
                        </OrgnlTxRef>
                      </TxInfAndSts>

                """
        }
        xml += """
                </OrgnlPmtInfAndSts>
              </CstmrPmtStsRpt>
            </Document>
            """
        return xml
    }

    @Test func theReportOfAFullMessageIsRead() async throws {
        let report = Self.fullReport(transactions: PayoutBatch.maximumTransactions)
        // Past the 4 MiB every other provider's answer is held to.
        #expect(report.utf8.count > 4 * 1024 * 1024)
        let body = ByteBuffer(string: report)
        let router = Router()
        router.get("v1/pain001/:messageId/pain002") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "application/xml"], body: .init(byteBuffer: body))
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { http in
            let port = try #require(http.port)
            let client = PayoutClient(
                configuration: PayoutConfiguration(baseURL: "http://127.0.0.1:\(port)", clientId: "drop", clientSecret: "secret",
                                                   timeout: .seconds(60)),
                httpClient: .shared, retryPolicy: RetryPolicy(maxRetries: 0, sleep: { _ in }))
            let read = try await client.report(messageId: Self.messageId)
            #expect(read.transactions.count == PayoutBatch.maximumTransactions)
            #expect(read.transactions.allSatisfy { $0.status == .acceptedSettlementCompleted })
        }
    }
}
