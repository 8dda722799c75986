import DropCore
import DropStore
import Foundation

/// A customer's own daily and monthly caps (DropCore `SpendingLimits`), what counts against them,
/// and the check the transfer step runs before a payment is created.
public struct SpendingLimitService: Sendable {
    let database: Database
    let stepUp: CustomerStepUp
    let clock: @Sendable () -> Date

    public func overview(userId: String) async throws -> SpendingLimitsView {
        let now = clock()
        return try await database.withConnection { db in
            let standing = try await Self.standing(userId: userId, now: now, on: db)
            return SpendingLimitsView(limits: standing.limits, usedToday: standing.today, usedThisMonth: standing.month)
        }
    }

    /// Sets either or both limits: NOK only, 0 … product maximum, daily never above monthly.
    /// Raising one needs a recent BankID sign-in (`CustomerStepUp`), as a bank asks before it raises its
    /// own payment limit: the limit guards the person against whoever holds their session, or talks
    /// them into a payment, and must not be lifted by the same minute's access. Lowering never does.
    public func update(_ identity: Identity, _ input: SpendingLimitsInput, requestID: String) async throws -> SpendingLimitsView {
        let userId = identity.userId
        guard input.daily != nil || input.monthly != nil else {
            throw AppError.validation("Give daily, monthly or both.", details: [ErrorDetail(field: "daily", issue: "required")])
        }
        var details: [ErrorDetail] = []
        for (field, value, maximum) in [("daily", input.daily, SpendingLimits.maximumDaily), ("monthly", input.monthly, SpendingLimits.maximumMonthly)] {
            guard let value else { continue }
            if value.currency != .nok {
                details.append(ErrorDetail(field: "\(field).currency", issue: "currency", message: "Limits are in NOK."))
            } else if value.isNegative {
                details.append(ErrorDetail(field: "\(field).amountMinor", issue: "negative", message: "A limit cannot be negative."))
            } else if value.minorUnits > maximum.minorUnits {
                details.append(ErrorDetail(field: "\(field).amountMinor", issue: "above_maximum",
                                           message: "The highest \(field) limit is \(maximum.formatted(for: .en))."))
            }
        }
        guard details.isEmpty else { throw AppError.validation("Some fields need attention.", details: details) }

        let now = clock()
        let fresh = stepUp.isFresh(identity, now: now)
        do {
            try await write(userId: userId, input, raisingNeedsStepUp: !fresh, requestID: requestID, now: now)
        } catch is CustomerStepUp.Needed {
            try await stepUp.refuse(identity, for: .raisedLimit, requestID: requestID, now: now)
        }
        return try await overview(userId: userId)
    }

    private func write(userId: String, _ input: SpendingLimitsInput, raisingNeedsStepUp: Bool, requestID: String, now: Date) async throws {
        try await database.transaction { db in
            let current = try await Self.limits(userId: userId, on: db)
            let limits: SpendingLimits
            do { limits = try current.lowered(daily: input.daily, monthly: input.monthly) } catch {
                throw AppError.validation("Those limits are not allowed.") // checked above; DropCore has the last word
            }
            guard limits.daily.minorUnits <= limits.monthly.minorUnits else {
                // Named after the field the client sent, so the form marks the one the user touched.
                let field = input.daily != nil ? "daily" : "monthly"
                throw AppError.validation("The daily limit cannot be higher than the monthly limit.", details: [ErrorDetail(
                    field: "\(field).amountMinor", issue: field == "daily" ? "above_monthly" : "below_daily",
                    message: "Daily \(limits.daily.formatted(for: .en)) is above monthly \(limits.monthly.formatted(for: .en)).")])
            }
            // Read under the same transaction as the write, so a raise is judged against what is stored.
            if raisingNeedsStepUp, limits.daily.minorUnits > current.daily.minorUnits || limits.monthly.minorUnits > current.monthly.minorUnits {
                throw CustomerStepUp.Needed()
            }
            for (period, value) in [("daily", input.daily), ("monthly", input.monthly)] {
                guard let value else { continue }
                try await SpendingLimitRepository.put(userId: userId, period: period, amountMinor: value.minorUnits, at: now, on: db)
            }
            try await AuditLog.append(AuditEntry(actor: .user(id: userId), action: "spending_limits.updated",
                                                 entityType: "user", entityId: userId,
                                                 data: ["daily": limits.daily.minorUnits, "monthly": limits.monthly.minorUnits],
                                                 requestId: requestID), at: now, on: db)
        }
    }

    /// Refuses `amount` (NOK) when it would take the user over a limit today or this month.
    ///
    /// Run it on the transfer's own transaction, right before inserting the transfer: on
    /// PostgreSQL it locks the user's row, so two transfers at once are checked one after the
    /// other (SQLite's single writer already does that). A quote checks early without the lock
    /// (`lock: false`), so a person hears about a limit before reviewing, not at confirm.
    /// - Throws: `LIMIT_EXCEEDED` (422) naming the limit and what is left under it, on `field`.
    public func check(userId: String, amount: Money, on db: DatabaseConnection, now: Date, lock: Bool = true,
                      field: String = "amountMinor") async throws {
        if lock { try await SpendingLimitRepository.lockUser(userId: userId, on: db) }
        let standing = try await Self.standing(userId: userId, now: now, on: db)
        let decision: LimitDecision
        do { decision = try standing.limits.check(amount: amount, spentToday: standing.today, spentThisMonth: standing.month) } catch {
            throw AppError.validation("Transfers are limited in NOK.", details: [ErrorDetail(field: "amountMinor", issue: "currency")])
        }
        guard case .exceeds(let kind, let remaining) = decision else { return }
        let period = kind == .daily ? "today" : "this month"
        throw AppError.limitExceeded(
            "This transfer would take you over your \(kind.rawValue) limit. You can send \(remaining.formatted(for: .en)) more \(period).",
            details: [ErrorDetail(field: field, issue: "\(kind.rawValue)_limit")])
    }

    static func limits(userId: String, on db: DatabaseConnection) async throws -> SpendingLimits {
        let stored = try await SpendingLimitRepository.limits(userId: userId, on: db)
        return effective(daily: stored["daily"], monthly: stored["monthly"])
    }

    /// The limits that apply, from those stored (nil: never changed).
    static func effective(daily: Int64?, monthly: Int64?) -> SpendingLimits {
        // Stored rows were valid when written; if the maximums ever drop, the lower value wins.
        (try? SpendingLimits.productMaximum.lowered(daily: daily.map { Money(minorUnits: $0, currency: .nok) },
                                                    monthly: monthly.map { Money(minorUnits: $0, currency: .nok) })) ?? .productMaximum
    }

    /// The limits that apply and the NOK sent in the current Oslo day and calendar month, read at once.
    static func standing(userId: String, now: Date, on db: DatabaseConnection) async throws -> (limits: SpendingLimits, today: Money, month: Money) {
        let starts = OsloCalendar.periodStarts(now)
        let standing = try await SpendingLimitRepository.standing(userId: userId, dayStart: starts.day, monthStart: starts.month, on: db)
        return (effective(daily: standing.dailyLimit, monthly: standing.monthlyLimit),
                Money(minorUnits: standing.today, currency: .nok), Money(minorUnits: standing.month, currency: .nok))
    }
}
