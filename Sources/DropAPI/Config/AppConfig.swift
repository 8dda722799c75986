import Crypto
import DropCore
import DropStore
import DropTelemetry
import Foundation
import Logging

/// Everything Drop reads at start, from environment variables only (list in the README).
/// With no variables at all it runs for development: SQLite under `./data`, generated secrets,
/// sandboxes mounted in-process, demo data seeded.
public struct AppConfig: Sendable {
    public var environment: DropEnvironment
    public var host: String
    public var port: Int
    public var database: DatabaseURL
    /// The URL people and providers reach Drop at. When not set explicitly it follows the bound port.
    public var publicBaseURL: String?
    public var dataDirectory: String
    public var secrets: Secrets
    public var sandboxesEnabled: Bool
    public var providers: ProviderSettings
    public var rateLimits: [RateLimitRule]
    /// Honour `X-Forwarded-For` from a reverse proxy (only behind one you run), and only when the
    /// peer is one of `TRUSTED_PROXIES`.
    public var trustForwardedFor: Bool
    public var trustedProxies: [IPNetwork] = ClientAddressResolver.loopback
    /// When set, `/metrics` answers only `Authorization: Bearer <token>` (required in production).
    public var metricsToken: String?
    /// Run the background worker inside `drop serve` (scale-out deployments run `drop worker` separately).
    public var runsWorker: Bool
    public var logLevel: Logger.Level
    /// Largest request body accepted, in bytes.
    public var maxBodyBytes: Int
    /// How long a merchant's dynamic (amount-fixed) payment link stays payable.
    public var paymentLinkLifetime: TimeInterval = 15 * 60
    /// How long a worker's claim on a job holds without a heartbeat: after a worker dies, another
    /// takes its job over once this has passed (a payout message's claim holds twice as long).
    public var jobLease: TimeInterval = 60
    /// How far a process's clock may be from the database's before its job worker claims nothing
    /// (`JOB_MAX_CLOCK_SKEW_SECONDS`; nil, `off`: not checked, for tests whose clock is not the host's).
    public var jobMaxClockSkew: TimeInterval? = AppConfig.defaultJobMaxClockSkew
    public static let defaultJobMaxClockSkew: TimeInterval = 10
    /// How long a request moving money may go without renewing its `Idempotency-Key` lease before a
    /// retry takes it over (its process died); renewed every quarter of it while the request runs.
    public var idempotencyLease: TimeInterval = IdempotencyStore.defaultLease
    /// How recent an admin's BankID authentication must be for state-changing admin requests (`ADMIN_STEP_UP_MAX_AGE`, seconds).
    public var adminStepUp = StepUpPolicy()
    /// How recent a customer's BankID authentication must be to change a recipient's bank details, their
    /// email or their phone (`CUSTOMER_STEP_UP_MAX_AGE`, seconds).
    public var customerStepUp = StepUpPolicy()
    /// `DATABASE_POOL_SIZE`: database connections per process (nil: 4 per core).
    public var databasePoolSize: Int?
    /// `DATABASE_LISTEN_URL`: where the session-change listener connects, when the pool goes through a
    /// transaction-mode pooler that can't carry LISTEN (nil: where `DATABASE_URL` goes).
    public var databaseListenURL: DatabaseURL?
    /// `SESSION_CACHE=off`: check the session row on every request (a kill switch, and the bench's "before").
    public var cachesSessions = true
    /// `TRANSACTION_LIST_CACHE=off`: read the newest page of the transaction list from the database every time.
    public var cachesTransactionLists = true
    /// `TRANSACTION_LIST_CACHE_MIB`: memory for the kept lists, per process. A customer's full page
    /// costs about 25 KiB held (ADR 0012): the default keeps 5,000 customers' pages.
    public var transactionListCacheMiB = 128
    /// `WARM_START_CUSTOMERS`: how many of the customers signed in lately `drop serve` reads ahead for before it
    /// takes requests (`WarmStart`, ADR 0028); 0 turns it off. Read from the environment
    /// (default 5,000); only `drop serve` reads ahead.
    public var warmStartCustomers = 0
    /// `BALANCE_CACHE=off`: read the accounts from the database on every `GET /v1/balance`.
    public var cachesBalances = true
    /// `PREPARED_STATEMENTS=off`: PostgreSQL plans and SQLite parses every statement each time (behind a pooler that doesn't keep prepared statements per client).
    public var preparesStatements = true
    /// `CONCURRENCY_ON_EVENT_LOOPS=off`: leave Swift's own thread pool in charge of async work
    /// instead of NIO's event loops (ADR 0016). Read before anything runs, by `tasksRunOnEventLoops(_:)`.
    public var tasksRunOnEventLoops = true
    /// Traces (OTLP) and error reports (Sentry); off unless configured.
    public var telemetry = TelemetryConfiguration()
    /// How often the worker sends due pain.001 messages, polls the partner's pain.002 reports and asks for returns.
    public var payoutInterval: TimeInterval = 30
    /// The largest pain.001 Drop writes (`PAYOUT_MAX_MESSAGE_BYTES`): a busy day goes out in several
    /// messages under it. Partners refuse larger ones (413); keep it under the partner's cap.
    public var payoutMaximumMessageBytes = AppConfig.defaultPayoutMaximumMessageBytes
    /// A little under the 1 MiB partners (and the payout sandbox) commonly take.
    public static let defaultPayoutMaximumMessageBytes = 1_000_000
    /// The largest pain.001 the payout sandbox takes before answering 413 (`SANDBOX_PAYOUT_MAX_MESSAGE_BYTES`).
    public var payoutSandboxMaximumMessageBytes = 1024 * 1024
    /// Where email goes (`SMTP_URL`, `EMAIL_FROM`); nil: no email is sent.
    public var email: EmailSettings?
    /// Drop as its suspicious transaction reports name it (`ReportingEntitySettings`).
    public var reportingEntity = ReportingEntitySettings.developmentEntity
    /// How long the payout sandbox takes from accepting a payment to settling it (a real partner: minutes to a day).
    public var payoutSandboxSettlement: Duration = .seconds(30)
    /// `SANDBOX_BANK_STATE=memory`: the bank sandbox keeps its ledger in memory only (the benchmark's
    /// bank: a real bank's speed is not Drop's to measure). Default `file`: kept across restarts.
    public var bankSandboxStateInMemory = false

