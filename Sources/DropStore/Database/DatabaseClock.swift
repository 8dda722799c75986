import Foundation
import SQLKit

/// The database's own clock, the one every Drop process shares. Each process stamps leases and expiries with its
/// own clock (`locked_until`, `claimed_until`), and another process compares them with its own: when two clocks
/// disagree by more than a lease, a process whose clock runs ahead takes over the jobs other workers are running,
/// and one whose clock lags loses every job it claims as it claims it. Reading this clock lets a worker find out.
public enum DatabaseClock {
    /// How far `now` (this process's clock) is ahead of the database's, in seconds (negative: behind). Half the
    /// query's round trip, measured on `now`, is allowed for.
    public static func offset(of now: @Sendable () -> Date, in database: Database) async throws -> TimeInterval {
        let sql: SQLQueryString = database.dialect == .postgres
            ? "SELECT CAST(EXTRACT(EPOCH FROM clock_timestamp()) AS DOUBLE PRECISION) AS now"
            : "SELECT (julianday('now') - 2440587.5) * 86400.0 AS now"
        let before = now()
        let seconds = try await database.withConnection { db in
            try await db.raw(sql).first()?.decode(column: "now", as: Double.self)
        }
        let after = now()
        guard let seconds else { return 0 }
        let midway = before.addingTimeInterval(after.timeIntervalSince(before) / 2)
        return midway.timeIntervalSince1970 - seconds
    }
}
