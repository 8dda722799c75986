/// What a signed-in person may do: a customer sends and pays, a merchant also takes QR payments,
/// an admin (compliance) also works the AML queue, reports and held transfers.
public enum UserRole: String, Sendable, Hashable, Codable, CaseIterable {
    case user
    case merchant
    case admin
}
