import AsyncHTTPClient
import Crypto
import DropCore
import Foundation
import Logging

/// Sends one webhook to Drop the way Sumsub does: POST of the JSON body with `X-Payload-Digest`
/// (hex HMAC-SHA256 of the raw body with the webhook secret) and `X-Payload-Digest-Alg`.
/// Any 2xx acknowledges it; anything else, a timeout or a refused connection does not.
struct SumsubSandboxWebhookDispatcher: Sendable {
    let httpClient: HTTPClient
    let targetURL: @Sendable () -> String
    let secret: String
    let timeout: Duration
    let logger: Logger

    /// Whether Drop acknowledged the webhook.
    func deliver(_ webhook: SumsubSandboxOutboxWebhook) async -> Bool {
        let body = Array(webhook.body.utf8)
        let digest = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Array(secret.utf8)))
        var request = HTTPClientRequest(url: targetURL())
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "X-Payload-Digest", value: Hex.string(of: digest))
        request.headers.add(name: "X-Payload-Digest-Alg", value: "HMAC_SHA256_HEX")
        request.body = .bytes(body)
        let metadata: Logger.Metadata = [
            "webhook_id": "\(webhook.id)", "type": "\(webhook.type)", "applicant_id": "\(webhook.applicantId)",
            "attempt": "\(webhook.attempts + 1)",
        ]
        do {
            let response = try await httpClient.execute(request, timeout: .nanoseconds(timeoutNanoseconds))
            // Read the answer so the connection can be reused; its content does not matter.
            _ = try? await response.body.collect(upTo: 64 * 1024)
            let status = Int(response.status.code)
            guard (200..<300).contains(status) else {
                logger.notice("sumsub sandbox webhook refused", metadata: metadata.merging(["status": "\(status)"]) { $1 })
                return false
            }
            logger.debug("sumsub sandbox webhook delivered", metadata: metadata)
            return true
        } catch {
            logger.notice("sumsub sandbox webhook not delivered", metadata: metadata.merging(["error": "\(type(of: error))"]) { $1 })
            return false
        }
    }

    private var timeoutNanoseconds: Int64 {
        let (seconds, attoseconds) = timeout.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
