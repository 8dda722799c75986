/// How the sender knows the recipient; partners and the FIU ask for it on cross-border payments.
public enum Relationship: String, Sendable, Hashable, Codable, CaseIterable {
    case family, friend, `self`, business, other
}