    public var isProduction: Bool { environment == .production }

    /// Anyone can sign in as anyone at the BankID sandbox: then, and only then, the sandbox persons'
    /// development roles are given (Anders Admin), and Drop refuses to be reachable from elsewhere.
    public var signsInAtSandboxBankID: Bool { !isProduction && providers.signsInAtSandboxBankID }

    /// Sumsub app token and secret: from the environment, or development values the Sumsub sandbox shares.
    public var sumsubAppToken: String { providers.sumsubAppToken ?? "sbx:drop-dev" }
    public var sumsubSecretKey: String { providers.sumsubSecretKey ?? derivedDevelopmentSecret("sumsub-secret-key") }

    func derivedDevelopmentSecret(_ purpose: String) -> String {
        "dev-" + Hex.string(of: HMAC<SHA256>.authenticationCode(for: Data(purpose.utf8), using: SymmetricKey(data: Data(secrets.jwtSecret.utf8))))
    }

    /// Drop's TPP secret at the banks: from the environment, or in development one the bank
    /// sandbox is configured with.
    public var openBankingClientSecret: String {
        providers.openBankingClientSecret ?? derivedDevelopmentSecret("openbanking-client-secret")
    }

    /// Drop's secret at the payout partner: from the environment, or in development one the
    /// payout sandbox is configured with.
    public var payoutClientSecret: String {
        providers.payoutClientSecret ?? derivedDevelopmentSecret("payout-client-secret")
    }

    /// The BankID client secret: from the environment, or in development one derived from the
    /// generated secrets (the BankID sandbox is configured with the same value).
    public var bankIDClientSecret: String {
        providers.bankIDClientSecret ?? derivedDevelopmentSecret("bankid-client-secret")
    }

