import Foundation

/// The payer's time to approve a payment at their bank once Drop asked the bank for it
/// (`transactions.sca_expires_at`); after it the payment expires unpaid.
public enum BankApproval {
    public static let window: TimeInterval = 15 * 60
}
