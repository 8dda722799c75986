import DropCore
import Foundation
import SQLKit

/// The release proposals waiting for a second officer (`ReleaseProposal`), one per held transfer.
public enum ReleaseProposalRepository {
    /// Records the proposal unless a live one (made at or after `lapsedBefore`) is already there; a
    /// lapsed one is replaced. False when a live one stands (one statement: two proposals at once
    /// can't both win).
    public static func propose(_ proposal: ReleaseProposal, lapsedBefore: Date, on db: any SQLDatabase) async throws -> Bool {
        try await db.raw("""
            INSERT INTO release_proposals (transaction_id, id, proposed_by, reason, proposed_at)
            VALUES (\(bind: proposal.transactionId), \(bind: proposal.id), \(bind: proposal.proposedBy), \(bind: proposal.reason), \(bind: proposal.proposedAt))
            ON CONFLICT (transaction_id) DO UPDATE SET id = excluded.id, proposed_by = excluded.proposed_by, reason = excluded.reason,
                proposed_at = excluded.proposed_at
            WHERE release_proposals.proposed_at < \(bind: lapsedBefore)
            RETURNING transaction_id
            """).first() != nil
    }

    public static func find(transactionId: String, on db: any SQLDatabase) async throws -> ReleaseProposal? {
        try await db.raw("""
            SELECT transaction_id, id, proposed_by, reason, proposed_at FROM release_proposals WHERE transaction_id = \(bind: transactionId)
            """).first().map(proposal)
    }

    /// The proposals on these transfers, by transfer id (a page of the review queue).
    public static func find(transactionIds: [String], on db: any SQLDatabase) async throws -> [String: ReleaseProposal] {
        guard !transactionIds.isEmpty else { return [:] }
        let rows = try await db.raw("""
            SELECT transaction_id, id, proposed_by, reason, proposed_at FROM release_proposals
            WHERE transaction_id IN (\(SQLList(transactionIds.map { SQLBind($0) })))
            """).all()
        return Dictionary(try rows.map(proposal).map { ($0.transactionId, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Takes the very proposal an approval was checked against, in the release's DB transaction. False
    /// when it is gone or was replaced meanwhile (withdrawn, refused, or another approval took it first).
    public static func take(_ proposal: ReleaseProposal, on db: any SQLDatabase) async throws -> Bool {
        try await db.raw("""
            DELETE FROM release_proposals
            WHERE transaction_id = \(bind: proposal.transactionId) AND id = \(bind: proposal.id)
            RETURNING transaction_id
            """).first() != nil
    }

    /// Ends the transfer's proposal (withdrawn, refused, or the transfer ended); the proposal it was, if any.
    public static func remove(transactionId: String, on db: any SQLDatabase) async throws -> ReleaseProposal? {
        try await db.raw("""
            DELETE FROM release_proposals WHERE transaction_id = \(bind: transactionId)
            RETURNING transaction_id, id, proposed_by, reason, proposed_at
            """).first().map(proposal)
    }

    /// An alert on the transfer moved (resolved): touches its standing proposal so that on PostgreSQL an
    /// approval taking the proposal at the same moment waits for this to commit and then sees it.
    public static func caseMoved(transactionId: String, on db: any SQLDatabase) async throws {
        try await db.raw("UPDATE release_proposals SET proposed_at = proposed_at WHERE transaction_id = \(bind: transactionId)").run()
    }

    /// Ends every proposal `officer` made (their admin role was taken back); how many there were.
    public static func remove(proposedBy officer: String, on db: any SQLDatabase) async throws -> Int {
        try await db.raw("DELETE FROM release_proposals WHERE proposed_by = \(bind: officer) RETURNING transaction_id").all().count
    }

    private static func proposal(_ row: any SQLRow) throws -> ReleaseProposal {
        ReleaseProposal(id: try row.decode(column: "id", as: String.self), transactionId: try row.decode(column: "transaction_id", as: String.self),
                        proposedBy: try row.decode(column: "proposed_by", as: String.self),
                        reason: try row.decode(column: "reason", as: String.self),
                        proposedAt: try row.decode(column: "proposed_at", as: Date.self))
    }
}
