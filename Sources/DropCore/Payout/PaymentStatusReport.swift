/// A status reason from a pain.002 `StsRsnInf`: an ISO external reason code (`AC01` bad
/// account, `RR04` regulatory, `FF01` bad format, …) and the bank's free text.
public struct PaymentStatusReason: Sendable, Hashable {
    /// `Rsn/Cd` (or `Rsn/Prtry` when the bank uses its own code).
    public let code: String?
    /// The `AddtlInf` lines joined with a space.
    public let additionalInformation: String?

    public init(code: String?, additionalInformation: String?) {
        self.code = code
        self.additionalInformation = additionalInformation
    }
}

/// The partner's verdict on one payout (`TxInfAndSts`).
public struct PaymentTransactionStatus: Sendable, Hashable {
    public let originalEndToEndId: String
    /// `TxSts`, or the payment group's / message's status when the transaction has none of its own.
    public let status: PaymentStatusCode
    public let reasons: [PaymentStatusReason]
    /// `AccptncDtTm` as sent, when the bank gives it.
    public let acceptanceDateTime: String?
    /// `OrgnlTxRef/Amt/InstdAmt` as sent (a decimal) and its `Ccy`, when the bank repeats the
    /// instructed amount: it must be what Drop instructed under this end-to-end id.
    public let originalAmount: String?
    public let originalCurrency: String?

    public init(originalEndToEndId: String, status: PaymentStatusCode, reasons: [PaymentStatusReason] = [], acceptanceDateTime: String? = nil,
                originalAmount: String? = nil, originalCurrency: String? = nil) {
        self.originalEndToEndId = originalEndToEndId
        self.status = status
        self.reasons = reasons
        self.acceptanceDateTime = acceptanceDateTime
        self.originalAmount = originalAmount
        self.originalCurrency = originalCurrency
    }

    /// The first reason's code, e.g. `AC01`.
    public var reasonCode: String? { reasons.lazy.compactMap(\.code).first }
    /// The first reason's text.
    public var additionalInformation: String? { reasons.lazy.compactMap(\.additionalInformation).first }
}

/// The partner's verdict on one `PmtInf` (`OrgnlPmtInfAndSts`).
public struct PaymentInformationStatus: Sendable, Hashable {
    public let originalPaymentInformationId: String
    public let status: PaymentStatusCode?
    public let reasons: [PaymentStatusReason]
    public let transactions: [PaymentTransactionStatus]

    public init(originalPaymentInformationId: String, status: PaymentStatusCode?, reasons: [PaymentStatusReason] = [], transactions: [PaymentTransactionStatus]) {
        self.originalPaymentInformationId = originalPaymentInformationId
        self.status = status
        self.reasons = reasons
        self.transactions = transactions
    }
}

/// A pain.002 customer payment status report, as `Pain002Reader` reads it.
public struct PaymentStatusReport: Sendable, Hashable {
    /// The report's own `MsgId`.
    public let messageId: String
    public let creationDateTime: String
    /// The pain.001 `MsgId` this report is about.
    public let originalMessageId: String
    /// E.g. `pain.001.001.09`.
    public let originalMessageNameId: String
    /// `GrpSts`, when the report gives one.
    public let groupStatus: PaymentStatusCode?
    public let groupReasons: [PaymentStatusReason]
    public let paymentInformation: [PaymentInformationStatus]
    /// `OrgnlNbOfTxs` and `OrgnlCtrlSum` of the message, as sent, when the report gives them: a
    /// report about the message Drop sent repeats Drop's count and control sum.
    public let originalNumberOfTransactions: String?
    public let originalControlSum: String?

    public init(
        messageId: String, creationDateTime: String, originalMessageId: String, originalMessageNameId: String,
        groupStatus: PaymentStatusCode?, groupReasons: [PaymentStatusReason] = [], paymentInformation: [PaymentInformationStatus],
        originalNumberOfTransactions: String? = nil, originalControlSum: String? = nil
    ) {
        self.originalNumberOfTransactions = originalNumberOfTransactions
        self.originalControlSum = originalControlSum
        self.messageId = messageId
        self.creationDateTime = creationDateTime
        self.originalMessageId = originalMessageId
        self.originalMessageNameId = originalMessageNameId
        self.groupStatus = groupStatus
        self.groupReasons = groupReasons
        self.paymentInformation = paymentInformation
    }

    /// Every transaction the report names, in document order.
    public var transactions: [PaymentTransactionStatus] {
        paymentInformation.flatMap(\.transactions)
    }

    /// The transaction entry for an end-to-end id, if the report names it.
    public func transaction(endToEndId: String) -> PaymentTransactionStatus? {
        transactions.first { $0.originalEndToEndId == endToEndId }
    }

    /// What the report says about each payout of `batch`, in the batch's order (`verdict(on:inPaymentGroup:)`
    /// for each). Feed `status.payoutEvent` to the transfer state machine.
    public func outcomes(for batch: PayoutBatch) -> [PayoutOutcome] {
        batch.instructions.map { instruction in
            let verdict = verdict(on: instruction.endToEndId.value, inPaymentGroup: batch.paymentGroup(containing: instruction.endToEndId.value)?.id)
            return PayoutOutcome(endToEndId: instruction.endToEndId, status: verdict.status, reasons: verdict.reasons)
        }
    }

    /// What the report says about the payout sent under `endToEndId` in the `PmtInf` whose id is
    /// `paymentInformationId` (nil when not known).
    ///
    /// A payout's own `TxInfAndSts` wins; without one, its `PmtInf`'s status applies, else the
    /// message's (ISO 20022: a status at a higher level covers everything below it that has none
    /// of its own, and a partner may report only `GrpSts` or `PmtInfSts`). The nearest level that
    /// gives a status decides: `PART` there says only that some were accepted, so the payout has
    /// no verdict (nil status) until it is named. A pending status (`PDNG`, `ACTC`, …) is returned
    /// as it is: its `payoutEvent` is nil. Nil status: the report says nothing about it yet.
    public func verdict(on endToEndId: String, inPaymentGroup paymentInformationId: String?) -> (status: PaymentStatusCode?, reasons: [PaymentStatusReason]) {
        if let own = transaction(endToEndId: endToEndId) {
            return (own.status, own.reasons)
        }
        let info = paymentInformationId.flatMap { id in paymentInformation.first { $0.originalPaymentInformationId == id && $0.status != nil } }
        let (status, reasons) = if let info { (info.status, info.reasons) } else { (groupStatus, groupReasons) }
        guard let status, status != .partiallyAccepted else { return (nil, []) }
        return (status, reasons)
    }

    /// Whether any `PmtInf` entry gives a status of its own, which applies to payouts it names no
    /// `TxInfAndSts` for: only then does the reader of the report need to know each payout's `PmtInfId`.
    public var hasPaymentGroupStatuses: Bool {
        paymentInformation.contains { $0.status != nil }
    }
}

/// One payout's status as resolved from a report (`PaymentStatusReport.outcomes(for:)`).
public struct PayoutOutcome: Sendable, Hashable {
    public let endToEndId: EndToEndId
    public let status: PaymentStatusCode?
    public let reasons: [PaymentStatusReason]

    /// The transfer event this means: `payoutSettled` on ACCC, `payoutFailed` on RJCT/CANC/BLCK.
    public var event: TransferEvent? { status?.payoutEvent }
    public var reasonCode: String? { reasons.lazy.compactMap(\.code).first }
}
