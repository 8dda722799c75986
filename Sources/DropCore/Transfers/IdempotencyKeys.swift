import Foundation

/// How long an `Idempotency-Key` holds: the server replays a request's answer to a retry under its
/// key for this long.
public enum IdempotencyKeys {
    public static let retention: TimeInterval = 24 * 3600

    /// How long the phone keeps the key of a money write whose answer it never got, so that sending
    /// the same terms again is a retry of it: while the first request may still be on its way (the
    /// client's three attempts of up to 60 s each, a few seconds apart; the server's 20 s lease hands
    /// a dead attempt on to the next) and then its approval at the bank is open (`BankApproval.window`,
    /// 15 minutes). After that the first payment, if it was made, can no longer be approved: a
    /// replay would show the person an expired payment, so the same terms are a new payment.
    public static let pendingPaymentWindow: TimeInterval = BankApproval.window + 5 * 60
}
