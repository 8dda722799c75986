/// Something that happened to a transfer.
public enum TransferEvent: String, Sendable, Hashable, Codable, CaseIterable {
    /// The user approved the payment in their bank (or the bank reports it accepted).
    case scaApproved
    case scaDenied
    /// The user never finished SCA within the quote's lifetime.
    case scaTimedOut
    case cancelledByUser
    /// The bank cancelled the payment (ISO `CANC`).
    case cancelledByBank
    case amlHeld
    case amlReleased
    case amlRejected
    case payoutSettled
    case payoutFailed
    /// The bank refused the payment (ISO `RJCT`).
    case bankRejected
    case refundedByPartner
    /// Drop could not get the user's bank to take the payment (down, or it refused the request):
    /// nothing was authorised, so nothing moved.
    case initiationFailed
}
