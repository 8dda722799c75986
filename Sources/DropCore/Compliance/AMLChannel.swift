/// How the money leaves: a remittance abroad or a QR payment to a Norwegian merchant. Velocity
/// and structuring count both (money moved is money moved, however it is split); the pattern
/// rules (`UnusualAmountRule`, `UnusualCountryRule`) compare a payment with its own channel only.
public enum AMLChannel: String, Sendable, Hashable, Codable, CaseIterable {
    case remittance
    case qrPayment = "qr_payment"
}
