import AsyncHTTPClient
import DropProviders
import DropStore
import DropTelemetry
import Foundation
import Logging
import NIOConcurrencyHelpers

/// The dependencies every feature takes, as values: swap the clock, the database, the identity
/// provider or the authenticator in tests without touching the features.
public struct AppServices: Sendable {
    public let config: AppConfig
    public let database: Database
    public let metrics: AppMetrics
    public let publicBaseURL: PublicBaseURL
    public let jobs: JobRegistry
    public let logger: Logger
    public let clock: @Sendable () -> Date
    public var authenticator: any RequestAuthenticator
    public var errorPageRenderer: ErrorPageRenderer
    public let csrf: CSRFProtection
    public let sessionTokens: SessionTokens
    public let pidHasher: PidHasher
    /// Seals and opens `users.pid_encrypted`.
    public let pidCipher: PidCipher
    public var identityProvider: any IdentityProvider
    /// Outbound HTTP for every provider client (the sandboxes too: they are reached over HTTP).
    public let httpClient: HTTPClient
    public let background: BackgroundTasks
    /// The newest page of each customer's transaction list, while it stands (`TRANSACTION_LIST_CACHE=off`: none).
    let transactionListCache: AnswerCache<TransactionService.ListKey, Page<TransactionView>>?
    /// When this process's bank return pages last asked about each payment or standing order (`followUp`).
    let returnPageAsks = ReturnPageAsks()
    /// Writes the newest pages the list cache reads from their rows to the database too (ADR 0023).
    let newestPageKeeper: NewestPageKeeper?
    /// Each customer's balance answer, while it stands and is fresh (`BALANCE_CACHE=off`: none).
    let balanceCache: AnswerCache<String, [LinkedAccount]>?
    /// Each outside party as the protocol DropProviders gives it: the live client by default (over
    /// HTTP; the sandboxes' addresses in development), an in-memory fake in router tests. Made on
    /// first use, because in development their address is this server's own, known once it listens.
    /// Identity checks (Sumsub), with a breaker.
    public let identityVerification: Lazy<any IdentityVerification>
    /// Every person's bank over NextGenPSD2, with a breaker per bank.
    public let openBanking: Lazy<any OpenBanking>
    /// The payout partner over ISO 20022.
    public let payoutPartner: Lazy<any PayoutPartner>
    /// The reference rates (Norges Bank).
    public let ratesFeed: Lazy<any RatesFeed>
    /// Traces and error reports (`OTEL_*`, `SENTRY_DSN`); disabled unless configured.
    public let telemetry: Telemetry
    /// Email over SMTP (`SMTP_URL`); sends nothing unless configured. Tests swap it for one that keeps what was sent.
    public var mailer: Mailer
    /// A circuit breaker for one provider, on `clock`, reporting to `drop_provider_circuit_state`.
    public let providerBreaker: @Sendable (_ provider: String) -> CircuitBreaker

