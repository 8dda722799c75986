/// Every environment variable Drop reads, with what it is for. `drop config check` walks this list;
/// the README's configuration table says the same for people.
public struct ConfigVariable: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// Printed as it is.
        case setting
        /// Never printed: only whether it is set, where from and how long it is.
        case secret
        /// A URL whose password is masked when printed (`DATABASE_URL`).
        case connectionURL
    }

    public let name: String
    public let kind: Kind
    public let meaning: String

    public init(_ name: String, _ kind: Kind, _ meaning: String) {
        self.name = name
        self.kind = kind
        self.meaning = meaning
    }
}

public enum ConfigCatalog {
    public static let variables: [ConfigVariable] = [
        .init("DROP_ENV", .setting, "development (default), test or production"),
        .init("HOST", .setting, "address to listen on (loopback only in development)"),
        .init("PORT", .setting, "port to listen on"),
        .init("DATABASE_URL", .connectionURL, "sqlite:<path> or postgres://user:pass@host:port/db"),
        .init("DATABASE_POOL_SIZE", .setting, "database connections per process"),
        .init("DATABASE_LISTEN_URL", .connectionURL, "postgres:// URL for the session-change listener alone, direct or session-mode pooler (default: DATABASE_URL)"),
        .init("PUBLIC_BASE_URL", .setting, "the https:// address people and providers reach Drop at"),
        .init("DROP_DATA_DIR", .setting, "development secrets, sandbox keys and state"),
        .init("JWT_SECRET", .secret, "signs session tokens"),
        .init("PID_PEPPER", .secret, "keys the hash that finds a customer by national identity number"),
        .init("PID_ENCRYPTION_KEY", .secret, "seals the national identity number sent to banks as PSU-ID"),
        .init("OPENBANKING_WEBHOOK_SECRET", .secret, "verifies the banks' payment-status webhooks"),
        .init("SUMSUB_WEBHOOK_SECRET", .secret, "verifies Sumsub's webhooks"),
        .init("PAYMENT_LINK_SECRET", .secret, "signs merchants' fixed-amount payment links"),
        .init("METRICS_TOKEN", .secret, "bearer token /metrics asks for"),
        .init("JWT_SECRET_PREVIOUS", .secret, "during a rotation: the old JWT_SECRET, still accepted"),
        .init("OPENBANKING_WEBHOOK_SECRET_PREVIOUS", .secret, "during a rotation: the old webhook secret, still accepted"),
        .init("SUMSUB_WEBHOOK_SECRET_PREVIOUS", .secret, "during a rotation: the old webhook secret, still accepted"),
        .init("PAYMENT_LINK_SECRET_PREVIOUS", .secret, "during a rotation: the old link secret, still accepted"),
        .init("PID_PEPPER_PREVIOUS", .secret, "during a rotation: the old pepper, still finds a person until every row is re-hashed"),
        .init("PID_ENCRYPTION_KEY_PREVIOUS", .secret, "during a rotation: the old key, still opens sealed numbers until every row is re-sealed"),
        .init("BANKID_ISSUER", .setting, "BankID OpenID Connect issuer"),
        .init("BANKID_CLIENT_ID", .setting, "Drop's client id at BankID"),
        .init("BANKID_CLIENT_SECRET", .secret, "Drop's client secret at BankID"),
        .init("OPENBANKING_BASE_URL", .setting, "NextGenPSD2 ASPSP or aggregator"),
        .init("OPENBANKING_CLIENT_ID", .setting, "Drop's TPP id at the banks"),
        .init("OPENBANKING_CLIENT_SECRET", .secret, "Drop's TPP secret at the banks"),
        .init("SUMSUB_BASE_URL", .setting, "Sumsub API"),
        .init("SUMSUB_APP_TOKEN", .secret, "Sumsub app token"),
        .init("SUMSUB_SECRET_KEY", .secret, "Sumsub request-signing key"),
        .init("PAYOUT_BASE_URL", .setting, "ISO 20022 payout partner"),
        .init("PAYOUT_COLLECTION_ACCOUNT", .setting, "the partner's NOK account customers' banks pay into"),
        .init("PAYOUT_COLLECTION_NAME", .setting, "that account's holder"),
        .init("PAYOUT_PARTNER_BIC", .setting, "the partner's BIC"),
        .init("PAYOUT_CLIENT_ID", .setting, "Drop's id at the payout partner"),
        .init("PAYOUT_CLIENT_SECRET", .secret, "Drop's secret at the payout partner"),
        .init("PAYOUT_MAX_MESSAGE_BYTES", .setting, "largest pain.001 Drop writes; keep it under the partner's cap (default 1000000)"),
        .init("FX_FEED_URL", .setting, "Norges Bank reference rates"),
        .init("DROP_SANDBOXES", .setting, "mount the simulated providers (never in production)"),
        .init("DROP_WORKER", .setting, "off = this server runs no background jobs"),
        .init("TRUST_FORWARDED_FOR", .setting, "take the client address from trusted proxies' headers"),
        .init("TRUSTED_PROXIES", .setting, "your reverse proxies, as CIDRs"),
        .init("LOG_LEVEL", .setting, "trace, debug, info, notice, warning, error or critical"),
        .init("MAX_BODY_BYTES", .setting, "largest request body accepted"),
        .init("RATE_LIMITS", .setting, "off lifts the rate limits (load, crash and browser tests only)"),
        .init("PAYMENT_LINK_TTL_SECONDS", .setting, "how long a fixed-amount payment link stays payable"),
        .init("ADMIN_STEP_UP_MAX_AGE", .setting, "how recent an admin's BankID sign-in must be for admin writes"),
        .init("CUSTOMER_STEP_UP_MAX_AGE", .setting, "how recent a customer's BankID sign-in must be to change a recipient's bank details, email or phone"),
        .init("JOB_LEASE_SECONDS", .setting, "how long a dead worker's job waits before another worker takes it"),
        .init("JOB_MAX_CLOCK_SKEW_SECONDS", .setting, "how far this host's clock may be from the database's before its job worker claims nothing (default 10; off only in tests)"),
        .init("IDEMPOTENCY_LEASE_SECONDS", .setting, "how long a dead server's payment request holds its Idempotency-Key before a retry resumes it (default 20)"),
        .init("PAYOUT_INTERVAL_SECONDS", .setting, "how often the worker sends payouts to the partner and reads its reports (default 30)"),
        .init("SANDBOX_PAYOUT_SETTLEMENT_SECONDS", .setting, "how long the payout sandbox takes to settle a payment (default 30)"),
        .init("SANDBOX_PAYOUT_MAX_MESSAGE_BYTES", .setting, "largest pain.001 the payout sandbox takes before 413 (default 1048576)"),
        .init("SANDBOX_BANK_STATE", .setting, "memory = the bank sandbox keeps its ledger in memory only (benchmarks); default file"),
        .init("SMTP_URL", .connectionURL, "mail server: smtp://user:pass@host:587 (STARTTLS), smtps://…:465, or smtp://127.0.0.1:25?tls=none"),
        .init("EMAIL_FROM", .setting, "who Drop's email is from, e.g. Drop <no-reply@drop.no>"),
        .init("FIU_REPORTING_ENTITY_ID", .setting, "the id the FIU gave Drop as a reporting entity (goAML rentity_id), on every STR"),
        .init("DROP_ORGANISATION_NUMBER", .setting, "Drop's organisation number, on every STR"),
        .init("DROP_LEGAL_NAME", .setting, "Drop's legal name on STRs (default Drop AS)"),
        .init("SESSION_CACHE", .setting, "off = check the session row on every request (no per-process session cache)"),
        .init("WARM_START_CUSTOMERS", .setting, "customers signed in lately read into memory before `drop serve` takes requests (default 5,000; 0 = off)"),
        .init("TRANSACTION_LIST_CACHE", .setting, "off = read the newest page of each transaction list from the database every time"),
        .init("TRANSACTION_LIST_CACHE_MIB", .setting, "memory per process for the kept transaction lists, about 25 KiB a customer (default 128)"),
        .init("CONCURRENCY_ON_EVENT_LOOPS", .setting, "off = async work runs on Swift's own thread pool, not on NIO's event loops (default on)"),
        .init("BALANCE_CACHE", .setting, "off = read the accounts from the database on every GET /v1/balance"),
        .init("OTEL_EXPORTER_OTLP_ENDPOINT", .setting, "OpenTelemetry collector (OTLP/HTTP); traces go to <it>/v1/traces, metrics to <it>/v1/metrics"),
        .init("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", .setting, "the full OTLP traces URL, instead of the endpoint above"),
        .init("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", .setting, "the full OTLP metrics URL, instead of the endpoint above"),
        .init("OTEL_METRIC_EXPORT_INTERVAL", .setting, "milliseconds between metrics pushes (default 60000)"),
        .init("OTEL_TRACES_EXPORTER", .setting, "none = no traces even with an endpoint set"),
        .init("OTEL_METRICS_EXPORTER", .setting, "none = no metrics push (the /metrics scrape stays)"),
        .init("OTEL_EXPORTER_OTLP_HEADERS", .secret, "headers for the collector, key=value,… (often an API key)"),
        .init("OTEL_SERVICE_NAME", .setting, "service.name on every span (default drop)"),
        .init("OTEL_RESOURCE_ATTRIBUTES", .setting, "more resource attributes, key=value,…"),
        .init("SENTRY_DSN", .secret, "error tracker for unhandled errors and 5xx answers (no personal data)"),
        .init("SENTRY_RELEASE", .setting, "the release reported with each error"),
    ]

    public static func variable(named name: String) -> ConfigVariable? {
        variables.first { $0.name == name }
    }
}
