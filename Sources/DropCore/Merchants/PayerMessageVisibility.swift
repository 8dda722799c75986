/// When a shop sees what a payer typed on its static code: once the payer has approved the payment
/// at their bank (under way or paid), or the bank paid it after Drop had ended it. Anyone with an
/// approved identity can start a payment to any shop and never approve it, so words on such a
/// payment would reach the shop's screen for free: a stranger's link or phone number on its live
/// board, as if Drop had carried it with money.
public enum PayerMessageVisibility {
    public static func shown(status: TransferStatus, settledAfterEnd: Bool) -> Bool {
        settledAfterEnd || status == .processing || status == .completed
    }
}
