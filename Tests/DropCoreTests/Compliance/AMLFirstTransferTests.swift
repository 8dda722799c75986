import DropCore
import Foundation
import Testing

/// "A first transfer to a recipient" means no earlier transfer paid that account: a transfer that paid
/// no one doesn't count, and a recipient id naming another account doesn't either.
@Suite("AML: a payee already paid")
struct AMLFirstTransferTests {
    static let now = Date(timeIntervalSince1970: 1_790_000_000)

    static func past(_ id: String, recipient: String, account: String, _ status: TransferStatus) throws -> AMLPastTransfer {
        try AMLPastTransfer(transferId: id, amount: Money(minorUnits: 10_000, currency: .nok), destination: CountryCode(rawValue: "PL")!,
                            recipientId: recipient, payeeAccount: account, time: now, status: status)
    }

    @Test func onlyATransferWhoseMoneyLeftMakesAnAccountPaid() throws {
        let paid = AMLConfiguration().paidStatuses
        for status in [TransferStatus.cancelled, .expired, .failed, .pendingSCA, .held] {
            let history = AMLCustomerHistory(transfers: [try Self.past("t1", recipient: "r1", account: "PL61", status)])
            #expect(history.isFirstTransfer(to: "PL61", excluding: "t2", counting: paid), "\(status)")
        }
        for status in [TransferStatus.processing, .completed] {
            let history = AMLCustomerHistory(transfers: [try Self.past("t1", recipient: "r1", account: "PL61", status)])
            #expect(!history.isFirstTransfer(to: "PL61", excluding: "t2", counting: paid), "\(status)")
            // The transfer being screened is not its own earlier one.
            #expect(history.isFirstTransfer(to: "PL61", excluding: "t1", counting: paid))
        }
    }

    @Test func theRecipientsIdDoesNotMakeAnotherAccountPaid() throws {
        // r1 paid PL61; r1 now names PL27 (edited): PL27 was never paid.
        let history = AMLCustomerHistory(transfers: [try Self.past("t1", recipient: "r1", account: "PL61", .completed)])
        #expect(history.isFirstTransfer(to: "PL27", excluding: nil, counting: AMLConfiguration().paidStatuses))
    }
}
