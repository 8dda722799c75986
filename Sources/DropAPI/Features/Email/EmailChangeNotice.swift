import DropCore
import DropStore
import Foundation

/// When a confirmed address is replaced or removed, the old address is told ("your email was
/// changed; if it wasn't you, sign out everywhere"): whoever changed it, with a session that wasn't
/// theirs, would otherwise receive the customer's transfers and sign-in alerts from then on unseen.
/// Written by `EmailJobs` in the customer's language.
public enum EmailChangeNotice {
    public static let jobKind = "email.address-changed"

    /// The job's payload: the old address is in it because it is nowhere else any more; a sent job
    /// is purged with the others.
    public struct Payload: Codable, Sendable {
        public let userId: String
        public let previousAddress: String
    }

    /// Queued in the caller's transaction, with the change.
    static func queue(userId: String, previousAddress: String, at now: Date, on db: DatabaseConnection) async throws {
        try await JobQueue.enqueue(kind: jobKind, payload: String(decoding: try JSON.encoder.encode(Payload(userId: userId, previousAddress: previousAddress)), as: UTF8.self),
                                   runAt: now, maxAttempts: 8, now: now, on: db)
    }
}
