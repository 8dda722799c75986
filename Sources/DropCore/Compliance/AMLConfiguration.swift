import Foundation

/// Every threshold and weight of the AML rules. A value: the service holds one, tests build their own.
///
/// Amounts are NOK (what the customer sends, fee excluded); windows are seconds; scores are points
/// added up per transfer. The defaults are Drop's starting policy, chosen against the product's own
/// limits (100–50 000 NOK per transfer, 50 000 a day, 200 000 a month) and the Norwegian AML Act:
///
/// - **Decision**: total ≥ `alertScore` (40) alerts, ≥ `holdScore` (70) holds. One moderate finding
///   alerts; two together, or one strong one, hold.
/// - **Large amount** ≥ 25 000 NOK (40 → alert). A single transfer can never reach the Act's
///   100 000 NOK occasional-transaction level (§ 10) because the product caps it at 50 000, so the bar
///   is set at half the cap: the top half of what a customer can send gets a look.
/// - **Structuring**: 3 or more transfers within 48 h each in [22 500, 25 000) NOK, the current one
///   included (50 → alert; with the velocity it usually comes with, hold). The band sits just under
///   the large-amount threshold, the line a splitter would try to stay under. The same count in
///   [9 000, 10 000) NOK watches the second line: 10 000 NOK is about EUR 1 000, where fund transfers
///   need CDD (§ 10) and the new-recipient rule starts (five times 9 900 NOK in an hour would
///   otherwise pass every rule, just under the 50 000 NOK daily velocity sum).
/// - **Velocity**: 24 h: 5 transfers or 50 000 NOK (one full daily limit reached in a rolling day,
///   e.g. across midnight) (30). 30 days: 20 transfers or 100 000 NOK, the § 10 occasional-transaction
///   level for linked transactions (25).
/// - **High-risk destination**: FATF "increased monitoring" (grey) list as of the 24 October 2025
///   plenary plus Somalia and Eritrea (Drop's own corridor risk, see `Corridors.highRiskMaximum`) (40 → alert,
///   enhanced due diligence); FATF "call for action" (black) list KP, IR, MM (70 → hold). FATF revises
///   both lists each February, June and October: update them then.
/// - **New recipient**: first transfer to a recipient of ≥ 10 000 NOK, just under the EUR 1 000 at which
///   the EU wire-transfer rules ask for full payer/payee data (30); 40 when the recipient was added
///   less than 24 h ago (the pattern of scams and money mules).
/// - **PEP** (30, at least `.alert`: enhanced due diligence, not a refusal; set `pepDecision = .hold`
///   to review every PEP transfer first). **Sanctions** (100, always `.block`). **Customer risk**
///   `high` 20, `medium` 0.
/// - **Pattern**: with at least 5 earlier transfers in the last 365 days, an amount ≥ 5 × their median
///   and ≥ 5 000 NOK (30), or a country none of them went to (20).
public struct AMLConfiguration: Sendable, Hashable, Codable {
    // MARK: Decision

    public var alertScore: Int = 40
    public var holdScore: Int = 70

    // MARK: Large single transfer

    public var largeAmount = Self.nok(25_000_00)
    public var largeAmountScore: Int = 40

    // MARK: Structuring

    /// The line being structured around; transfers in `[threshold − band, threshold)` are "just under".
    public var structuringThreshold = Self.nok(25_000_00)
    public var structuringBand = Self.nok(2_500_00)
    public var structuringWindow: TimeInterval = 48 * Self.hour
    /// How many just-under transfers within the window, the current one included, make a pattern.
    public var structuringCount: Int = 3
    public var structuringScore: Int = 50
    /// A second line watched the same way (same window, count and score); nil watches only the first.
    public var secondaryStructuringThreshold: Money? = Self.nok(10_000_00)
    public var secondaryStructuringBand = Self.nok(1_000_00)

    // MARK: Velocity

