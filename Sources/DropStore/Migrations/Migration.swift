/// One versioned, forward-only schema change. Statements are portable SQL that runs on both
/// SQLite and PostgreSQL (TIMESTAMPTZ columns hold what each driver writes for a `Date`).
public struct Migration: Sendable {
    public let version: Int
    public let name: String
    public let statements: [String]

    public init(version: Int, name: String, statements: [String]) {
        self.version = version
        self.name = name
        self.statements = statements
    }
}

extension Migration {
    /// Every migration Drop knows, in order. Later features append theirs here.
    public static let all: [Migration] = [
        .initialSchema,
        .kycReview,
        .recipientBankCodes, .fundsReceived,
        .merchantEvents,
        .complianceReviews,
        .moneyIntegrity,
        .payoutClaims,
        .merchantIntegrity,
        .psuIdentity,
        .stepUp,
        .trackingLinks,
        .customerLanguages,
        .emailVerification,
        .knownDevices,
        .standingOrders,
    ]
}
