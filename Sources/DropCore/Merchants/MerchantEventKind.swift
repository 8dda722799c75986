/// What an event of a merchant's live list says (`merchant_events.kind`), and the name its
/// server-sent event carries: a client that knows only `payment` passes the others by.
public enum MerchantEventKind: String, Sendable, Codable, CaseIterable {
    /// A payment to the merchant moved to a new status.
    case payment
    /// The payer's bank reports a payment refused or cancelled after it had settled, the payment
    /// completed: the shop should not rely on it until operations have settled it with the bank.
    case reversalReported = "reversal_reported"
    /// The payer's bank paid a payment after Drop had ended it (cancelled, expired or failed): the
    /// status stays, but the shop has the money and must not ask the payer to pay again.
    case settledAfterEnd = "settled_after_end"
}
