/// A way a simulated provider can misbehave, to exercise Drop's timeouts, retries and breakers.
public enum SandboxFault: Sendable, Hashable {
    /// 503 Service Unavailable with `Retry-After: 1`.
    case unavailable
    /// 500 Internal Server Error.
    case serverError
    /// Answer normally, but only after this long (for timeout tests).
    case delay(Duration)
    /// 200 OK with a body the protocol does not allow (each sandbox decides what is broken).
    case garbage
    /// Do the work (the payment is made), then answer 500 as if the connection broke: the client
    /// never learns what happened and must recover it (crash and lost-answer tests).
    case lostAnswer
    /// Do the work, then answer only after this long: the provider's webhook about it may reach
    /// Drop before the answer does.
    case lateAnswer(Duration)
    /// 401: the provider no longer accepts the client's credentials.
    case unauthorized
    /// 409 Conflict: the provider says the request clashes with an earlier one (e.g. an id used before).
    case conflict
    /// Answer correctly but report only the message's status: the payout sandbox's pain.002
    /// status reads then carry `GrpSts` alone, no payment group or transaction, as a partner that
    /// reports whole files does. The other sandboxes answer normally.
    case groupStatusOnly
    /// Answer correctly but report only each payment group's status: the payout sandbox's pain.002
    /// status reads then carry `PmtInfSts` per payment group, no `GrpSts` and no transaction.
    /// The other sandboxes answer normally.
    case paymentGroupStatusOnly
    /// Answer correctly, but the payout sandbox's pain.002 status reads carry the message's
    /// Verification of Payee outcome (`RCVC`, names checked and matching) as its `GrpSts`, with
    /// each payment group's and transaction's own status below, as partners under the EU's instant
    /// payments regulation report it since October 2025. The other sandboxes answer normally.
    case payeeVerificationGroupStatus
    /// The bank sandbox answers a cancellation (`DELETE` of a payment or standing order) 202 with the
    /// payment's status and a `startAuthorisation` link, as a bank that wants the PSU to approve the
    /// cancellation does: nothing is cancelled. The other sandboxes answer normally.
    case cancellationNeedsAuthorisation
    /// The payout sandbox answers a pain.001 submission with this HTTP status (e.g. 410, 414, 415, 451)
    /// and takes nothing, as a partner refusing the request itself (an endpoint moved or closed, a media
    /// type or a jurisdiction it no longer serves) does. Status reads, returns and the other sandboxes
    /// answer normally.
    case refusedSubmission(status: Int)
    /// The payout sandbox's pain.002 status reads answer wrongly, as a confused, buggy or misconfigured
    /// partner does (`PayoutMisreport` says how); submissions, returns and the other sandboxes answer normally.
    case misreport(PayoutMisreport)
}

/// How a payout partner's status report can fail to match the message asked about.
public enum PayoutMisreport: Sendable, Hashable {
    /// The report of another message the partner holds (its transactions, count, control sum and
    /// statuses), under the `OrgnlMsgId` asked about: a partner that looked up the wrong file, or one
    /// that holds another environment's message under the same id. Normal when it holds no other.
    case anotherMessage
    /// The right report, naming besides one transaction never sent in the message (`RJCT`).
    case transactionNotSent
    /// The right report, naming each transaction twice: `RJCT` first, then its own status.
    case conflictingStatuses
    /// The right report, with each transaction's `OrgnlTxRef` amount one unit more than instructed.
    case otherAmount
    /// The right report under another `OrgnlMsgId`.
    case otherMessageId
    /// No report: the read is refused with this HTTP status (e.g. 410, 415, 451), as a partner that
    /// moved or closed its status endpoint does.
    case refused(status: Int)
}
