import Foundation

/// One of the customer's earlier transfers, as the AML rules see it.
public struct AMLPastTransfer: Sendable, Hashable {
    public let transferId: String?
    /// NOK sent (fee excluded), like `AMLTransferContext.amount`.
    public let amount: Money
    public let destination: CountryCode
    public let recipientId: String
    /// Who was paid: the account a remittance paid (as its payee snapshot names it), or the merchant.
    /// A recipient's details can change; what counts for "paid before" is the account that was paid.
    public let payeeAccount: String
    /// When it was created.
    public let time: Date
    public let status: TransferStatus
    public let channel: AMLChannel
    /// The bank reported the money settled: it left the customer's account, whatever `status` says (a
    /// payment the bank settled after Drop had cancelled, expired or failed it still moved the money).
    public let fundsReceived: Bool
    /// When the bank reported its money settled, if known: a transfer counts in a rule's window when it
    /// was made or its money left within it (`AMLActivity.within`). One held for review and released a day
    /// later, or settled by the bank after Drop had ended it, moves its money then, and would otherwise fall
    /// outside a 24-hour window it was paid in.
    public let moneyLeftAt: Date?

    public init(
        transferId: String? = nil, amount: Money, destination: CountryCode, recipientId: String, payeeAccount: String? = nil, time: Date,
        status: TransferStatus, channel: AMLChannel = .remittance, fundsReceived: Bool = false, moneyLeftAt: Date? = nil
    ) throws(AMLInputError) {
        guard amount.currency == .nok else { throw .notNOK(field: "history.amount") }
        guard !amount.isNegative else { throw .negativeAmount(field: "history.amount") }
        self.transferId = transferId
        self.amount = amount
        self.destination = destination
        self.recipientId = recipientId
        self.payeeAccount = payeeAccount ?? recipientId
        self.time = time
        self.status = status
        self.channel = channel
        self.fundsReceived = fundsReceived || moneyLeftAt != nil
        self.moneyLeftAt = moneyLeftAt
    }

    /// Whether its money reached the payee, whatever `status` says. A QR payment the bank settled went
    /// straight to the shop, even one Drop had ended before the settlement came. A remittance settled
    /// after its end is returned by the partner and never paid out, so only its status tells
    /// (`AMLConfiguration.paidStatuses`).
    var paidByItsSettlement: Bool { fundsReceived && channel == .qrPayment }
}
