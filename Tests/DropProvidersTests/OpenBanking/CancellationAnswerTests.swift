@testable import DropProviders
import Foundation
import Testing

/// A bank's answer to `DELETE /v1/payments/…` (or `/v1/periodic-payments/…`) is a cancellation only when
/// it says so: 204, or a status of `CANC`. A 202 asks for the cancellation to be approved first, and the
/// payment stays live until then.
@Suite("NextGenPSD2: what a cancellation's answer means")
struct CancellationAnswerTests {
    static func answer(_ json: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    }

    @Test func noContentOrACancelledStatusIsACancellation() throws {
        try NextGenPSD2Client.confirmCancelled([:])
        try NextGenPSD2Client.confirmCancelled(try Self.answer(#"{"transactionStatus":"CANC"}"#))
    }

    @Test func anAnswerAskingToApproveTheCancellationIsNotOne() throws {
        let needsApproval = try Self.answer("""
            {"transactionStatus":"ACTC","_links":{"startAuthorisation":{"href":"/v1/payments/sepa-credit-transfers/p1/cancellation-authorisations"}}}
            """)
        for answer in [needsApproval, try Self.answer(#"{"transactionStatus":"ACSP"}"#), try Self.answer(#"{"_links":{}}"#)] {
            #expect(throws: OpenBankingError.self) { try NextGenPSD2Client.confirmCancelled(answer) }
            do {
                try NextGenPSD2Client.confirmCancelled(answer)
            } catch let error as OpenBankingError {
                #expect(error == NextGenPSD2Client.cancellationNotDone)
            }
        }
    }
}
