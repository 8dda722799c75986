/// What the person's bank shows for a standing transfer's payments. Every payment goes to the
/// payout partner's collection account, so the text says whose standing transfer it is.
public enum StandingOrderText {
    /// At most 140 characters (NextGenPSD2 `remittanceInformationUnstructured`).
    public static func bankMessage(orderId: String) -> String {
        "Drop standing transfer " + String(orderId.replacingOccurrences(of: "-", with: "").prefix(12)).uppercased()
    }
}
