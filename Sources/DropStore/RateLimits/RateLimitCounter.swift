import Foundation
import SQLKit

/// Fixed-window request counters in the database, so every server process sharing the database
/// sees the same counts. One atomic upsert per counted request.
public struct RateLimitCounter: Sendable {
    public let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// Counts one request against `key` in the window starting at `windowStart` (unix seconds)
    /// and returns the count including this request.
    public func hit(key: String, windowStart: Int64) async throws -> Int {
        try await database.withConnection { try await Self.hit(key: key, windowStart: windowStart, on: $0) }
    }

    /// The same on the caller's connection: inside its transaction, a count is kept only if the rest is.
    public static func hit(key: String, windowStart: Int64, on db: any SQLDatabase) async throws -> Int {
        let row = try await db.raw("""
            INSERT INTO rate_limits (key, window_start, count) VALUES (\(bind: key), \(bind: windowStart), 1)
            ON CONFLICT (key, window_start) DO UPDATE SET count = rate_limits.count + 1
            RETURNING count
            """).first()
        return try row?.decode(column: "count", as: Int.self) ?? 1
    }

    /// No limit counts over a longer window than this (a day): windows older are safe to drop.
    public static let longestWindow: Int64 = 86_400

    /// Drops windows that ended before `before` (unix seconds).
    public func purge(before: Int64) async throws {
        try await database.withConnection { db in
            try await db.raw("DELETE FROM rate_limits WHERE window_start < \(bind: before)").run()
        }
    }
}