    public var velocity24h = AMLVelocityLimit(window: 24 * Self.hour, countThreshold: 5, sumThreshold: Self.nok(50_000_00), score: 30)
    public var velocity30d = AMLVelocityLimit(window: 30 * Self.day, countThreshold: 20, sumThreshold: Self.nok(100_000_00), score: 25)

    // MARK: Destination countries

    public var highRiskCountries: Set<CountryCode> = Self.fatfIncreasedMonitoring.union(Self.dropCorridorRisk)
    public var highRiskCountryScore: Int = 40
    public var callForActionCountries: Set<CountryCode> = Self.fatfCallForAction
    public var callForActionCountryScore: Int = 70

    // MARK: New recipient

    public var newRecipientAmount = Self.nok(10_000_00)
    public var newRecipientScore: Int = 30
    /// A recipient added less than this long before the transfer scores `freshRecipientScore` instead.
    public var freshRecipientAge: TimeInterval = 24 * Self.hour
    public var freshRecipientScore: Int = 40

    // MARK: Screening and customer risk

    public var pepScore: Int = 30
    /// The least strict decision for a PEP's transfer.
    public var pepDecision: AMLDecision = .alert
    /// A sanctions hit always blocks; the score only shows in the total.
    public var sanctionsScore: Int = 100
    public var mediumRiskCustomerScore: Int = 0
    public var highRiskCustomerScore: Int = 20

    // MARK: Usual pattern

    /// How far back "usual" looks.
    public var patternLookback: TimeInterval = 365 * Self.day
    /// Fewer earlier transfers than this is no pattern yet: neither pattern rule fires.
    public var patternMinimumHistory: Int = 5
    /// An amount at least this many times the median of earlier amounts is unusual…
    public var unusualAmountMultiplier: Int64 = 5
    /// …if it is also at least this much (so 600 kr after a history of 100 kr is not).
    public var unusualAmountMinimum = Self.nok(5_000_00)
    public var unusualAmountScore: Int = 30
    public var unusualCountryScore: Int = 20

    // MARK: History

    /// Earlier transfers in these statuses count for velocity, structuring and pattern. Left out:
    /// `failed`, `cancelled` and `expired`, where no money left the customer's account (counting them
    /// would flag a customer who simply retried after an expired SCA), unless the bank settled one
    /// after all (`AMLPastTransfer.fundsReceived`): money that left counts whatever the status.
    public var countedStatuses: Set<TransferStatus> = [.pendingSCA, .processing, .held, .completed, .refunded]
    /// A transfer whose money left for the payee: what makes a recipient one already paid
    /// (`AMLCustomerHistory.isFirstTransfer`), as does a QR payment the bank settled after Drop had
    /// ended it (`AMLPastTransfer.paidByItsSettlement`).
    public var paidStatuses: Set<TransferStatus> = [.processing, .completed]

    /// Drop's default policy (see the type's documentation).
    public init() {}

    // MARK: Lists

    /// FATF "High-risk jurisdictions subject to a call for action", 24 October 2025.
    public static let fatfCallForAction: Set<CountryCode> = countries("KP IR MM")

    /// FATF "Jurisdictions under increased monitoring", 24 October 2025 (Burkina Faso, Mozambique,
    /// Nigeria and South Africa left the list at that plenary).
    public static let fatfIncreasedMonitoring: Set<CountryCode> = countries(
        "DZ AO BO BG CM CI CD HT KE LA LB MC NA NP SS SY VE VN VG YE"
    )

    /// Corridors Drop itself rates high risk (thin banking, hawala-style payout chains).
    public static let dropCorridorRisk: Set<CountryCode> = countries("SO ER")

    // MARK: Validation

