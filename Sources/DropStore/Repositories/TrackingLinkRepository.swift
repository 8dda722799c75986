import DropCore
import Foundation
import SQLKit

/// What the receiver's tracking page shows about one transfer, and nothing more.
public struct TrackedTransfer: Sendable, Equatable {
    public let transactionId: String
    /// The sender (never shown to the receiver).
    public let userId: String
    /// `remittance` or `qr_payment`: only a remittance has a receiver to follow it.
    public let kind: TransactionKind
    public let status: TransferStatus
    /// What the receiver gets, in their currency.
    public let receive: Money?
    public let payeeCountry: String?
    public let payerGivenName: String?
    public let payerName: String?
    /// Whether the payer approved it at their bank at some point (where an ended transfer stopped).
    public let wasApproved: Bool
    public let createdAt: Date
    public let updatedAt: Date
    public let completedAt: Date?
}

/// Tracking links by the SHA-256 of their token (the token itself is never stored).
public enum TrackingLinkRepository {
    /// Makes `tokenSHA256` the transfer's one link: an earlier one stops working.
    public static func replace(transactionId: String, userId: String, tokenSHA256: String, at now: Date, on db: any SQLDatabase) async throws {
        // One statement: two shares at once (a double tap) each replace the link, and the second no longer
        // fails on the transfer's unique link after the first's insert.
        try await db.raw("""
            INSERT INTO tracking_links (token_sha256, transaction_id, user_id, created_at)
            VALUES (\(bind: tokenSHA256), \(bind: transactionId), \(bind: userId), \(bind: now))
            ON CONFLICT (transaction_id) DO UPDATE SET token_sha256 = excluded.token_sha256, user_id = excluded.user_id,
                created_at = excluded.created_at
            """).run()
    }

    /// Stops sharing. Returns whether there was a link.
    public static func delete(transactionId: String, on db: any SQLDatabase) async throws -> Bool {
        try await db.raw("DELETE FROM tracking_links WHERE transaction_id = \(bind: transactionId) RETURNING token_sha256").first() != nil
    }

    /// The customer's transfers shared with their receivers, and since when, newest first (the links
    /// themselves can't be given back: only their tokens' hashes are stored).
    public static func shared(userId: String, on db: any SQLDatabase) async throws -> [(transactionId: String, createdAt: Date)] {
        try await db.raw("""
            SELECT transaction_id, created_at FROM tracking_links WHERE user_id = \(bind: userId) ORDER BY created_at DESC, transaction_id
            """).all().map { (try $0.decode(column: "transaction_id", as: String.self), try $0.decode(column: "created_at", as: Date.self)) }
    }

    /// Whether the transfer has a link out.
    public static func exists(transactionId: String, on db: any SQLDatabase) async throws -> Bool {
        try await db.raw("SELECT 1 AS one FROM tracking_links WHERE transaction_id = \(bind: transactionId)").first() != nil
    }

    /// The transfer a token points at, if any (whether it is still open is DropCore's to decide).
    public static func transfer(tokenSHA256: String, on db: any SQLDatabase) async throws -> TrackedTransfer? {
        try await db.raw("""
            SELECT \(unsafeRaw: columns)
            FROM tracking_links l JOIN transactions t ON t.id = l.transaction_id JOIN users u ON u.id = t.user_id
            WHERE l.token_sha256 = \(bind: tokenSHA256) AND u.deleted_at IS NULL
            """).first().map(trackedTransfer)
    }

    /// The same view of a transfer by its id, for the sender sharing it.
    public static func transfer(transactionId: String, on db: any SQLDatabase) async throws -> TrackedTransfer? {
        try await db.raw("""
            SELECT \(unsafeRaw: columns) FROM transactions t JOIN users u ON u.id = t.user_id WHERE t.id = \(bind: transactionId)
            """).first().map(trackedTransfer)
    }

    /// An erased payer's name stays on their row for compliance only (ADR 0027): never read here.
    private static let columns = """
        t.id, t.user_id, t.kind, t.status, t.target_amount_minor, t.target_currency, t.payee_country, t.created_at, t.updated_at, t.completed_at,
        CASE WHEN u.deleted_at IS NULL THEN u.given_name END AS given_name, CASE WHEN u.deleted_at IS NULL THEN u.name END AS name,
        EXISTS (SELECT 1 FROM transaction_events e WHERE e.transaction_id = t.id AND e.to_status = 'processing') AS approved
        """

    /// SQLite answers EXISTS with an integer, PostgreSQL with a boolean.
    private static func approved(_ row: any SQLRow) throws -> Bool {
        if let flag = try? row.decode(column: "approved", as: Bool.self) { return flag }
        return try row.decode(column: "approved", as: Int.self) != 0
    }

    private static func trackedTransfer(_ row: any SQLRow) throws -> TrackedTransfer {
        let rawStatus = try row.decode(column: "status", as: String.self)
        guard let status = TransferStatus(rawValue: rawStatus) else { throw TransactionStatusError.unknownStatus(rawStatus) }
        let receive: Money? = if let minor = try row.decode(column: "target_amount_minor", as: Int64?.self),
                                 let code = try row.decode(column: "target_currency", as: String?.self), let currency = Currency(rawValue: code) {
            Money(minorUnits: minor, currency: currency)
        } else {
            nil
        }
        return TrackedTransfer(
            transactionId: try row.decode(column: "id", as: String.self), userId: try row.decode(column: "user_id", as: String.self),
            kind: try row.decode(column: "kind", caseOf: TransactionKind.self), status: status, receive: receive,
            payeeCountry: try row.decode(column: "payee_country", as: String?.self),
            payerGivenName: try row.decode(column: "given_name", as: String?.self), payerName: try row.decode(column: "name", as: String?.self),
            wasApproved: try approved(row),
            createdAt: try row.decode(column: "created_at", as: Date.self), updatedAt: try row.decode(column: "updated_at", as: Date.self),
            completedAt: try row.decode(column: "completed_at", as: Date?.self))
    }
}
