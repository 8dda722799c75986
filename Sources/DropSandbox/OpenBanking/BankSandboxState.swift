/// Everything the bank sandbox remembers, as saved in its state file.
struct BankSandboxState: Sendable, Codable {
    static let currentVersion = 1

    var version = currentVersion
    /// Every account the bank has opened, by account number.
    var accounts: [String: BankSandboxAccount] = [:]
    var consents: [String: BankSandboxConsent] = [:]
    var payments: [String: BankSandboxPayment] = [:]
    var periodicPayments: [String: BankSandboxPeriodicPayment] = [:]
    var outbox: [BankSandboxOutboxWebhook] = []
    var lastWebhookId = 0

    init() {}

    /// State files from before standing orders have no `periodicPayments`.
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        version = try container.decode(Int.self, forKey: .version)
        accounts = try container.decode([String: BankSandboxAccount].self, forKey: .accounts)
        consents = try container.decode([String: BankSandboxConsent].self, forKey: .consents)
        payments = try container.decode([String: BankSandboxPayment].self, forKey: .payments)
        periodicPayments = try container.decodeIfPresent([String: BankSandboxPeriodicPayment].self, forKey: .periodicPayments) ?? [:]
        outbox = try container.decode([BankSandboxOutboxWebhook].self, forKey: .outbox)
        lastWebhookId = try container.decode(Int.self, forKey: .lastWebhookId)
    }
}
