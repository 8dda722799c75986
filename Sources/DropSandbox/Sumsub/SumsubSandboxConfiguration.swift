/// How a `SumsubSandbox` is set up: whom it accepts, where it keeps its state, how it signs and
/// retries webhooks.
public struct SumsubSandboxConfiguration: Sendable {
    /// An app token and its secret key: the pair a Sumsub customer (Drop) signs requests with.
    public struct AppCredential: Sendable, Hashable {
        public let appToken: String
        public let secretKey: String

        public init(appToken: String, secretKey: String) {
            self.appToken = appToken
            self.secretKey = secretKey
        }
    }

    /// Who may call the API; every request must be signed with one of these.
    public var credentials: [AppCredential]
    /// The secret webhooks are signed with (Drop's `SUMSUB_WEBHOOK_SECRET`).
    public var webhookSecret: String
    /// The JSON file the sandbox keeps its applicants, tokens and undelivered webhooks in.
    public var stateFilePath: String
    /// Verification levels applicants may be created in (names are case-sensitive, as at Sumsub).
    public var levelNames: Set<String>
    /// The `clientId` Sumsub reports in applicants and webhooks.
    public var clientId: String
    /// Waits before the 2nd, 3rd, … delivery attempt of a webhook; after the last one it is dropped.
    /// Sumsub waits 5 min, 1 h, 5 h, 18 h, too slow for a laptop.
    public var webhookRetrySchedule: [Duration]
    /// How long a webhook receiver gets to answer (Sumsub: 5 s).
    public var webhookTimeout: Duration
    /// Try the first delivery while answering the WebSDK submit or `testCompleted`, so Drop knows the
    /// outcome by the time the browser comes back; failures are retried on the schedule.
    public var deliversWebhooksBeforeResponding: Bool
    /// How far `X-App-Access-Ts` may be from the sandbox's clock (Sumsub: about a minute).
    public var timestampTolerance: Duration

    public init(
        credentials: [AppCredential],
        webhookSecret: String,
        stateFilePath: String,
        levelNames: Set<String> = ["basic-kyc-level"],
        clientId: String = "drop",
        webhookRetrySchedule: [Duration] = [.seconds(2), .seconds(10), .seconds(60), .seconds(300)],
        webhookTimeout: Duration = .seconds(5),
        deliversWebhooksBeforeResponding: Bool = true,
        timestampTolerance: Duration = .seconds(60)
    ) {
        self.credentials = credentials
        self.webhookSecret = webhookSecret
        self.stateFilePath = stateFilePath
        self.levelNames = levelNames
        self.clientId = clientId
        self.webhookRetrySchedule = webhookRetrySchedule
        self.webhookTimeout = webhookTimeout
        self.deliversWebhooksBeforeResponding = deliversWebhooksBeforeResponding
        self.timestampTolerance = timestampTolerance
    }

    /// `<dataDirectory>/sandbox-sumsub.json`, where Drop keeps the sandbox's state.
    public static func stateFilePath(inDataDirectory dataDirectory: String) -> String {
        var directory = dataDirectory
        while directory.count > 1, directory.hasSuffix("/") { directory.removeLast() }
        return directory + "/sandbox-sumsub.json"
    }
}
