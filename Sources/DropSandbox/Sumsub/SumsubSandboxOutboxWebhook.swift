import Foundation

/// A webhook waiting to be acknowledged by Drop. The body is kept as the exact bytes first sent,
/// so every redelivery carries the same payload and digest, as Sumsub's do.
struct SumsubSandboxOutboxWebhook: SandboxOutboxWebhook, Codable, Identifiable {
    /// Increasing in creation order; webhooks of one applicant are delivered in this order.
    let id: Int
    let applicantId: String
    let type: String
    let body: String
    /// Delivery attempts made so far.
    var attempts: Int
    var nextAttemptAt: Date

    var orderingKey: String { applicantId }
}
