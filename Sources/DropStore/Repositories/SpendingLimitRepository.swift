import Foundation
import SQLKit

/// A customer's own spending limits (`spending_limits`) and what they have sent so far.
public enum SpendingLimitRepository {
    /// The limits the user has set, by period ("daily", "monthly"), in NOK minor units. A period
    /// with no row has never been changed and stands at the product maximum.
    public static func limits(userId: String, on db: any SQLDatabase) async throws -> [String: Int64] {
        let rows = try await db.raw("""
            SELECT period, amount_minor FROM spending_limits WHERE user_id = \(bind: userId) AND currency = 'NOK'
            """).all()
        var limits: [String: Int64] = [:]
        for row in rows {
            limits[try row.decode(column: "period", as: String.self)] = try row.decode(column: "amount_minor", as: Int64.self)
        }
        return limits
    }

    public static func put(userId: String, period: String, amountMinor: Int64, at: Date, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO spending_limits (user_id, period, amount_minor, currency, updated_at)
            VALUES (\(bind: userId), \(bind: period), \(bind: amountMinor), 'NOK', \(bind: at))
            ON CONFLICT (user_id, period) DO UPDATE SET amount_minor = excluded.amount_minor, currency = excluded.currency,
                updated_at = excluded.updated_at
            """).run()
    }

    /// What a limit check reads, in one round trip: the limits the user has set (nil: never
    /// changed, at the product maximum) and the NOK sent (before fees) since `dayStart` and since
    /// `monthStart`. What counts is money that left the customer's account or still may: every
    /// transaction that has not failed, been cancelled or expired (pending ones count, or a burst of
    /// transfers could all pass the check before any completes), and one that did if its bank settled
    /// it all the same (`funds_received_at`: a payment settled after Drop had ended it moved the money,
    /// and racing a cancel against the bank must not make room under the limit). They are the person's:
    /// what they sent from an account they erased counts too.
    ///
    /// A transaction counts in the period it was created, in the one its money left (`funds_received_at`),
    /// and, while its money may still leave, in the current one: it waits for approval 15 minutes, but
    /// stays `pending_sca` until its bank confirms it won't make it (`TransactionService.expireOverdue`),
    /// one released from a hold is approved days after it was made, and an approved one leaves when the
    /// bank executes it (`processing`, the next business day for a non-instant payment). A transfer made
    /// at 23:59 and approved after midnight takes from the new day too: a limit is a ceiling.
    public static func standing(userId: String, dayStart: Date, monthStart: Date, on db: any SQLDatabase) async throws -> SpendingStanding {
        // CAST: PostgreSQL sums BIGINT as NUMERIC. The aggregate always gives one row. Three ranges of two indexes
        // (by created_at, by funds_received_at: migration 34), not one OR, which would read the person's every transaction.
        let person = UserRepository.samePerson(as: userId)
        let row = try await db.raw("""
            SELECT (SELECT amount_minor FROM spending_limits WHERE user_id = \(bind: userId) AND currency = 'NOK' AND period = 'daily') AS daily,
                   (SELECT amount_minor FROM spending_limits WHERE user_id = \(bind: userId) AND currency = 'NOK' AND period = 'monthly') AS monthly,
                   CAST(COALESCE(SUM(CASE WHEN created_at >= \(bind: dayStart) OR funds_received_at >= \(bind: dayStart) OR \(unsafeRaw: mayStillLeave)
                                     THEN amount_minor ELSE 0 END), 0) AS BIGINT) AS today,
                   CAST(COALESCE(SUM(amount_minor), 0) AS BIGINT) AS month
            FROM (SELECT amount_minor, status, created_at, funds_received_at FROM transactions
                  WHERE user_id IN \(person) AND currency = 'NOK' AND created_at >= \(bind: monthStart)
                    AND (status NOT IN ('failed', 'cancelled', 'expired') OR funds_received_at IS NOT NULL)
                  UNION ALL
                  SELECT amount_minor, status, created_at, funds_received_at FROM transactions
                  WHERE user_id IN \(person) AND currency = 'NOK' AND created_at < \(bind: monthStart) AND funds_received_at >= \(bind: monthStart)
                  UNION ALL
                  SELECT amount_minor, status, created_at, funds_received_at FROM transactions
                  WHERE user_id IN \(person) AND currency = 'NOK' AND created_at < \(bind: monthStart) AND \(unsafeRaw: mayStillLeave)) AS counted
            """).first()
        guard let row else { return SpendingStanding(dailyLimit: nil, monthlyLimit: nil, today: 0, month: 0) }
        return SpendingStanding(dailyLimit: try row.decode(column: "daily", as: Int64?.self), monthlyLimit: try row.decode(column: "monthly", as: Int64?.self),
                                today: try row.decode(column: "today", as: Int64.self), month: try row.decode(column: "month", as: Int64.self))
    }

    /// A payment whose money has not left yet but still may: waiting for approval, or approved and
    /// not yet settled by the bank.
    static let mayStillLeave = "(funds_received_at IS NULL AND status IN ('pending_sca', 'processing'))"

    /// On PostgreSQL, locks the user's row until the caller's transaction ends, so two transfers
    /// at once are checked one after the other (SQLite's single writer already does that). A
    /// statement of its own, not folded into `standing`: a statement reads from the snapshot it
    /// took before waiting for the lock, so its sums would miss the transfer it waited for.
    public static func lockUser(userId: String, on db: any SQLDatabase) async throws {
        guard db.dialect.name == "postgresql" else { return }
        _ = try await db.raw("SELECT id FROM users WHERE id = \(bind: userId) FOR UPDATE").first()
    }
}

/// A customer's limits and what counts against them, in NOK minor units (`SpendingLimitRepository.standing`).
public struct SpendingStanding: Sendable, Equatable {
    /// Nil when the customer never changed it: the product maximum applies.
    public let dailyLimit: Int64?
    public let monthlyLimit: Int64?
    public let today: Int64
    public let month: Int64
}
