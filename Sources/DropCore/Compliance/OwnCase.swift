/// An officer never decides a compliance case they are a party to: their own held transfer or a
/// payment to their business, an AML alert or a suspicious transaction report about them, their own
/// complaint, an operations alert about their transfer, standing transfer or business, closing their
/// business. Another officer must. Admins are customers too (`drop admin grant` makes a customer
/// one): without this an officer could release their own transfer past the AML rules, or dismiss
/// what the rules saw in it.
public enum OwnCase {
    /// Whether `officer` (a user id) is among `parties`, the customers the case is about.
    public static func isOwn(officer: String, parties: [String]) -> Bool {
        parties.contains(officer)
    }
}