    /// - Parameters:
    ///   - authenticator: nil = the real session authenticator (cookie or bearer JWT + session row).
    ///   - providers: stand-ins for outside parties; each one not given is the live client.
    public init(
        config: AppConfig,
        database: Database,
        clock: @escaping @Sendable () -> Date = { Date() },
        authenticator: (any RequestAuthenticator)? = nil,
        identityProvider: (any IdentityProvider)? = nil,
        providers: Providers = Providers(),
        httpClient: HTTPClient = .shared,
        retryPolicy: RetryPolicy = RetryPolicy(),
        errorPageRenderer: @escaping ErrorPageRenderer = plainErrorPage,
        telemetry: Telemetry? = nil,
        logger: Logger = Logger(label: "drop")
    ) async {
        self.config = config
        self.database = database
        let metrics = AppMetrics()
        self.metrics = metrics
        let baseURL = PublicBaseURL(explicit: config.publicBaseURL, host: config.host, port: config.port)
        self.publicBaseURL = baseURL
        self.jobs = JobRegistry()
        self.logger = logger
        self.clock = clock
        let tokens = await SessionTokens(secrets: config.secrets.jwtSecrets)
        self.sessionTokens = tokens
        self.pidHasher = PidHasher(pepper: config.secrets.pidPepper, previous: config.secrets.previousPidPepper)
        self.pidCipher = PidCipher(secret: config.secrets.pidEncryptionKey, previous: config.secrets.previousPidEncryptionKey)
        self.authenticator = authenticator ?? SessionAuthenticator(tokens: tokens, database: database, clock: clock,
                                                                     cachesSessions: config.cachesSessions)
        self.httpClient = httpClient
        self.telemetry = telemetry ?? (config.telemetry.isEnabled
            ? Telemetry.live(config.telemetry, environment: config.environment.rawValue, metrics: { metrics.exposition() },
                             httpClient: httpClient, logger: logger)
            : .disabled)
        self.background = BackgroundTasks()
        self.transactionListCache = config.cachesTransactionLists ? AnswerCache(maxBytes: config.transactionListCacheMiB << 20) : nil
        self.newestPageKeeper = config.cachesTransactionLists
            ? NewestPageKeeper(database: database, format: TransactionService.keptPageFormat, logger: logger) : nil
        self.balanceCache = config.cachesBalances ? AnswerCache(maxBytes: 16 << 20) : nil
        self.mailer = Mailer.live(config.email, host: URLComponents(string: baseURL.url)?.host ?? "drop.localhost")
        // Breakers count on a monotonic clock; this one follows `clock`, so tests can move it.
        let (startInstant, startDate) = (ContinuousClock.now, clock())
        // Every provider's breaker reports to `drop_provider_circuit_state`.
        let breaker: @Sendable (String) -> CircuitBreaker = { provider in
            CircuitBreaker(provider: provider, now: { startInstant + .seconds(clock().timeIntervalSince(startDate)) }, logger: logger,
                           onStateChange: { change in metrics.setCircuitState(provider: change.provider, state: change.to.gaugeValue) })
        }
        self.providerBreaker = breaker
        self.identityVerification = Lazy {
            providers.identityVerification ?? SumsubClient(
                baseURL: config.providers.sumsubBaseURL ?? baseURL.url + "/sandbox/sumsub",
                appToken: config.sumsubAppToken, secretKey: config.sumsubSecretKey,
                httpClient: httpClient, breaker: breaker(SumsubClient.providerName), now: clock, logger: logger)
        }
        self.openBanking = Lazy {
            providers.openBanking ?? NextGenPSD2Client(
                configuration: OpenBankingConfiguration(
                    baseURL: Self.openBankingBaseURL(config, baseURL),
                    clientId: config.providers.openBankingClientID, clientSecret: config.openBankingClientSecret,
                    redirectURI: baseURL.url + "/v1/bank-accounts/callback"),
                httpClient: httpClient, retryPolicy: retryPolicy,
                now: { startInstant + .seconds(clock().timeIntervalSince(startDate)) }, logger: logger,
                onBreakerChange: { change in metrics.setCircuitState(provider: change.provider, state: change.to.gaugeValue) })
        }
        self.payoutPartner = Lazy {
            providers.payoutPartner ?? PayoutClient(
                configuration: PayoutConfiguration(baseURL: config.providers.payoutBaseURL ?? baseURL.url + "/sandbox/payout",
                                                   clientId: config.providers.payoutClientID, clientSecret: config.payoutClientSecret),
                httpClient: httpClient,
                breaker: breaker(PayoutClient.providerName),
                retryPolicy: retryPolicy, logger: logger)
        }
        self.ratesFeed = Lazy {
            providers.ratesFeed ?? NorgesBankRatesClient(
                baseURL: config.providers.fxFeedURL ?? baseURL.url + "/sandbox/fx",
                http: ResilientHTTPClient(provider: NorgesBankRatesClient.providerName, httpClient: httpClient,
                                          breaker: breaker(NorgesBankRatesClient.providerName),
                                          retryPolicy: RetryPolicy(logger: logger), logger: logger),
                logger: logger)
        }
        self.identityProvider = identityProvider ?? BankIDIdentityProvider(
            issuer: { config.providers.bankIDIssuer ?? baseURL.url + "/sandbox/bankid" },
            clientID: config.providers.bankIDClientID, clientSecret: config.bankIDClientSecret,
            httpClient: httpClient, now: clock, logger: logger, breaker: breaker(BankIDClient.providerName))
        self.errorPageRenderer = errorPageRenderer
        self.csrf = CSRFProtection(allowedOrigin: { baseURL.url }, secrets: config.secrets.jwtSecrets)
    }

    /// Connects to the configured database and brings its schema up to date where allowed
    /// (development and test migrate at start; production expects `drop migrate` first).
    public static func connect(config: AppConfig, logger: Logger = Logger(label: "drop")) async throws -> AppServices {
        var options = Database.Options(poolSize: config.databasePoolSize, preparesStatements: config.preparesStatements)
        options.listenURL = config.databaseListenURL
        let database = try await Database.connect(config.database, options: options, logger: logger)
        if !config.isProduction {
            try await Migrator().migrate(database, logger: logger)
        }
        let services = await AppServices(config: config, database: database, logger: logger)
        // A pepper or key changed without its previous value would make returning customers new ones (ADR 0034).
        do {
            try await services.identityKeyGuard.check(refusing: config.isProduction)
        } catch {
            await services.telemetry.shutdown()
            await database.shutdown()
            throw error
        }
        return services
    }
}

extension AppServices {
    /// Stand-ins for the outside parties (the in-memory fakes of `Tests/DropProviderFakes` in router tests).
    public struct Providers: Sendable {
        public var identityVerification: (any IdentityVerification)?
        public var openBanking: (any OpenBanking)?
        public var payoutPartner: (any PayoutPartner)?
        public var ratesFeed: (any RatesFeed)?

        public init(identityVerification: (any IdentityVerification)? = nil, openBanking: (any OpenBanking)? = nil,
                    payoutPartner: (any PayoutPartner)? = nil, ratesFeed: (any RatesFeed)? = nil) {
            self.identityVerification = identityVerification
            self.openBanking = openBanking
            self.payoutPartner = payoutPartner
            self.ratesFeed = ratesFeed
        }
    }
}

extension CircuitBreaker.State {
    /// For the `drop_provider_circuit_state` gauge: 0 closed, 1 half-open, 2 open.
    var gaugeValue: Int {
        switch self {
        case .closed: 0
        case .halfOpen: 1
        case .open: 2
        }
    }
}