    /// Checks what the engine relies on: NOK amounts, positive windows, alert below hold.
    public func validate() throws(AMLConfigurationError) {
        guard alertScore > 0 else { throw .invalid(field: "alertScore", reason: "must be positive") }
        guard holdScore > alertScore else { throw .invalid(field: "holdScore", reason: "must be above alertScore") }
        let amounts: [(String, Money)] = [
            ("largeAmount", largeAmount), ("structuringThreshold", structuringThreshold),
            ("structuringBand", structuringBand), ("velocity24h.sumThreshold", velocity24h.sumThreshold),
            ("velocity30d.sumThreshold", velocity30d.sumThreshold), ("newRecipientAmount", newRecipientAmount),
            ("unusualAmountMinimum", unusualAmountMinimum),
        ]
        if let secondary = secondaryStructuringThreshold {
            guard secondary.currency == .nok, secondary.isPositive else {
                throw .invalid(field: "secondaryStructuringThreshold", reason: "must be a positive NOK amount")
            }
            guard secondaryStructuringBand.currency == .nok, secondaryStructuringBand.isPositive,
                  secondaryStructuringBand.minorUnits <= secondary.minorUnits else {
                throw .invalid(field: "secondaryStructuringBand", reason: "must be positive NOK not exceeding secondaryStructuringThreshold")
            }
        }
        for (field, amount) in amounts {
            guard amount.currency == .nok else { throw .invalid(field: field, reason: "must be NOK") }
            guard amount.isPositive else { throw .invalid(field: field, reason: "must be positive") }
        }
        guard structuringBand.minorUnits <= structuringThreshold.minorUnits else {
            throw .invalid(field: "structuringBand", reason: "must not exceed structuringThreshold")
        }
        let windows: [(String, TimeInterval)] = [
            ("structuringWindow", structuringWindow), ("velocity24h.window", velocity24h.window),
            ("velocity30d.window", velocity30d.window), ("freshRecipientAge", freshRecipientAge),
            ("patternLookback", patternLookback),
        ]
        for (field, window) in windows where !(window > 0 && window.isFinite) {
            throw .invalid(field: field, reason: "must be a positive number of seconds")
        }
        let counts: [(String, Int, Int)] = [
            ("structuringCount", structuringCount, 2), ("velocity24h.countThreshold", velocity24h.countThreshold, 2),
            ("velocity30d.countThreshold", velocity30d.countThreshold, 2), ("patternMinimumHistory", patternMinimumHistory, 1),
        ]
        for (field, count, minimum) in counts where count < minimum {
            throw .invalid(field: field, reason: "must be at least \(minimum)")
        }
        guard unusualAmountMultiplier >= 2 else { throw .invalid(field: "unusualAmountMultiplier", reason: "must be at least 2") }
        let scores: [(String, Int)] = [
            ("largeAmountScore", largeAmountScore), ("structuringScore", structuringScore),
            ("velocity24h.score", velocity24h.score), ("velocity30d.score", velocity30d.score),
            ("highRiskCountryScore", highRiskCountryScore), ("callForActionCountryScore", callForActionCountryScore),
            ("newRecipientScore", newRecipientScore), ("freshRecipientScore", freshRecipientScore), ("pepScore", pepScore),
            ("sanctionsScore", sanctionsScore), ("mediumRiskCustomerScore", mediumRiskCustomerScore),
            ("highRiskCustomerScore", highRiskCustomerScore), ("unusualAmountScore", unusualAmountScore),
            ("unusualCountryScore", unusualCountryScore),
        ]
        for (field, score) in scores where score < 0 {
            throw .invalid(field: field, reason: "must not be negative")
        }
        guard pepDecision != .block else { throw .invalid(field: "pepDecision", reason: "a PEP is not refused; use hold") }
    }

    // MARK: Helpers

    static let hour: TimeInterval = 3600
    static let day: TimeInterval = 86400

    private static func nok(_ minor: Int64) -> Money { Money(minorUnits: minor, currency: .nok) }

    private static func countries(_ codes: String) -> Set<CountryCode> {
        Set(codes.split(separator: " ").compactMap { CountryCode(rawValue: String($0)) })
    }
}
