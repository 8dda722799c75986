import DropProviders
import DropStore
import Foundation

/// How every service is made: from the app's dependencies (`AppServices`), each taking only the
/// ones it uses, and from the other services it calls. The one place to read to see what a service
/// depends on; a test makes the same service from an in-memory party and a test database with its
/// memberwise initializer (`BankServicesTests`), without an `AppServices`.
///
/// Each is a small struct made when asked for: a few copies, nothing next to a database round trip.
extension AppServices {
    // MARK: Signing in

    /// BankID sign-in for the web and the app, and the app's code exchange.
    public var signIn: SignInService {
        SignInService(database: database, provider: identityProvider, tokens: sessionTokens, hasher: pidHasher, pidCipher: pidCipher,
                      publicBaseURL: publicBaseURL, grantsDevelopmentRoles: config.signsInAtSandboxBankID, clock: clock, logger: logger)
    }

    /// Who is calling; signing out.
    public var sessions: SessionService {
        SessionService(database: database, environment: config.environment, clock: clock)
    }

    // MARK: Banks and payments

    /// Balances, cached and read again from each person's bank.
    public var balances: BalanceService {
        BalanceService(database: database, openBanking: openBanking, clock: clock, logger: logger, cache: balanceCache, metrics: metrics)
    }

    /// Linking and unlinking banks.
    public var bankConnections: BankConnectionService {
        BankConnectionService(database: database, openBanking: openBanking, pidCipher: pidCipher, publicBaseURL: publicBaseURL, clock: clock, logger: logger)
    }

    /// Payments asked of each person's bank.
    var paymentInitiation: PaymentInitiation {
        PaymentInitiation(database: database, openBanking: openBanking, bankConnections: bankConnections, collectionAccount: collectionAccount,
                          publicBaseURL: publicBaseURL, bankBaseURL: Self.openBankingBaseURL(config, publicBaseURL), clock: clock, logger: logger)
    }

    /// Where Drop asks the banks: the configured NextGenPSD2 base, or the bank sandbox it hosts.
    static func openBankingBaseURL(_ config: AppConfig, _ publicBaseURL: PublicBaseURL) -> String {
        config.providers.openBankingBaseURL ?? publicBaseURL.url + "/sandbox/bank"
    }

    /// What a bank reports about a payment, applied to its transaction.
    var paymentStatus: PaymentStatusService {
        PaymentStatusService(database: database, clock: clock, logger: logger)
    }

    /// Payments followed up at the bank after the fact (recovered, refreshed, cancelled).
    var bankPayments: BankPayments {
        BankPayments(paymentStatus: paymentStatus, database: database, openBanking: openBanking, paymentInitiation: paymentInitiation,
                     clock: clock, logger: logger)
    }

    /// Drop's collection account at the payout partner (`PAYOUT_COLLECTION_*`, `PAYOUT_PARTNER_BIC`).
    var collectionAccount: CollectionAccount {
        CollectionAccount(number: config.providers.payoutCollectionAccount, name: config.providers.payoutCollectionName,
                          bic: config.providers.payoutPartnerBIC)
    }

    /// Payouts through the partner, as `worker` (whose claim a message being sent is).
    func payouts(worker: String = "payouts-" + UUID().uuidString.prefix(8).lowercased(), claimLease: TimeInterval? = nil) -> PayoutService {
        PayoutService(database: database, payoutPartner: payoutPartner, outcomes: PayoutOutcomes(database: database),
                      collectionAccount: collectionAccount, clock: clock, logger: logger, worker: worker,
                      claimLease: claimLease ?? 2 * config.jobLease, maximumMessageBytes: config.payoutMaximumMessageBytes)
    }

    /// Answers a money-moving write once per `Idempotency-Key` (every such endpoint and the web app's confirm forms).
    var idempotentRequests: IdempotentRequest {
        IdempotentRequest(store: IdempotencyStore(database: database, lease: config.idempotencyLease), clock: clock)
    }

    // MARK: Sending money

    /// Reference rates from Norges Bank.
    public var exchangeRates: ExchangeRateService {
        ExchangeRateService(database: database, clock: clock)
    }

    /// Pricing remittances and keeping the quotes.
    public var quotes: QuoteService {
        QuoteService(spendingLimits: spendingLimits, database: database, exchangeRates: exchangeRates, clock: clock)
    }

    /// The customer's own daily and monthly caps.
    public var spendingLimits: SpendingLimitService {
        SpendingLimitService(database: database, stepUp: customerStepUp, clock: clock)
    }

    /// The recent BankID sign-in a customer's change of a payee, email or phone, an erasure or the data export needs.
    var customerStepUp: CustomerStepUp {
        CustomerStepUp(policy: config.customerStepUp, database: database)
    }

    public var recipients: RecipientService {
        RecipientService(database: database, stepUp: customerStepUp, clock: clock)
    }

