import DropCore

/// The payout partner's refusal, as opposed to transport trouble (`ProviderError`).
public enum PayoutError: Error, Sendable, Hashable, CustomStringConvertible {
    /// 400/422: the partner refused the pain.001; its pain.002 reasons say why (e.g. `AC01` with
    /// where in the message, `AM10` control sum, `FF01` format). Retrying the same message won't help.
    case rejected(messageId: String, status: Int, reasons: [PaymentStatusReason])
    /// 400/422 for reasons tied to particular transactions (the pain.002 names them, `TxSts` RJCT):
    /// those can't be paid; the others in the message can go in a new one.
    case rejectedInstructions(messageId: String, status: Int, reasons: [PaymentStatusReason], instructions: [PaymentTransactionStatus])
    /// 409: the `Idempotency-Key` (the message id) was already used for a different message.
    /// Drop built two different batches under one id: a bug, never retried.
    case idempotencyConflict(messageId: String, reasons: [PaymentStatusReason])
    /// 401/403: the partner does not accept Drop's credentials.
    case unauthorized(status: Int)
    /// 404 on a status report: the partner has no message with this id.
    case unknownMessage(messageId: String)
    /// 422 on a return: the partner won't return it (e.g. `FUNDS_NOT_HELD`: it holds no such NOK
    /// for that end-to-end id from that account).
    case returnRefused(code: String)
    /// The partner answered about a return, but not about the one asked for, or unreadably (a
    /// status Drop doesn't know, another amount, an id that isn't one): `issue` names what.
    /// Nothing in it is taken; a person asks the partner.
    case returnAnswerInvalid(returnId: String, issue: String)
    /// 413: the message is bigger than the partner takes. It does not have it; the same bytes
    /// will never be taken, so its payouts must go in smaller messages.
    case messageTooLarge(messageId: String)
    /// Any other 4xx to a submission but 408/429 (e.g. 404, 410, 414, 415, 451): the partner refuses the
    /// request itself, not the message's content, and does not have it. Drop's set-up or the partner's
    /// needs a person; the same bytes go once that is fixed.
    case requestRefused(messageId: String, status: Int)
    /// A status read answered with a pain.002 whose `OrgnlMsgId` is another message's: nothing in it is
    /// about the message asked for. A person asks the partner; it is asked again each run meanwhile.
    case reportAboutAnotherMessage(messageId: String)

    /// The HTTP status the partner answered with.
    public var httpStatus: Int {
        switch self {
        case .rejected(_, let status, _), .rejectedInstructions(_, let status, _, _), .unauthorized(let status), .requestRefused(_, let status): status
        case .idempotencyConflict: 409
        case .unknownMessage: 404
        case .messageTooLarge: 413
        case .returnRefused: 422
        case .returnAnswerInvalid, .reportAboutAnotherMessage: 200  // answered as a success, with the wrong content
        }
    }

    /// The reasons' codes, e.g. `["AC01", "AM10"]`.
    public var reasonCodes: [String] {
        switch self {
        case .rejected(_, _, let reasons), .idempotencyConflict(_, let reasons), .rejectedInstructions(_, _, let reasons, _): reasons.compactMap(\.code)
        case .returnRefused(let code): [code]
        case .unauthorized, .unknownMessage, .returnAnswerInvalid, .messageTooLarge, .requestRefused, .reportAboutAnotherMessage: []
        }
    }

    /// Codes only: reason texts can quote the message and stay out of logs.
    public var description: String {
        switch self {
        case let .rejected(messageId, status, _):
            "payout message \(messageId) rejected (HTTP \(status), reasons \(reasonCodes.joined(separator: ",")))"
        case let .rejectedInstructions(messageId, status, _, instructions):
            "payout message \(messageId) rejected (HTTP \(status), \(instructions.count) transactions named, reasons \(reasonCodes.joined(separator: ",")))"
        case .returnRefused(let code): "payout partner refused a return (\(code))"
        case let .returnAnswerInvalid(returnId, issue): "payout partner's answer about return \(returnId) is not usable (\(issue))"
        case .idempotencyConflict(let messageId, _): "payout message id \(messageId) already used for a different message"
        case .unauthorized(let status): "payout partner refused Drop's credentials (HTTP \(status))"
        case .unknownMessage(let messageId): "payout partner knows no message \(messageId)"
        case .messageTooLarge(let messageId): "payout message \(messageId) is larger than the partner takes"
        case let .requestRefused(messageId, status): "payout partner refused the request sending message \(messageId) (HTTP \(status))"
        case .reportAboutAnotherMessage(let messageId): "payout partner's status report asked for message \(messageId) is about another message"
        }
    }
}
