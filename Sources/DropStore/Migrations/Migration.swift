/// One versioned, forward-only schema change. Statements are portable SQL that runs on both
/// SQLite and PostgreSQL (TIMESTAMPTZ columns hold what each driver writes for a `Date`); what the
/// two can't say alike (triggers: SQLite's bodies are inline, PostgreSQL's call a function) goes in
/// `dialectStatements`, run after the portable ones.
public struct Migration: Sendable {
    public let version: Int
    public let name: String
    public let statements: [String]
    public let dialectStatements: [Dialect: [String]]

    public init(version: Int, name: String, statements: [String], dialectStatements: [Dialect: [String]] = [:]) {
        self.version = version
        self.name = name
        self.statements = statements
        self.dialectStatements = dialectStatements
    }

    /// What runs on `dialect`, in order.
    public func statements(for dialect: Dialect) -> [String] {
        statements + (dialectStatements[dialect] ?? [])
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
        .transactionListVersions,
        .balanceVersions,
        .keptNewestPages,
        .standingOrderPayments,
        .operationsAlertResolutions,
        .merchantRegistration,
        .qrPaymentFollowUps,
        .resolvedAlertsRaisedAgain,
        .standingOrderCancellationAttempts,
        .returnChecks,
        .unusedQuotesPurge,
        .merchantClosures,
        .liveSessionsByExpiry,
        .payoutSendAttempts,
        .standingOrderPayeeSince,
        .spendingByMoneyLeft,
        .releaseProposals,
    ]
}
