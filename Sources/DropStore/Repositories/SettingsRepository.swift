import Foundation
import SQLKit

/// A user's preferences as key/value pairs (notification channels, theme…).
public enum SettingsRepository {
    public static func all(userId: String, on db: any SQLDatabase) async throws -> [String: String] {
        let rows = try await db.raw("SELECT key, value FROM settings WHERE user_id = \(bind: userId)").all()
        var settings: [String: String] = [:]
        for row in rows {
            settings[try row.decode(column: "key", as: String.self)] = try row.decode(column: "value", as: String.self)
        }
        return settings
    }

    public static func put(userId: String, key: String, value: String, at now: Date, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO settings (user_id, key, value, updated_at) VALUES (\(bind: userId), \(bind: key), \(bind: value), \(bind: now))
            ON CONFLICT (user_id, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
            """).run()
    }
}
