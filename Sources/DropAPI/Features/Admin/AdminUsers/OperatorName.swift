import Foundation

/// Who ran an operator's command that the audit log records (`drop admin grant|revoke`, `drop payout-export`), as they
/// name themselves with `--operator` or `DROP_OPERATOR`. Never taken from `$USER`: a container sets none (every row then
/// said "operator"), and it names the machine's account, not the person.
public enum OperatorName {
    /// Why a command refused to run without one.
    public static let missing = "Say who you are with --operator <your name> (or DROP_OPERATOR): the audit log records it. "
        + "\"operator\" names nobody."

    /// The name trimmed, or nil when it names nobody: empty, or the placeholder `operator`.
    public static func checked(_ raw: String?) -> String? {
        guard let name = raw?.trimmingCharacters(in: .whitespacesAndNewlines), !name.isEmpty,
              name.lowercased() != "operator" else { return nil }
        return name
    }

    /// `--operator` when given, else `DROP_OPERATOR`, checked.
    public static func from(option: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        checked(option ?? environment["DROP_OPERATOR"])
    }
}
