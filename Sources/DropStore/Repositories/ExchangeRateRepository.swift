import DropCore
import Foundation
import SQLKit

/// One published reference rate: `rate` units of `quote` for one unit of `base`, as a decimal string.
public struct ExchangeRateRecord: Codable, Sendable, Equatable {
    public var base: String
    public var quote: String
    public var rate: String
    /// The business day the rate was published for, "YYYY-MM-DD".
    public var asOf: String
    public var source: String
    public var fetchedAt: Date

    public init(base: String, quote: String, rate: String, asOf: String, source: String, fetchedAt: Date) {
        self.base = base
        self.quote = quote
        self.rate = rate
        self.asOf = asOf
        self.source = source
        self.fetchedAt = fetchedAt
    }
}

public enum ExchangeRateRepository {
    /// Inserts the rate, or refreshes it when that day's rate from that source is already stored
    /// (a feed may correct a value; the newest fetch wins).
    public static func upsert(_ rate: ExchangeRateRecord, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO exchange_rates (id, base, quote, rate, as_of, source, fetched_at)
            VALUES (\(bind: RecordID.make()), \(bind: rate.base), \(bind: rate.quote), \(bind: rate.rate),
                    \(bind: rate.asOf), \(bind: rate.source), \(bind: rate.fetchedAt))
            ON CONFLICT (base, quote, as_of, source) DO UPDATE SET rate = excluded.rate, fetched_at = excluded.fetched_at
            """).run()
    }

    /// The newest rate from `base` to each currency dated `today` ("YYYY-MM-DD") or before, sorted
    /// by currency. A row dated later was never published (and would stay the newest for good).
    public static func latest(base: String, notAfter today: String, on db: any SQLDatabase) async throws -> [ExchangeRateRecord] {
        let rows = try await db.raw("""
            SELECT e.base, e.quote, e.rate, e.as_of, e.source, e.fetched_at FROM exchange_rates e
            WHERE e.base = \(bind: base)
              AND e.as_of = (SELECT MAX(x.as_of) FROM exchange_rates x WHERE x.base = e.base AND x.quote = e.quote AND x.as_of <= \(bind: today))
            ORDER BY e.quote, e.fetched_at DESC
            """).all()
        var seen = Set<String>()
        return try rows.map(decode).filter { seen.insert($0.quote).inserted }
    }

    /// The newest rate from `base` to `quote` dated `today` ("YYYY-MM-DD") or before, nil when
    /// none is stored. A row dated later is passed over: it would price every quote from now on.
    public static func latest(base: String, quote: String, notAfter today: String, on db: any SQLDatabase) async throws -> ExchangeRateRecord? {
        try await db.rows(Newest(base: base, quote: quote, today: today)).first.map(decode)
    }

    /// Every quote, and every transfer priced from an amount, reads it: prepared on PostgreSQL.
    /// `$3` is compared with the text column `as_of`, so PostgreSQL infers its type.
    struct Newest: PreparedRead {
        static let sql = """
            SELECT base, quote, rate, as_of, source, fetched_at FROM exchange_rates
            WHERE base = $1 AND quote = $2 AND as_of <= $3
            ORDER BY as_of DESC, fetched_at DESC LIMIT 1
            """
        let base: String
        let quote: String
        let today: String
        var parameters: [String] { [base, quote, today] }
    }

    private static func decode(_ row: any SQLRow) throws -> ExchangeRateRecord {
        ExchangeRateRecord(base: try row.decode(column: "base", as: String.self), quote: try row.decode(column: "quote", as: String.self),
                           rate: try row.decode(column: "rate", as: String.self), asOf: try row.decode(column: "as_of", as: String.self),
                           source: try row.decode(column: "source", as: String.self),
                           fetchedAt: try row.decode(column: "fetched_at", as: Date.self))
    }
}
