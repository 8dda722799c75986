import Foundation

/// How recent a person's BankID authentication must be for an admin to change anything
/// (`ADMIN_STEP_UP_MAX_AGE`), or for a customer to change where their money goes or where Drop
/// reaches them: a recipient's bank details, their email or phone (`CUSTOMER_STEP_UP_MAX_AGE`).
/// A session that is older keeps reading, but those writes need a fresh sign-in at BankID first
/// (step-up), so a stolen session or a borrowed unlocked phone can't make them.
public struct StepUpPolicy: Sendable, Equatable {
    /// Most seconds between the person's BankID authentication and the action.
    public let maxAge: Int
    /// Clocks of Drop and BankID differ a little; an `auth_time` this far in the future still counts.
    public static let clockSkew: TimeInterval = 60
    public static let defaultMaxAge = 5 * 60
    /// Bounds the setting accepts: shorter can't be met by a person at BankID, longer isn't a step-up.
    public static let allowedMaxAge = 30...3600

    public init(maxAge: Int = StepUpPolicy.defaultMaxAge) {
        self.maxAge = maxAge
    }

    /// Whether an authentication at `authenticatedAt` is recent enough at `now`. Unknown is not.
    public func isFresh(authenticatedAt: Date?, now: Date) -> Bool {
        guard let authenticatedAt else { return false }
        let age = now.timeIntervalSince(authenticatedAt)
        return age >= -Self.clockSkew && age <= TimeInterval(maxAge)
    }

    /// The authentication time to keep for a new session: the provider's `auth_time`, never later
    /// than now (a clock running ahead must not buy extra minutes), or now when the provider said nothing.
    public static func sessionAuthenticationTime(authTime: Date?, now: Date) -> Date {
        guard let authTime else { return now }
        return min(authTime, now)
    }
}
