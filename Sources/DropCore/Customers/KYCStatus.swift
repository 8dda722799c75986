/// Where a customer stands with know-your-customer checks. Payments need `approved`.
public enum KYCStatus: String, Sendable, Codable, CaseIterable {
    case none
    case pending
    case approved
    case rejected
    case retry

    public var canPay: Bool { self == .approved }

    /// The status a Sumsub review answer leads to: GREEN approves; RED is final or asks for a retry.
    public static func fromReview(answer: String, rejectType: String?) -> KYCStatus {
        switch (answer.uppercased(), rejectType?.uppercased()) {
        case ("GREEN", _): return .approved
        case ("RED", "RETRY"): return .retry
        case ("RED", _): return .rejected
        default: return .pending
        }
    }
}
