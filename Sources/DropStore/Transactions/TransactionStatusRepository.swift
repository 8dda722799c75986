import DropCore
import Foundation
import SQLKit

/// Where a transaction (remittance or QR payment) stands, as the status machinery needs it.
public struct TransactionStatusRecord: Sendable, Equatable {
    public let id: String
    public let userId: String
    public let kind: TransactionKind
    public let status: TransferStatus
    /// Until when the payer may approve at the bank (nil when not known to this read).
    public let approvalDeadline: Date?

    public init(id: String, userId: String, kind: TransactionKind, status: TransferStatus, approvalDeadline: Date? = nil) {
        self.id = id
        self.userId = userId
        self.kind = kind
        self.status = status
        self.approvalDeadline = approvalDeadline
    }
}

/// Moves transactions through DropCore's state machine: every move is checked there, recorded in
/// `transaction_events` and the audit log, all on the caller's DB transaction.
public enum TransactionStatusRepository {
    /// The payment a bank's report is about, its row locked until the transaction ends (PostgreSQL;
    /// SQLite's writes queue anyway): two reports about one payment at once (a webhook and the
    /// reconciler's read, a settlement and a refusal) are applied one after the other, each seeing what
    /// the other wrote.
    public static func lockForReport(pispPaymentId: String, on db: any SQLDatabase) async throws -> TransactionStatusRecord? {
        try await db.raw("""
            SELECT id, user_id, kind, status, sca_expires_at FROM transactions WHERE pisp_payment_id = \(bind: pispPaymentId)\(unsafeRaw: db.rowLockClause)
            """).first().map(record)
    }

    /// `lockForReport(pispPaymentId:)` for a transfer known by its own id (a standing order's payment,
    /// which has no payment id of its own at the bank).
    public static func lockForReport(id: String, on db: any SQLDatabase) async throws -> TransactionStatusRecord? {
        try await db.raw("""
            SELECT id, user_id, kind, status, sca_expires_at FROM transactions WHERE id = \(bind: id)\(unsafeRaw: db.rowLockClause)
            """).first().map(record)
    }

    public static func find(id: String, on db: any SQLDatabase) async throws -> TransactionStatusRecord? {
        try await db.raw("SELECT id, user_id, kind, status, sca_expires_at FROM transactions WHERE id = \(bind: id)").first().map(record)
    }

    private static func record(_ row: any SQLRow) throws -> TransactionStatusRecord {
        let raw = try row.decode(column: "status", as: String.self)
        guard let status = TransferStatus(rawValue: raw) else { throw TransactionStatusError.unknownStatus(raw) }
        return TransactionStatusRecord(id: try row.decode(column: "id", as: String.self), userId: try row.decode(column: "user_id", as: String.self),
                                       kind: try row.decode(column: "kind", caseOf: TransactionKind.self), status: status,
                                       approvalDeadline: try row.decode(column: "sca_expires_at", as: Date?.self))
    }

    /// Applies `transition` if the transaction is still in `transition.from`; false when another
    /// writer moved it first (the caller re-reads and decides again).
    public static func apply(
        _ transition: TransferTransition, to transactionId: String, actor: AuditActor, failureReason: String? = nil,
        at date: Date, on db: any SQLDatabase
    ) async throws -> Bool {
        let completedAt: Date? = transition.to == .completed ? date : nil
        let moved = try await db.raw("""
            UPDATE transactions SET status = \(bind: transition.to.rawValue), updated_at = \(bind: date),
                failure_reason = COALESCE(\(bind: failureReason), failure_reason), completed_at = COALESCE(\(bind: completedAt), completed_at)
            WHERE id = \(bind: transactionId) AND status = \(bind: transition.from.rawValue)
            RETURNING id, merchant_id
            """).first()
        guard let moved else { return false }
        try await db.runBatched("""
            INSERT INTO transaction_events (id, transaction_id, from_status, to_status, reason, at)
            VALUES (\(bind: RecordID.make()), \(bind: transactionId), \(bind: transition.from.rawValue),
                    \(bind: transition.to.rawValue), \(bind: transition.reason), \(bind: date))
            """)
        try await AuditLog.append(AuditEntry(
            actor: actor, action: "transaction.status_changed", entityType: "transaction", entityId: transactionId,
            data: ["from": transition.from.rawValue, "to": transition.to.rawValue, "event": transition.event.rawValue]),
            at: date, on: db)
        if let merchantId = try moved.decode(column: "merchant_id", as: String?.self) {
            try await MerchantRepository.recordEvent(merchantId: merchantId, transactionId: transactionId, status: transition.to.rawValue, at: date, on: db)
        }
        return true
    }
}

public enum TransactionStatusError: Error, Sendable {
    case unknownStatus(String)
}
