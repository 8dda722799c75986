import Foundation

/// A payment-status webhook not yet acknowledged by Drop.
struct BankSandboxOutboxWebhook: SandboxOutboxWebhook, Codable {
    let id: Int
    let paymentId: String
    /// The exact JSON sent; the signature is made over these bytes at each attempt.
    let body: String
    var attempts: Int
    var nextAttemptAt: Date

    var orderingKey: String { paymentId }
}
