/// How a `PayoutSandbox` is set up: whom it accepts, where it keeps its state, how fast it settles.
public struct PayoutSandboxConfiguration: Sendable {
    /// The client id and secret the partner issued to Drop, sent as HTTP Basic on every call.
    public struct Credentials: Sendable, Hashable {
        public let clientId: String
        public let clientSecret: String

        public init(clientId: String, clientSecret: String) {
            self.clientId = clientId
            self.clientSecret = clientSecret
        }
    }

    public var credentials: Credentials
    /// The JSON file the sandbox keeps accepted messages, their transactions' statuses and its
    /// idempotency records in.
    public var stateFilePath: String
    /// Where the sandbox is mounted, for the `Location` of a message's status report.
    public var mountPath: String
    /// From acceptance until a transaction is settled (`ACSC`) or rejected (`RJCT`).
    public var settlementDelay: Duration
    /// From settlement until the creditor's account is credited (`ACCC`); zero goes straight to `ACCC`.
    public var creditDelay: Duration
    /// Larger pain.001 bodies are refused with 413.
    public var maximumMessageBytes: Int
    /// From a return's request until the NOK is back in the sender's account.
    public var returnDelay: Duration

    public init(
        credentials: Credentials,
        stateFilePath: String,
        mountPath: String = "/sandbox/payout",
        settlementDelay: Duration = .seconds(30),
        creditDelay: Duration = .zero,
        maximumMessageBytes: Int = 1024 * 1024,
        returnDelay: Duration = .seconds(60)
    ) {
        self.credentials = credentials
        self.stateFilePath = stateFilePath
        self.mountPath = mountPath
        self.settlementDelay = settlementDelay
        self.creditDelay = creditDelay
        self.maximumMessageBytes = maximumMessageBytes
        self.returnDelay = returnDelay
    }

    /// `<dataDirectory>/sandbox-payout.json`.
    public static func stateFilePath(inDataDirectory dataDirectory: String) -> String {
        var directory = dataDirectory
        while directory.count > 1, directory.hasSuffix("/") { directory.removeLast() }
        return directory + "/sandbox-payout.json"
    }
}
