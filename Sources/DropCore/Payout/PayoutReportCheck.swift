import Foundation

/// What Drop sent in one pain.001, read back from its own stored bytes (`payouts.pain001`): what
/// a status report about that message has to match before any of it moves a transfer.
public struct SentPayoutMessage: Sendable, Hashable {
    /// One payout as instructed.
    public struct Payout: Sendable, Hashable {
        public let paymentGroupId: String
        public let amount: Decimal
        public let currency: String
    }

    public let messageId: String
    public let numberOfTransactions: Int
    public let controlSum: Decimal
    /// By `EndToEndId`.
    public let payouts: [String: Payout]

    /// - Throws: when the bytes are not a pain.001 as `Pain001Writer` writes it (never for Drop's own).
    public init(pain001 xml: String) throws {
        let document = try XMLTree.parse(xml)
        guard let initiation = document.child("CstmrCdtTrfInitn"), let messageId = initiation.value("GrpHdr", "MsgId"),
              let count = initiation.value("GrpHdr", "NbOfTxs").flatMap({ Int($0) }),
              let controlSum = initiation.value("GrpHdr", "CtrlSum").flatMap(PayoutReportCheck.decimal) else {
            throw Pain002ReaderError.missingElement("GrpHdr")
        }
        var payouts: [String: Payout] = [:]
        for info in initiation.children(named: "PmtInf") {
            guard let group = info.value("PmtInfId") else { continue }
            for transfer in info.children(named: "CdtTrfTxInf") {
                guard let endToEndId = transfer.value("PmtId", "EndToEndId"), let amount = transfer.descendant("Amt", "InstdAmt"),
                      let value = PayoutReportCheck.decimal(amount.text.trimmingCharacters(in: .whitespacesAndNewlines)),
                      let currency = amount.attributes["Ccy"] else { throw Pain002ReaderError.missingElement("CdtTrfTxInf/Amt/InstdAmt") }
                payouts[endToEndId] = Payout(paymentGroupId: group, amount: value, currency: currency)
            }
        }
        self.messageId = messageId
        self.numberOfTransactions = count
        self.controlSum = controlSum
        self.payouts = payouts
    }
}

/// How a partner's pain.002 matches the pain.001 Drop sent, and what of it may be applied.
///
/// A report under Drop's `MsgId` whose `OrgnlNbOfTxs` or `OrgnlCtrlSum` differ from Drop's describes
/// another message (a confused partner, or another environment sharing Drop's credentials): nothing in
/// it is about these transfers, so none moves. A report about the right message may still name
/// transactions wrongly: one Drop never sent, one twice with different statuses, one whose
/// `OrgnlTxRef` amount or currency is not what Drop instructed. Those named wrongly don't move, and
/// while the report names any transaction Drop never sent, a status at the message's or a payment
/// group's level (which would cover it) moves nobody either: only a transfer's own status counts.
/// Everything else in it is taken. Operations hear of every mismatch (`payout_report_mismatch`).
public struct PayoutReportCheck: Sendable, Hashable {
    /// Why the report as a whole is not about the message sent.
    public enum MessageIssue: String, Sendable, Hashable {
        case messageId = "message_id"
        case transactionCount = "transaction_count"
        case controlSum = "control_sum"
    }

    /// What is wrong with how the report names one transaction.
    public enum TransactionIssue: String, Sendable, Hashable, Comparable {
        /// An `OrgnlEndToEndId` not in the message.
        case notSent = "not_sent"
        /// Named more than once, with different statuses.
        case conflicting = "conflicting_statuses"
        /// `OrgnlTxRef` gives another amount than the one instructed.
        case amount
        /// `OrgnlTxRef` gives another currency than the one instructed.
        case currency

        public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    public let report: PaymentStatusReport
    public let sent: SentPayoutMessage
    /// Nil when the report is about the message sent.
    public let messageIssue: MessageIssue?
    /// By end-to-end id as the report names it.
    public let transactionIssues: [String: TransactionIssue]

    public init(_ report: PaymentStatusReport, against sent: SentPayoutMessage) {
        self.report = report
        self.sent = sent
        messageIssue = if report.originalMessageId != sent.messageId {
            .messageId
        } else if let count = report.originalNumberOfTransactions, Int(count) != sent.numberOfTransactions {
            .transactionCount
        } else if let sum = report.originalControlSum, Self.decimal(sum) != sent.controlSum {
            .controlSum
        } else {
            nil
        }
        var issues: [String: TransactionIssue] = [:]
        var seen: [String: PaymentStatusCode] = [:]
        for transaction in report.transactions {
            let id = transaction.originalEndToEndId
            guard let payout = sent.payouts[id] else {
                issues[id] = .notSent
                continue
            }
            if let earlier = seen[id], earlier != transaction.status { issues[id] = .conflicting }
            seen[id] = transaction.status
            if issues[id] == nil, let amount = transaction.originalAmount, Self.decimal(amount) != payout.amount { issues[id] = .amount }
            if issues[id] == nil, let currency = transaction.originalCurrency, currency != payout.currency { issues[id] = .currency }
        }
        transactionIssues = issues
    }

    /// Whether every part of the report matches what was sent.
    public var matches: Bool { messageIssue == nil && transactionIssues.isEmpty }

    /// What the report says about the payout sent under `endToEndId`, when that may be applied:
    /// `PaymentStatusReport.verdict(on:inPaymentGroup:)` for a matching report; nil status otherwise.
    public func verdict(on endToEndId: String) -> (status: PaymentStatusCode?, reasons: [PaymentStatusReason]) {
        guard messageIssue == nil, transactionIssues[endToEndId] == nil, let payout = sent.payouts[endToEndId] else { return (nil, []) }
        if transactionIssues.values.contains(.notSent), report.transaction(endToEndId: endToEndId) == nil { return (nil, []) }
        return report.verdict(on: endToEndId, inPaymentGroup: payout.paymentGroupId)
    }

    /// A plain ISO 20022 decimal (`123`, `123.45`); nil for anything else.
    static func decimal(_ text: String) -> Decimal? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy { (0x30...0x39).contains($0) } }) else { return nil }
        return Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))
    }
}
