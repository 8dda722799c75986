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

    public init(originalEndToEndId: String, status: PaymentStatusCode, reasons: [PaymentStatusReason] = [], acceptanceDateTime: String? = nil) {
        self.originalEndToEndId = originalEndToEndId
        self.status = status
        self.reasons = reasons
        self.acceptanceDateTime = acceptanceDateTime
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

    public init(
        messageId: String, creationDateTime: String, originalMessageId: String, originalMessageNameId: String,
        groupStatus: PaymentStatusCode?, groupReasons: [PaymentStatusReason] = [], paymentInformation: [PaymentInformationStatus]
    ) {
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

    /// What the report says about each payout of `batch`, in the batch's order.
    ///
    /// A payout's own `TxInfAndSts` wins; without one, its `PmtInf`'s status applies, then the
    /// message's (ISO 20022: a status at a higher level covers everything below it), except
    /// `PART`, which says only that some were accepted. `nil` status: the report says nothing yet.
    /// Feed `status.payoutEvent` to the transfer state machine.
    public func outcomes(for batch: PayoutBatch) -> [PayoutOutcome] {
        batch.instructions.map { instruction in
            let id = instruction.endToEndId.value
            if let own = transaction(endToEndId: id) {
                return PayoutOutcome(endToEndId: instruction.endToEndId, status: own.status, reasons: own.reasons)
            }
            let groupId = batch.paymentGroup(containing: id)?.id
            if let info = paymentInformation.first(where: { $0.originalPaymentInformationId == groupId }),
               let status = info.status, status != .partiallyAccepted {
                return PayoutOutcome(endToEndId: instruction.endToEndId, status: status, reasons: info.reasons)
            }
            if let status = groupStatus, status != .partiallyAccepted {
                return PayoutOutcome(endToEndId: instruction.endToEndId, status: status, reasons: groupReasons)
            }
            return PayoutOutcome(endToEndId: instruction.endToEndId, status: nil, reasons: [])
        }
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
