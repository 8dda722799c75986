/// Everything the sandbox remembers, as saved in its state file.
struct SumsubSandboxState: Codable, Sendable {
    /// Bumped when the file's shape changes incompatibly.
    static let currentVersion = 1

    var version = SumsubSandboxState.currentVersion
    /// By applicant id.
    var applicants: [String: SumsubSandboxApplicant] = [:]
    /// By token.
    var accessTokens: [String: SumsubSandboxAccessToken] = [:]
    /// Undelivered webhooks, oldest first.
    var outbox: [SumsubSandboxOutboxWebhook] = []
    /// The id of the most recent outbox entry.
    var lastWebhookId = 0
}
