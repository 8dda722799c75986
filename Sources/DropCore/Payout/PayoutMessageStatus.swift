/// Where one pain.001 message to the payout partner is. The transfers in it keep their own
/// `TransferStatus`; this is the message's round trip.
public enum PayoutMessageStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Written, waiting for a worker to send it.
    case created
    /// A worker has claimed it and is sending it; another may take it over when the claim runs out.
    case sending
    /// The partner accepted the message; some transfers in it still wait for their outcome.
    case submitted
    /// Every transfer in it has its outcome from the partner.
    case completed
    /// The partner refused the whole message (a group-level RJCT).
    case rejected
    /// Taken back before the partner had it: a payer in it lost their standing (sanctioned,
    /// rejected, erased) after it was written. Its transfers were freed; the others go in a new message.
    case withdrawn
}
