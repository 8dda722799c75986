/// Why Drop stopped a payment or a standing transfer, as the customer is told it. A reason an AML
/// decision stored reads `not_available`, as a blocked payment's answer does ("Payments are not
/// available for this account"): naming compliance would tell the customer they are suspected
/// (hvitvaskingsloven § 31, no tipping-off). Admins read the reason as stored.
public enum CustomerFacingReason {
    public static let notAvailable = "not_available"

    /// What AML decisions store: a held transfer rejected, a standing transfer's payment blocked,
    /// and the order that block stopped.
    static let amlReasons: Set<String> = ["compliance_rejected", "standing_order:compliance", "compliance"]

    public static func of(_ reason: String?) -> String? {
        guard let reason else { return nil }
        return amlReasons.contains(reason) ? notAvailable : reason
    }
}