    /// Sending money abroad.
    public var remittances: RemittanceService {
        RemittanceService(spendingLimits: spendingLimits, quotes: quotes, database: database, paymentInitiation: paymentInitiation,
                          idempotentRequests: idempotentRequests, config: config, clock: clock)
    }

    /// Reading, cancelling and following up transactions of every kind.
    public var transactions: TransactionService {
        TransactionService(bankPayments: bankPayments, database: database, listCache: transactionListCache, pageKeeper: newestPageKeeper,
                           metrics: metrics, clock: clock, logger: logger, returnPageAsks: returnPageAsks)
    }

    public var standingOrders: StandingOrderService {
        StandingOrderService(quotes: quotes, spendingLimits: spendingLimits, database: database, openBanking: openBanking,
                             paymentInitiation: paymentInitiation, bankConnections: bankConnections, publicBaseURL: publicBaseURL,
                             idempotentRequests: idempotentRequests, config: config, clock: clock, logger: logger,
                             returnPageAsks: returnPageAsks)
    }

    /// Links the receiver of a transfer follows it with.
    public var trackingLinks: TrackingLinkService {
        TrackingLinkService(database: database, publicBaseURL: publicBaseURL, clock: clock)
    }

    // MARK: Merchants

    public var merchants: MerchantService {
        MerchantService(database: database, publicBaseURL: publicBaseURL, config: config, clock: clock)
    }

    public var merchantDashboard: MerchantDashboardService {
        MerchantDashboardService(database: database, clock: clock)
    }

    /// Paying a merchant through its QR link.
    public var qrPayments: QRPaymentService {
        QRPaymentService(spendingLimits: spendingLimits, merchants: merchants, database: database, paymentInitiation: paymentInitiation,
                         idempotentRequests: idempotentRequests, clock: clock)
    }

    // MARK: The customer

    public var profiles: ProfileService {
        ProfileService(database: database, stepUp: customerStepUp, clock: clock)
    }

    public var kyc: KYCService {
        KYCService(database: database, identityVerification: identityVerification, publicBaseURL: publicBaseURL, clock: clock,
                   logger: logger)
    }

    public var emailConfirmation: EmailConfirmationService {
        EmailConfirmationService(database: database, publicBaseURL: publicBaseURL, config: config, clock: clock)
    }

    public var notifications: NotificationService {
        NotificationService(database: database, clock: clock)
    }

    public var complaints: ComplaintService {
        ComplaintService(database: database, clock: clock)
    }

    /// Compliance closing a business for good.
    public var merchantClosures: MerchantClosureService {
        MerchantClosureService(database: database, clock: clock)
    }

    /// GDPR requests filed by hand (rectification, restriction, objection).
    public var dataRequests: DataRequestService {
        DataRequestService(database: database, clock: clock)
    }

    /// GDPR erasure within AML law.
    public var erasure: ErasureService {
        ErasureService(database: database, stepUp: customerStepUp, openBanking: openBanking, clock: clock, logger: logger)
    }

    /// Whether every key and pepper the stored sealed numbers name is one Drop has (ADR 0034).
    public var identityKeyGuard: IdentityKeyGuard {
        IdentityKeyGuard(database: database, hasher: pidHasher, cipher: pidCipher, logger: logger)
    }

    /// Re-sealing and re-hashing customers' identity after a key rotation (ADR 0034).
    public var identityKeyRotation: IdentityKeyRotation {
        IdentityKeyRotation(database: database, hasher: pidHasher, cipher: pidCipher, clock: clock, logger: logger)
    }

    /// Deleting what was kept of erased customers once the retention period has run out.
    var retentionPurge: RetentionPurge {
        RetentionPurge(database: database, clock: clock, logger: logger)
    }

    /// Downloads of the pain.001 files sent to the payout partner, each audited.
    public var payoutFiles: PayoutFileService {
        PayoutFileService(database: database, clock: clock)
    }

    // MARK: Compliance and operations

    public var amlAlerts: AMLAlertService {
        AMLAlertService(database: database, clock: clock)
    }

    /// Releasing or rejecting a transfer the AML rules held.
    public var heldTransfers: HeldTransferService {
        HeldTransferService(database: database, quotes: quotes, openBanking: openBanking, paymentInitiation: paymentInitiation, clock: clock)
    }

    /// Suspicious transaction reports.
    public var strReports: STRReportService {
        STRReportService(database: database, reportingEntity: config.reportingEntity, clock: clock)
    }

    public var auditLog: AuditLogService {
        AuditLogService(database: database)
    }

    /// Finding a customer for compliance.
    public var customerLookup: AdminUserService {
        AdminUserService(database: database, pidHasher: pidHasher, clock: clock)
    }

    /// Granting and revoking the admin role (`drop admin`).
    public var adminRoles: AdminRoleService {
        AdminRoleService(database: database, pidHasher: pidHasher, clock: clock)
    }

    /// Keeping Drop's record of every payment in step with the bank's.
    public var reconciliation: ReconciliationService {
        ReconciliationService(bankPayments: bankPayments, database: database, metrics: metrics, clock: clock, logger: logger)
    }
}
