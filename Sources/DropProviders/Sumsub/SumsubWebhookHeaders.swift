/// The two headers that authenticate a Sumsub webhook: `X-Payload-Digest` (hex HMAC of the raw
/// body with the webhook secret) and `X-Payload-Digest-Alg` (which HMAC; absent means SHA-256).
public struct SumsubWebhookHeaders: Sendable, Hashable {
    public static let digestName = "X-Payload-Digest"
    public static let algorithmName = "X-Payload-Digest-Alg"

    public let digest: String?
    public let algorithm: String?

    public init(digest: String?, algorithm: String?) {
        self.digest = digest
        self.algorithm = algorithm
    }

    /// Reads both headers through the caller's (case-insensitive) header lookup, e.g.
    /// `SumsubWebhookHeaders { request.headers[HTTPField.Name($0)!] }`.
    public init(lookup: (String) -> String?) {
        self.init(digest: lookup(Self.digestName), algorithm: lookup(Self.algorithmName))
    }
}
