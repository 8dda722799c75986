import Foundation
import SQLKit

/// pain.001 messages sent to the payout partner, as stored before sending.
public enum PayoutRepository {
    public static func pain001(idOrMessageId: String, on db: any SQLDatabase) async throws -> String? {
        try await db.raw("""
            SELECT pain001 FROM payouts WHERE id = \(bind: idOrMessageId) OR message_id = \(bind: idOrMessageId)
            """).first()?.decode(column: "pain001", as: String.self)
    }
}
