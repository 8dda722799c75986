import DropCore

/// The payout partner's refusal, as opposed to transport trouble (`ProviderError`).
public enum PayoutError: Error, Sendable, Hashable, CustomStringConvertible {
    /// 400/422: the partner refused the pain.001; its pain.002 reasons say why (e.g. `AC01` with
    /// where in the message, `AM10` control sum, `FF01` format). Retrying the same message won't help.
    case rejected(messageId: String, status: Int, reasons: [PaymentStatusReason])
    /// 409: the `Idempotency-Key` (the message id) was already used for a different message.
    /// Drop built two different batches under one id: a bug, never retried.
    case idempotencyConflict(messageId: String, reasons: [PaymentStatusReason])
    /// 401/403: the partner does not accept Drop's credentials.
    case unauthorized(status: Int)
    /// 404 on a status report: the partner has no message with this id.
    case unknownMessage(messageId: String)

    /// The reasons' codes, e.g. `["AC01", "AM10"]`.
    public var reasonCodes: [String] {
        switch self {
        case .rejected(_, _, let reasons), .idempotencyConflict(_, let reasons): reasons.compactMap(\.code)
        case .unauthorized, .unknownMessage: []
        }
    }

    /// Codes only: reason texts can quote the message and stay out of logs.
    public var description: String {
        switch self {
        case let .rejected(messageId, status, _):
            "payout message \(messageId) rejected (HTTP \(status), reasons \(reasonCodes.joined(separator: ",")))"
        case .idempotencyConflict(let messageId, _): "payout message id \(messageId) already used for a different message"
        case .unauthorized(let status): "payout partner refused Drop's credentials (HTTP \(status))"
        case .unknownMessage(let messageId): "payout partner knows no message \(messageId)"
        }
    }
}
