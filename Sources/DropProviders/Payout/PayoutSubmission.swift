import DropCore

/// The partner's answer to an accepted pain.001.
public struct PayoutSubmission: Sendable, Hashable {
    public let messageId: String
    /// The pain.001 as sent, for the `payouts.pain001` column.
    public let pain001: String
    /// The first pain.002 as received (usually group `ACTC`, transactions pending).
    public let pain002: String
    public let report: PaymentStatusReport
    /// True when the partner had already accepted this message and answered from its
    /// idempotency record (`Idempotent-Replayed: true`): a retry that did not pay twice.
    public let replayed: Bool

    public init(messageId: String, pain001: String, pain002: String, report: PaymentStatusReport, replayed: Bool) {
        self.messageId = messageId
        self.pain001 = pain001
        self.pain002 = pain002
        self.report = report
        self.replayed = replayed
    }
}

/// A status report fetched from the partner, parsed and as received.
public struct PayoutStatusDocument: Sendable, Hashable {
    public let report: PaymentStatusReport
    /// The pain.002 XML, for the `payouts.pain002` column.
    public let pain002: String

    public init(report: PaymentStatusReport, pain002: String) {
        self.report = report
        self.pain002 = pain002
    }
}
