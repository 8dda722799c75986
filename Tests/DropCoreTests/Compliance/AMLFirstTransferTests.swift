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

    @Test func aQRPaymentSettledAfterItEndedPaidTheShopARemittanceDidNotPayItsRecipient() throws {
        func ended(_ channel: AMLChannel, _ status: TransferStatus, fundsReceived: Bool) throws -> AMLCustomerHistory {
            AMLCustomerHistory(transfers: [try AMLPastTransfer(
                transferId: "t1", amount: Money(minorUnits: 10_000, currency: .nok), destination: .norway, recipientId: "m1", payeeAccount: "m1",
                time: Self.now, status: status, channel: channel, fundsReceived: fundsReceived)])
        }
        let paid = AMLConfiguration().paidStatuses
        for status in [TransferStatus.cancelled, .expired, .failed] {
            // The shop has the money the bank settled, whatever Drop's status.
            #expect(!(try ended(.qrPayment, status, fundsReceived: true)).isFirstTransfer(to: "m1", excluding: "t2", counting: paid), "\(status)")
            #expect(try ended(.qrPayment, status, fundsReceived: false).isFirstTransfer(to: "m1", excluding: "t2", counting: paid), "\(status)")
            // The partner returns a remittance's late money: its recipient was never paid.
            #expect(try ended(.remittance, status, fundsReceived: true).isFirstTransfer(to: "m1", excluding: "t2", counting: paid), "\(status)")
        }
    }

    @Test func theRecipientsIdDoesNotMakeAnotherAccountPaid() throws {
        // r1 paid PL61; r1 now names PL27 (edited): PL27 was never paid.
        let history = AMLCustomerHistory(transfers: [try Self.past("t1", recipient: "r1", account: "PL61", .completed)])
        #expect(history.isFirstTransfer(to: "PL27", excluding: nil, counting: AMLConfiguration().paidStatuses))
    }

    @Test func anAccountNumberIsThePayeeOnlyAtItsBankInItsCountry() {
        func name(_ country: String, _ account: String?, iban: String? = nil, bic: String? = nil, ifsc: String? = nil, routing: String? = nil) -> String {
            AMLPayeeAccount.name(country: country, iban: iban, accountNumber: account, bic: bic, ifsc: ifsc, routingNumber: routing, recipientId: "r1")
        }
        let priya = name("IN", "123456789012", ifsc: "SBIN0001234")
        #expect(priya == name("IN", "123456789012", ifsc: "sbin0001234"))
        #expect(priya != name("IN", "123456789012", ifsc: "HDFC0000001"))
        #expect(priya != name("IN", "123456789012", bic: "SBININBB", ifsc: "SBIN0001234"))
        #expect(priya != name("US", "123456789012", routing: "021000021"))
        #expect(name("US", "123456789012", routing: "021000021") != name("US", "123456789012", routing: "026009593"))
        #expect(name("KE", "1234567890", bic: "KCBLKENX") == name("KE", "1234567890", bic: "kcblkenxxxx"))
        #expect(name("KE", "1234567890", bic: "KCBLKENX") != name("KE", "1234567890", bic: "EQBLKENA"))
        #expect(name("KE", "1234567890", bic: "KCBLKENX") != name("KE", "1234567890", bic: "KCBLKENX001"))
        #expect(name("KE", "1234567890", bic: "KCBLKENX") != name("TZ", "1234567890", bic: "KCBLKENX"))
        #expect(name("KE", "1234567890", bic: "KCBLKENX") != name("KE", "1234567891", bic: "KCBLKENX"))
        // An IBAN names its bank and country itself; no account known, the recipient.
        #expect(name("PL", nil, iban: "PL61109010140000071219812874", bic: "WBKPPLPP") == "PL61109010140000071219812874")
        #expect(name("PL", nil) == "recipient:r1")
    }
}
