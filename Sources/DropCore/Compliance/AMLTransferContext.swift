import Foundation

/// The transfer being created, as the AML rules see it.
///
/// `amount` is what the customer sends in NOK (fee excluded; the fee is Drop's, not the recipient's).
public struct AMLTransferContext: Sendable, Hashable {
    public let amount: Money
    public let destination: CountryCode
    /// The payee's id: `recipients.id`, or for a QR payment `merchants.id`. No current rule reads it (first-transfer status comes from
    /// `isFirstTransferToRecipient`); it is here for recipient-based rules and is never put in a reason.
    public let recipientId: String
    /// True when the customer has never sent to this recipient before (no earlier transfer of any status
    /// that reached the payment stage; the caller decides from its store).
    public let isFirstTransferToRecipient: Bool
    /// When the customer added the recipient (for a QR payment: when the merchant registered).
    public let recipientCreatedAt: Date
    /// When the transfer is being created (the service's clock).
    public let time: Date
    /// The transfer's own id when it is already stored; history entries with the same id are skipped
    /// so a transfer never counts against itself.
    public let transferId: String?
    public let channel: AMLChannel

    public init(
        amount: Money, destination: CountryCode, recipientId: String, isFirstTransferToRecipient: Bool,
        recipientCreatedAt: Date, time: Date, transferId: String? = nil, channel: AMLChannel = .remittance
    ) throws(AMLInputError) {
        guard amount.currency == .nok else { throw .notNOK(field: "amount") }
        guard !amount.isNegative else { throw .negativeAmount(field: "amount") }
        self.amount = amount
        self.destination = destination
        self.recipientId = recipientId
        self.isFirstTransferToRecipient = isFirstTransferToRecipient
        self.recipientCreatedAt = recipientCreatedAt
        self.time = time
        self.transferId = transferId
        self.channel = channel
    }

    /// How long ago the recipient was added, as of `time` (negative if the clocks disagree).
    public var recipientAge: TimeInterval { time.timeIntervalSince(recipientCreatedAt) }
}
