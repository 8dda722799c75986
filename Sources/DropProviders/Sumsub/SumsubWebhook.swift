import Crypto
import DropCore
import Foundation

/// Authenticates and reads Sumsub's webhooks (docs/protocols.md §2).
///
/// Use `verifiedEvent(rawBody:headers:secret:)` in the webhook endpoint with the body bytes exactly
/// as received: the digest is checked before any JSON is read, so a forged body never reaches the
/// decoder. There is deliberately no public way to parse without verifying.
public enum SumsubWebhook {
    /// Whether `headers` carry a valid digest of `rawBody` made with `secret`. False for a missing
    /// digest, an unknown `X-Payload-Digest-Alg`, or an empty secret. The comparison takes the
    /// same time however many bytes match.
    public static func verify(rawBody: some DataProtocol, headers: SumsubWebhookHeaders, secret: String) -> Bool {
        guard !secret.isEmpty,
              let digest = headers.digest.flatMap(Hex.bytes(from:)), !digest.isEmpty,
              let algorithm = SumsubDigestAlgorithm(rawValue: headers.algorithm?.uppercased() ?? SumsubDigestAlgorithm.hmacSHA256.rawValue)
        else { return false }
        return algorithm.isValid(digest, for: rawBody, key: SymmetricKey(data: Array(secret.utf8)))
    }

    /// The event in `rawBody`, if and only if its digest is valid.
    /// - Throws: `.badSignature` (before reading any JSON), or `.malformed` for an authentic body
    ///   that is not a readable applicant webhook.
    public static func verifiedEvent(
        rawBody: some DataProtocol, headers: SumsubWebhookHeaders, secret: String
    ) throws(SumsubWebhookError) -> SumsubWebhookEvent {
        guard verify(rawBody: rawBody, headers: headers, secret: secret) else { throw .badSignature }
        return try parse(rawBody: rawBody)
    }

    /// The `X-Payload-Digest` Sumsub would send for `rawBody`; for tests and simulators.
    public static func digest(
        rawBody: some DataProtocol, secret: String, algorithm: SumsubDigestAlgorithm = .hmacSHA256
    ) -> String {
        algorithm.digest(of: rawBody, key: SymmetricKey(data: Array(secret.utf8)))
    }

    /// Reads an event without checking where it came from: internal so only verified bodies get here.
    static func parse(rawBody: some DataProtocol) throws(SumsubWebhookError) -> SumsubWebhookEvent {
        do {
            return try JSONDecoder().decode(SumsubWebhookEvent.self, from: Data(rawBody))
        } catch let error as DecodingError {
            throw .malformed(reason: Self.reason(error))
        } catch {
            throw .malformed(reason: "not JSON")
        }
    }

    /// Names the field at fault without echoing values from the body.
    private static func reason(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let joined = context.codingPath.map(\.stringValue).joined(separator: ".")
            return joined.isEmpty ? "body" : joined
        }
        switch error {
        case .keyNotFound(let key, let context):
            let parent = path(context)
            return "missing \(parent == "body" ? key.stringValue : "\(parent).\(key.stringValue)")"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "wrong type at \(path(context))"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "not JSON" : "invalid value at \(path(context))"
        @unknown default:
            return "unreadable"
        }
    }
}
