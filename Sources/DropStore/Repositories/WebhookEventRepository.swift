import Foundation
import SQLKit

/// The webhook events already applied (`webhook_events`), so a redelivery changes nothing.
public enum WebhookEventRepository {
    /// Records the event on the caller's transaction; false when it was recorded before.
    public static func recordFirst(provider: String, eventId: String, payloadSHA256: String, at now: Date,
                                   on db: DatabaseConnection) async throws -> Bool {
        try await db.raw("""
            INSERT INTO webhook_events (provider, event_id, received_at, payload_sha256)
            VALUES (\(bind: provider), \(bind: eventId), \(bind: now), \(bind: payloadSHA256))
            ON CONFLICT (provider, event_id) DO NOTHING RETURNING event_id
            """).first() != nil
    }
}
