import DropCore
import DropStore
import Foundation

/// How many address-confirmation emails Drop sends in a day. The email goes to whatever address a
/// signed-in customer types, so without a bound one account (or many) could use Drop's name to
/// flood an inbox that isn't theirs, and spend the sending reputation the customers' own email
/// depends on. Counted in the shared store (`rate_limits`), so it holds across instances: per
/// customer, and per address whoever names it (by its hash: the table holds no address).
enum ConfirmationMailBudget {
    static let perCustomer = 5
    static let perAddress = 3
    static let window = RateLimitCounter.longestWindow

    /// Counts one email in the caller's transaction; 429 `RATE_LIMITED` with `Retry-After` once a
    /// day's budget is spent (the transaction, and the change that wanted the email, roll back).
    static func spend(userId: String, address: String, at now: Date, on db: DatabaseConnection) async throws {
        let seconds = Int64(now.timeIntervalSince1970)
        let windowStart = seconds - seconds % window
        let byCustomer = try await RateLimitCounter.hit(key: "email-confirmation-user:\(userId)", windowStart: windowStart, on: db)
        let byAddress = try await RateLimitCounter.hit(key: "email-confirmation-address:\(Hex.sha256(of: address.lowercased()).prefix(24))",
                                                       windowStart: windowStart, on: db)
        guard byCustomer > perCustomer || byAddress > perAddress else { return }
        let retryAfter = windowStart + window - seconds
        throw AppError(.tooManyRequests, code: "RATE_LIMITED",
                       message: "Too many confirmation emails today. Try again in about \(max(1, (retryAfter + 1799) / 3600)) hours.",
                       headers: [.retryAfter: String(retryAfter)])
    }
}
