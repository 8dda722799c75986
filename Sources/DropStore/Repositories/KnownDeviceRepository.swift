import Foundation
import SQLKit

/// A device the customer has signed in from, as their data export shows it.
public struct KnownDeviceRecord: Sendable, Equatable {
    /// `web` or `mobile`.
    public let client: String
    public let firstSeenAt: Date
    public let lastSeenAt: Date
}

/// `known_devices`: where a customer has signed in from.
public enum KnownDeviceRepository {
    /// Records a sign-in from the device. - Returns: whether the device is new to this customer while
    /// they already had another one (the case to tell them about; a first sign-in ever is not).
    public static func remember(userId: String, deviceSHA256: String, client: String, at now: Date,
                                on db: any SQLDatabase) async throws -> Bool {
        let known = try await db.raw("""
            UPDATE known_devices SET last_seen_at = \(bind: now) WHERE user_id = \(bind: userId) AND device_sha256 = \(bind: deviceSHA256)
            RETURNING user_id
            """).first() != nil
        guard !known else { return false }
        let others = try await db.raw("SELECT COUNT(*) AS n FROM known_devices WHERE user_id = \(bind: userId)").first()?
            .decode(column: "n", as: Int.self) ?? 0
        try await db.raw("""
            INSERT INTO known_devices (user_id, device_sha256, client, first_seen_at, last_seen_at)
            VALUES (\(bind: userId), \(bind: deviceSHA256), \(bind: client), \(bind: now), \(bind: now))
            ON CONFLICT (user_id, device_sha256) DO UPDATE SET last_seen_at = excluded.last_seen_at
            """).run()
        return others > 0
    }

    /// Data minimisation: devices not used since `date` are deleted.
    public static func forget(unusedSince date: Date, on db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM known_devices WHERE last_seen_at < \(bind: date)").run()
    }

    /// The customer's devices, first seen first. The device's hash stays out: it names nothing outside Drop.
    public static func all(userId: String, on db: any SQLDatabase) async throws -> [KnownDeviceRecord] {
        try await db.raw("""
            SELECT client, first_seen_at, last_seen_at FROM known_devices WHERE user_id = \(bind: userId) ORDER BY first_seen_at, device_sha256
            """).all().map {
                KnownDeviceRecord(client: try $0.decode(column: "client", as: String.self), firstSeenAt: try $0.decode(column: "first_seen_at", as: Date.self),
                                  lastSeenAt: try $0.decode(column: "last_seen_at", as: Date.self))
            }
    }
}
