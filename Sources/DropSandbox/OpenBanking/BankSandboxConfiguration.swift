/// How a `BankSandbox` is set up: which TPP it accepts, where it keeps its state, how it
/// signs and retries payment-status webhooks.
public struct BankSandboxConfiguration: Sendable {
    /// The TPP's client id and secret, sent as HTTP Basic on every API call. A real ASPSP
    /// identifies the TPP by its eIDAS QWAC during the TLS handshake (RTS Art. 34); the sandbox
    /// runs over plain HTTP, so Basic credentials stand in for the certificate.
    public struct TPPCredentials: Sendable, Hashable {
        public let clientId: String
        public let clientSecret: String

        public init(clientId: String, clientSecret: String) {
            self.clientId = clientId
            self.clientSecret = clientSecret
        }
    }

    public var tppCredentials: TPPCredentials
    /// The secret `X-Drop-Signature` is computed with (Drop's open-banking webhook secret).
    public var webhookSecret: String
    /// The JSON file the sandbox keeps consents, payments, balances and its webhook outbox in;
    /// nil keeps them in memory only (the benchmark's bank, `SANDBOX_BANK_STATE=memory`).
    public var stateFilePath: String?
    /// Where the sandbox is mounted, for the absolute SCA links it hands out.
    public var mountPath: String
    /// Waits before the 2nd, 3rd, … delivery attempt of a webhook; after the last one it is dropped.
    public var webhookRetrySchedule: [Duration]
    /// How long Drop gets to answer a webhook.
    public var webhookTimeout: Duration
    /// A payment not approved or denied within this long is rejected (docs/flows.md, "Remittance": 15 min).
    public var scaTimeout: Duration

    public init(
        tppCredentials: TPPCredentials,
        webhookSecret: String,
        stateFilePath: String?,
        mountPath: String = "/sandbox/bank",
        webhookRetrySchedule: [Duration] = [.seconds(1), .seconds(5), .seconds(30), .seconds(120)],
        webhookTimeout: Duration = .seconds(5),
        scaTimeout: Duration = .seconds(15 * 60)
    ) {
        self.tppCredentials = tppCredentials
        self.webhookSecret = webhookSecret
        self.stateFilePath = stateFilePath
        self.mountPath = mountPath
        self.webhookRetrySchedule = webhookRetrySchedule
        self.webhookTimeout = webhookTimeout
        self.scaTimeout = scaTimeout
    }

    /// `<dataDirectory>/sandbox-bank.json`, where Drop keeps the sandbox's state.
    public static func stateFilePath(inDataDirectory dataDirectory: String) -> String {
        var directory = dataDirectory
        while directory.count > 1, directory.hasSuffix("/") { directory.removeLast() }
        return directory + "/sandbox-bank.json"
    }
}
