/// What a transaction is: a remittance abroad, paid out by the partner, or a QR payment to a
/// Norwegian merchant, paid by the customer's bank straight to the merchant's account.
public enum TransactionKind: String, Sendable, Hashable, Codable, CaseIterable {
    case remittance
    case qrPayment = "qr_payment"
}
