/// Who made a change the audit log records. Stored as `actor_type` and `actor_id`, which the
/// compliance screens filter on.
public enum AuditActor: Sendable, Equatable {
    /// A customer acting on their own account.
    case user(id: String)
    /// A compliance officer or administrator.
    case admin(id: String)
    /// Drop on its own: a job, the seed, a timeout.
    case system
    /// One of Drop's automatic rules deciding (`aml`: the screening that holds a transfer).
    case rule(String)
    /// An outside party whose answer made the change (`sumsub`, `payout-partner`, `bank-dnb`).
    case provider(String)

    /// Every `actor_type` there is (what the compliance screens' actor filter takes besides an id).
    public static let kinds: Set<String> = ["user", "admin", "system", "provider"]

    /// `actor_type`.
    public var type: String {
        switch self {
        case .user: "user"
        case .admin: "admin"
        case .system, .rule: "system"
        case .provider: "provider"
        }
    }

    /// `actor_id`: the user, the rule or the party; nil for Drop on its own.
    public var id: String? {
        switch self {
        case .user(let id), .admin(let id): id
        case .system: nil
        case .rule(let name), .provider(let name): name
        }
    }
}
