/// Why a Sumsub webhook was refused. Either way Drop answers 4xx and stores nothing.
public enum SumsubWebhookError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Digest missing, wrong, or made with an unknown algorithm: not from Sumsub (answer 401).
    case badSignature
    /// Authentic but not a webhook Drop can read (answer 400).
    case malformed(reason: String)

    public var description: String {
        switch self {
        case .badSignature: "Sumsub webhook signature missing or invalid"
        case .malformed(let reason): "Sumsub webhook unreadable: \(reason)"
        }
    }
}
