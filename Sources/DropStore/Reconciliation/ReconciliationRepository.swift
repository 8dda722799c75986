import DropCore
import Foundation
import SQLKit

/// One transaction whose state breaks an invariant of the money flow: Drop's record, the bank's
/// or the partner's disagree, or a step that must follow has not happened in time.
public struct ReconciliationFinding: Sendable, Equatable, Codable {
    public enum Problem: String, Sendable, Codable, CaseIterable {
        /// The bank was asked for a payment but Drop never stored its id (the reconciler asks again).
        case bankPaymentUnknown = "bank_payment_unknown"
        /// Still waiting for approval long after its window closed (the bank can't be reached).
        case expiryOverdue = "expiry_overdue"
        /// The NOK reached the partner but no payout was sent.
        case payoutNotSent = "payout_not_sent"
        /// A payout message sent but not settled by the partner in time.
        case payoutOverdue = "payout_overdue"
        /// The NOK left the user's account for a transfer that ended, and no return was asked for.
        case fundsWithoutOutcome = "funds_without_outcome"
        /// A return through the partner asked for but not confirmed in time.
        case returnOverdue = "return_overdue"
        /// Marked completed without the NOK settled or without a payout.
        case completedWithoutPayout = "completed_without_payout"
        /// Marked refunded without the partner confirming a return.
        case refundedWithoutReturn = "refunded_without_return"
        /// Approved at the bank (`processing`) but never settled: no NOK has reached the partner for it a
        /// day later (the bank stopped at ACSP, or its settlement webhook was lost and reads fail).
        case processingUnsettled = "processing_unsettled"
        /// Held for compliance with its NOK at the partner, neither released nor rejected two days
        /// after it arrived: nothing else moves it, and the customer is waiting for their money.
        case heldOverdue = "held_overdue"
    }

    public let transactionId: String
    public let problem: Problem
    public let status: TransferStatus
    public let since: Date
}

/// The invariant checker's queries: every transaction that breaks one of the money flow's rules.
/// Zero rows on a healthy system. Reads only Drop's database; the reconciler job is what asks
/// the bank and the partner, and what it can't settle shows up here.
public enum ReconciliationRepository {
    public struct Grace: Sendable {
        /// How long a step may take before its absence is a finding.
        public var bankAnswer: TimeInterval = 5 * 60
        public var expiry: TimeInterval = 10 * 60
        public var payoutSubmission: TimeInterval = 15 * 60
        public var payoutSettlement: TimeInterval = 3 * 24 * 3600
        public var partnerReturn: TimeInterval = 3 * 24 * 3600
        public var bankSettlement: TimeInterval = 24 * 3600
        public var heldReview: TimeInterval = 2 * 24 * 3600

        public init() {}
    }

    public static func findings(now: Date, grace: Grace = Grace(), limit: Int = 500, on db: any SQLDatabase) async throws -> [ReconciliationFinding] {
        let rules: [(ReconciliationFinding.Problem, String, SQLQueryString)] = [
            // From the last status change, as the reconciler counts: a transfer released after a hold is asked
            // of its bank then, not when it was made.
            (.bankPaymentUnknown, "updated_at", """
                status = 'pending_sca' AND pisp_payment_id IS NULL AND bank_request_id IS NOT NULL
                AND updated_at < \(bind: now.addingTimeInterval(-grace.bankAnswer))
                """),
            (.expiryOverdue, "sca_expires_at", """
                status = 'pending_sca' AND sca_expires_at < \(bind: now.addingTimeInterval(-grace.expiry))
                """),
            (.payoutNotSent, "funds_received_at", """
                kind = 'remittance' AND status = 'processing' AND payout_id IS NULL
                AND funds_received_at < \(bind: now.addingTimeInterval(-grace.payoutSubmission))
                """),
            (.payoutOverdue, "funds_received_at", """
                kind = 'remittance' AND status = 'processing' AND payout_id IS NOT NULL
                AND funds_received_at < \(bind: now.addingTimeInterval(-grace.payoutSettlement))
                """),
            (.fundsWithoutOutcome, "funds_received_at", """
                kind = 'remittance' AND status IN ('expired', 'cancelled', 'failed') AND funds_received_at IS NOT NULL
                AND return_requested_at IS NULL
                """),
            (.returnOverdue, "return_requested_at", """
                return_requested_at IS NOT NULL AND returned_at IS NULL
                AND return_requested_at < \(bind: now.addingTimeInterval(-grace.partnerReturn))
                """),
            (.completedWithoutPayout, "updated_at", """
                kind = 'remittance' AND status = 'completed' AND (funds_received_at IS NULL OR payout_id IS NULL)
                """),
            (.refundedWithoutReturn, "updated_at", """
                kind = 'remittance' AND status = 'refunded' AND returned_at IS NULL
                """),
            (.processingUnsettled, "updated_at", """
                status = 'processing' AND funds_received_at IS NULL AND updated_at < \(bind: now.addingTimeInterval(-grace.bankSettlement))
                """),
            (.heldOverdue, "funds_received_at", """
                status = 'held' AND funds_received_at < \(bind: now.addingTimeInterval(-grace.heldReview))
                """),
        ]
        var findings: [ReconciliationFinding] = []
        for (problem, sinceColumn, condition) in rules {
            var query = SQLQueryString("SELECT id, status, \(unsafeRaw: sinceColumn) AS since FROM transactions WHERE ")
            query.appendInterpolation(condition)
            query.appendInterpolation(unsafeRaw: " ORDER BY created_at LIMIT ")
            query.appendInterpolation(bind: limit)
            for row in try await db.raw(query).all() {
                findings.append(ReconciliationFinding(
                    transactionId: try row.decode(column: "id", as: String.self), problem: problem,
                    status: try row.decode(column: "status", caseOf: TransferStatus.self), since: try row.decode(column: "since", as: Date?.self) ?? now))
            }
        }
        return findings
    }
}
