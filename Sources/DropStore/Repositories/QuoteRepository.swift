import Foundation
import SQLKit

/// A priced remittance as stored: amounts in minor units, the rate as the decimal string it was
/// priced with, so a transfer made from it pays exactly what the customer was shown.
public struct QuoteRecord: Codable, Sendable, Equatable {
    public var id: String
    public var userId: String
    public var country: String
    public var sendMinor: Int64
    public var sendCurrency: String
    public var feeMinor: Int64
    public var totalMinor: Int64
    public var receiveMinor: Int64
    public var receiveCurrency: String
    public var rate: String
    public var rateAsOf: String
    public var createdAt: Date
    public var expiresAt: Date
    public var usedAt: Date?

    public init(id: String, userId: String, country: String, sendMinor: Int64, sendCurrency: String, feeMinor: Int64,
                totalMinor: Int64, receiveMinor: Int64, receiveCurrency: String, rate: String, rateAsOf: String,
                createdAt: Date, expiresAt: Date, usedAt: Date? = nil) {
        self.id = id
        self.userId = userId
        self.country = country
        self.sendMinor = sendMinor
        self.sendCurrency = sendCurrency
        self.feeMinor = feeMinor
        self.totalMinor = totalMinor
        self.receiveMinor = receiveMinor
        self.receiveCurrency = receiveCurrency
        self.rate = rate
        self.rateAsOf = rateAsOf
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.usedAt = usedAt
    }
}

public enum QuoteRepository {
    static let columns = """
        id, user_id, country, send_minor, send_currency, fee_minor, total_minor, receive_minor, receive_currency,
        rate, rate_as_of, created_at, expires_at, used_at
        """

    public static func insert(_ quote: QuoteRecord, on db: any SQLDatabase) async throws {
        try await db.runBatched("""
            INSERT INTO quotes (\(unsafeRaw: columns))
            VALUES (\(bind: quote.id), \(bind: quote.userId), \(bind: quote.country), \(bind: quote.sendMinor),
                    \(bind: quote.sendCurrency), \(bind: quote.feeMinor), \(bind: quote.totalMinor), \(bind: quote.receiveMinor),
                    \(bind: quote.receiveCurrency), \(bind: quote.rate), \(bind: quote.rateAsOf), \(bind: quote.createdAt),
                    \(bind: quote.expiresAt), \(bind: quote.usedAt))
            """)
    }

    /// The user's quote `id`; nil when it does not exist or is someone else's.
    public static func find(id: String, userId: String, on db: any SQLDatabase) async throws -> QuoteRecord? {
        try await db.raw("SELECT \(unsafeRaw: columns) FROM quotes WHERE id = \(bind: id) AND user_id = \(bind: userId)")
            .first().map { try $0.decode(model: QuoteRecord.self, keyDecodingStrategy: .snakeCaseColumns) }
    }

    /// Deletes quotes that expired before `before` without a transfer taking them, at most `limit`
    /// at a time (index `quotes_unused_expiry`); returns how many. The quote a transfer priced by
    /// (`transactions.quote_id`) stays: the transfer marks it used in its own transaction.
    @discardableResult
    public static func purgeUnused(expiredBefore before: Date, limit: Int = 1000, on db: any SQLDatabase) async throws -> Int {
        try await db.raw("""
            DELETE FROM quotes WHERE id IN (
                SELECT id FROM quotes WHERE used_at IS NULL AND expires_at < \(bind: before) LIMIT \(bind: limit))
            RETURNING id
            """).all().count
    }

    /// Marks the quote used, once: false when it was already used (or is not the user's), so two
    /// transfers racing for one quote cannot both take it.
    public static func markUsed(id: String, userId: String, at: Date, on db: any SQLDatabase) async throws -> Bool {
        try await db.raw("""
            UPDATE quotes SET used_at = \(bind: at)
            WHERE id = \(bind: id) AND user_id = \(bind: userId) AND used_at IS NULL
            RETURNING id
            """).first() != nil
    }
}
