import Foundation
import SQLKit

/// One consent decision. Consents are versioned and never overwritten: each grant or withdrawal
/// is a new row, and the latest row per type is the current state.
public struct ConsentRecord: Codable, Sendable, Equatable {
    public var id: String
    public var userId: String
    public var type: String
    public var version: String
    public var granted: Bool
    public var recordedAt: Date

    public init(id: String, userId: String, type: String, version: String, granted: Bool, recordedAt: Date) {
        self.id = id
        self.userId = userId
        self.type = type
        self.version = version
        self.granted = granted
        self.recordedAt = recordedAt
    }
}

public enum ConsentRepository {
    public static func insert(_ consent: ConsentRecord, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO consents (id, user_id, type, version, granted, recorded_at)
            VALUES (\(bind: consent.id), \(bind: consent.userId), \(bind: consent.type), \(bind: consent.version),
                    \(bind: consent.granted), \(bind: consent.recordedAt))
            """).run()
    }

    /// The latest decision per consent type.
    public static func latest(userId: String, on db: any SQLDatabase) async throws -> [String: ConsentRecord] {
        let rows = try await db.raw("""
            SELECT id, user_id, type, version, granted, recorded_at FROM consents
            WHERE user_id = \(bind: userId) ORDER BY recorded_at, id
            """).all()
        var latest: [String: ConsentRecord] = [:]
        for row in rows {
            let record = try row.decode(model: ConsentRecord.self, keyDecodingStrategy: .snakeCaseColumns)
            latest[record.type] = record
        }
        return latest
    }

    public static func history(userId: String, on db: any SQLDatabase) async throws -> [ConsentRecord] {
        try await db.raw("""
            SELECT id, user_id, type, version, granted, recorded_at FROM consents WHERE user_id = \(bind: userId) ORDER BY recorded_at, id
            """).all().map { try $0.decode(model: ConsentRecord.self, keyDecodingStrategy: .snakeCaseColumns) }
    }
}
