/// Everything the bank sandbox remembers, as saved in its state file.
struct BankSandboxState: Sendable, Codable {
    static let currentVersion = 1

    var version = currentVersion
    /// Every account the bank has opened, by account number.
    var accounts: [String: BankSandboxAccount] = [:]
    var consents: [String: BankSandboxConsent] = [:]
    var payments: [String: BankSandboxPayment] = [:]
    var outbox: [BankSandboxOutboxWebhook] = []
    var lastWebhookId = 0
}