    public static func load(
        environment given: [String: String] = ProcessInfo.processInfo.environment,
        workingDirectory: String = FileManager.default.currentDirectoryPath
    ) throws -> AppConfig {
        // `JWT_SECRET_FILE=/run/secrets/jwt` stands for `JWT_SECRET`, and so on for every variable.
        let files = SettingFiles.resolve(given)
        let env = files.environment
        var problems = files.problems
        let environment: DropEnvironment
        if let raw = env["DROP_ENV"], !raw.isEmpty {
            guard let parsed = DropEnvironment(rawValue: raw) else {
                throw ConfigError(problems: problems + ["DROP_ENV must be development, test or production (got \(raw))"])
            }
            environment = parsed
        } else {
            environment = .development
        }
        let production = environment == .production

        var dataDirectory = env["DROP_DATA_DIR"]?.nilIfEmpty ?? "data"
        if !dataDirectory.hasPrefix("/") { dataDirectory = workingDirectory + "/" + dataDirectory }

        let port = env["PORT"].flatMap(Int.init) ?? 8080
        if let raw = env["PORT"], Int(raw) == nil || !(0...65535).contains(port) {
            problems.append("PORT must be a number between 0 and 65535 (got \(raw))")
        }

        let database: DatabaseURL
        do {
            database = try DatabaseURL(parsing: env["DATABASE_URL"] ?? "sqlite:data/drop.db", workingDirectory: workingDirectory)
        } catch {
            throw ConfigError(problems: problems + ["DATABASE_URL: \(error)"])
        }

        var databaseListenURL: DatabaseURL?
        if let raw = env["DATABASE_LISTEN_URL"]?.nilIfEmpty {
            if database.isSQLite {
                problems.append("DATABASE_LISTEN_URL is only for PostgreSQL, but DATABASE_URL points at SQLite")
            } else if let parsed = try? DatabaseURL(parsing: raw, workingDirectory: workingDirectory), !parsed.isSQLite {
                databaseListenURL = parsed
            } else {
                problems.append("DATABASE_LISTEN_URL must be a postgres:// URL to the same database as DATABASE_URL")
            }
        }

        let sandboxes = env["DROP_SANDBOXES"].map { ["1", "true", "on", "yes"].contains($0.lowercased()) } ?? !production
        let secrets = production
            ? Secrets.fromEnvironment(env, problems: &problems)
            : try Secrets.development(env, dataDirectory: dataDirectory)
        let providers = ProviderSettings(env)
        problems += providers.formatProblems()

        let host = env["HOST"] ?? (production ? "0.0.0.0" : "127.0.0.1")
        let publicBaseURL = env["PUBLIC_BASE_URL"].flatMap { $0.isEmpty ? nil : String($0.trimmingSuffix("/")) }
        if environment == .development {
            // Development signs anyone in through the BankID sandbox and makes a sandbox person admin:
            // it must never be reachable by others, which a public address or an https URL says it is.
            if !Self.isLoopback(host) {
                problems.append("HOST is \(host) but DROP_ENV is development (the default), where the sandbox BankID signs anyone in: set DROP_ENV=production, or HOST=127.0.0.1")
            }
            if publicBaseURL?.lowercased().hasPrefix("https://") == true {
                problems.append("PUBLIC_BASE_URL is https but DROP_ENV is development (the default), where the sandbox BankID signs anyone in: set DROP_ENV=production")
            }
        } else if !production, providers.signsInAtSandboxBankID {
            // The test environment too, while its sign-in is the sandbox BankID (anyone as anyone, a sandbox person admin).
            let why = "sign-in is the sandbox BankID (BANKID_ISSUER is not set, or is a sandbox), which signs anyone in"
            if !Self.isLoopback(host) {
                problems.append("HOST is \(host) but \(why): set BANKID_ISSUER to a real BankID, or HOST=127.0.0.1")
            }
            if publicBaseURL?.lowercased().hasPrefix("https://") == true {
                problems.append("PUBLIC_BASE_URL is https but \(why): set BANKID_ISSUER to a real BankID")
            }
        }
        let trustedProxies = ClientAddressResolver.parseProxies(env["TRUSTED_PROXIES"] ?? "127.0.0.0/8,::1/128")
        if !trustedProxies.invalid.isEmpty {
            problems.append("TRUSTED_PROXIES must be comma-separated CIDRs such as 10.0.0.0/8,fd00::/8 (not: \(trustedProxies.invalid.joined(separator: ", ")))")
        }
        let metricsToken = env["METRICS_TOKEN"]?.nilIfEmpty

        if production {
            if metricsToken == nil {
                problems.append("METRICS_TOKEN must be set: /metrics then answers only Authorization: Bearer <METRICS_TOKEN>")
            }
            if database.isSQLite {
                problems.append("DATABASE_URL points at SQLite; production runs on PostgreSQL (postgres://…)")
            }
            if sandboxes {
                problems.append("DROP_SANDBOXES is on; the simulated providers must never run in production")
            }
            if env["PUBLIC_BASE_URL"]?.hasPrefix("https://") != true {
                problems.append("PUBLIC_BASE_URL must be set to the https:// address people reach Drop at")
            }
            problems += providers.productionProblems()
            if env["RATE_LIMITS"] == "off" { problems.append("RATE_LIMITS=off is for load and crash tests; production keeps its limits") }
            if env["JOB_MAX_CLOCK_SKEW_SECONDS"] == "off" {
                problems.append("JOB_MAX_CLOCK_SKEW_SECONDS=off is for tests whose clock is not the host's; production compares its clock with the database's")
            }
        }
        /// A whole number in `range` (seconds, or connections), or `fallback` when unset; anything else is a problem.
        func number(_ name: String, _ fallback: Int?, in range: ClosedRange<Int>, unit: String = "seconds") -> Int? {
            guard let raw = env[name] else { return fallback }
            guard let value = Int(raw), range.contains(value) else {
                problems.append("\(name) must be a number of \(unit) between \(range.lowerBound) and \(range.upperBound) (got \(raw))")
                return fallback
            }
            return value
        }
        let linkLifetime = number("PAYMENT_LINK_TTL_SECONDS", 15 * 60, in: 60...86_400) ?? 15 * 60
        let jobLease = number("JOB_LEASE_SECONDS", 60, in: 5...3_600) ?? 60
        // Below the lease: a clock off by a lease takes over the jobs other workers are running.
        let jobMaxClockSkew = env["JOB_MAX_CLOCK_SKEW_SECONDS"] == "off" ? nil
            : number("JOB_MAX_CLOCK_SKEW_SECONDS", Int(Self.defaultJobMaxClockSkew), in: 1...300).map { TimeInterval(min($0, jobLease / 2)) }
        let idempotencyLease = number("IDEMPOTENCY_LEASE_SECONDS", Int(IdempotencyStore.defaultLease), in: 4...600)
            ?? Int(IdempotencyStore.defaultLease)
        let stepUpMaxAge = number("ADMIN_STEP_UP_MAX_AGE", StepUpPolicy.defaultMaxAge, in: StepUpPolicy.allowedMaxAge) ?? StepUpPolicy.defaultMaxAge
        let customerStepUpMaxAge = number("CUSTOMER_STEP_UP_MAX_AGE", StepUpPolicy.defaultMaxAge, in: StepUpPolicy.allowedMaxAge)
            ?? StepUpPolicy.defaultMaxAge
        let poolSize = number("DATABASE_POOL_SIZE", nil, in: 1...512, unit: "connections")
        let listCacheMiB = number("TRANSACTION_LIST_CACHE_MIB", 128, in: 8...65_536, unit: "MiB") ?? 128
        let warmStartCustomers = number("WARM_START_CUSTOMERS", 5_000, in: 0...1_000_000, unit: "customers") ?? 5_000
        let payoutInterval = number("PAYOUT_INTERVAL_SECONDS", 30, in: 1...3_600) ?? 30
        let payoutSandboxSettlement = number("SANDBOX_PAYOUT_SETTLEMENT_SECONDS", 30, in: 0...3_600) ?? 30
        // Below about 2.5 KB each payout goes alone (never dropped); above 100 MB no partner takes it.
        let payoutMessageBytes = number("PAYOUT_MAX_MESSAGE_BYTES", Self.defaultPayoutMaximumMessageBytes, in: 2_048...100_000_000, unit: "bytes")
            ?? Self.defaultPayoutMaximumMessageBytes
        let payoutSandboxMessageBytes = number("SANDBOX_PAYOUT_MAX_MESSAGE_BYTES", 1024 * 1024, in: 1_024...100_000_000, unit: "bytes") ?? 1024 * 1024
        if let executor = env["CONCURRENCY_ON_EVENT_LOOPS"], !["on", "off"].contains(executor) {
            problems.append("CONCURRENCY_ON_EVENT_LOOPS must be on or off (got \(executor))")
        }
        let bankSandboxState = env["SANDBOX_BANK_STATE"] ?? "file"
        if !["file", "memory"].contains(bankSandboxState) { problems.append("SANDBOX_BANK_STATE must be file or memory (got \(bankSandboxState))") }
        let email = EmailSettings.from(env, production: production, problems: &problems)
        let reportingEntity = ReportingEntitySettings.from(env, production: production, problems: &problems)
        let (telemetry, telemetryProblems) = TelemetryConfiguration.from(env)
        problems += telemetryProblems
        if !problems.isEmpty { throw ConfigError(problems: problems) }

        var config = AppConfig(
            environment: environment,
            host: host,
            port: port,
            database: database,
            publicBaseURL: publicBaseURL,
            dataDirectory: dataDirectory,
            secrets: secrets,
            sandboxesEnabled: sandboxes,
            providers: providers,
            // Load and crash tests drive one user far past the per-user limits (never in production).
            rateLimits: env["RATE_LIMITS"] == "off" ? [] : RateLimitRule.defaults,
            trustForwardedFor: env["TRUST_FORWARDED_FOR"] == "true",
            runsWorker: env["DROP_WORKER"] != "off",
            logLevel: env["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? (environment == .test ? .warning : .info),
            maxBodyBytes: env["MAX_BODY_BYTES"].flatMap(Int.init) ?? 256 * 1024
        )
        config.paymentLinkLifetime = TimeInterval(linkLifetime)
        config.jobLease = TimeInterval(jobLease)
        config.jobMaxClockSkew = jobMaxClockSkew
        config.idempotencyLease = TimeInterval(idempotencyLease)
        config.adminStepUp = StepUpPolicy(maxAge: stepUpMaxAge)
        config.customerStepUp = StepUpPolicy(maxAge: customerStepUpMaxAge)
        config.trustedProxies = trustedProxies.networks
        config.metricsToken = metricsToken
        config.databasePoolSize = poolSize
        config.databaseListenURL = databaseListenURL
        config.cachesSessions = env["SESSION_CACHE"] != "off"
        config.cachesTransactionLists = env["TRANSACTION_LIST_CACHE"] != "off"
        config.transactionListCacheMiB = listCacheMiB
        config.cachesBalances = env["BALANCE_CACHE"] != "off"
        config.warmStartCustomers = warmStartCustomers
        config.preparesStatements = env["PREPARED_STATEMENTS"] != "off"
        config.tasksRunOnEventLoops = Self.tasksRunOnEventLoops(env)
        config.payoutInterval = TimeInterval(payoutInterval)
        config.payoutSandboxSettlement = .seconds(payoutSandboxSettlement)
        config.payoutMaximumMessageBytes = payoutMessageBytes
        config.payoutSandboxMaximumMessageBytes = payoutSandboxMessageBytes
        config.bankSandboxStateInMemory = bankSandboxState == "memory"
        config.telemetry = telemetry
        config.email = email
        config.reportingEntity = reportingEntity
        return config
    }

    /// Whether async work runs on NIO's event loops (ADR 0016). The `drop` command decides this
    /// before it parses anything, so it reads the environment directly; `load` rejects other values.
    public static func tasksRunOnEventLoops(_ env: [String: String]) -> Bool {
        env["CONCURRENCY_ON_EVENT_LOOPS"] != "off"
    }

    /// Reads the client's address from the peer and, behind trusted proxies, `X-Forwarded-For`.
    public var clientAddressResolver: ClientAddressResolver {
        ClientAddressResolver(trustForwardedFor: trustForwardedFor, trustedProxies: trustedProxies)
    }

    /// `localhost`, `::1` and 127.0.0.0/8: only this machine can connect.
    static func isLoopback(_ host: String) -> Bool {
        if host.lowercased() == "localhost" { return true }
        guard let address = IPAddress(host) else { return false }
        return ClientAddressResolver.loopback.contains { $0.contains(address) }
    }
}

extension String {
    func trimmingSuffix(_ suffix: String) -> Substring {
        var value = Substring(self)
        while value.hasSuffix(suffix) { value = value.dropLast(suffix.count) }
        return value
    }
}
