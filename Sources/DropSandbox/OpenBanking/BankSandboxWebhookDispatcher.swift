import DropCore
import AsyncHTTPClient
import Crypto
import Foundation
import Logging

/// Sends one payment-status webhook to Drop: POST of the JSON body with
/// `X-Drop-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>`.
/// Any 2xx acknowledges it; anything else, a timeout or a refused connection does not.
struct BankSandboxWebhookDispatcher: Sendable {
    let httpClient: HTTPClient
    let targetURL: @Sendable () -> String
    let secret: String
    let timeout: Duration
    let logger: Logger

    func deliver(_ webhook: BankSandboxOutboxWebhook, at date: Date) async -> Bool {
        let timestamp = String(Int(date.timeIntervalSince1970))
        let mac = HMAC<SHA256>.authenticationCode(for: Array((timestamp + "." + webhook.body).utf8), using: SymmetricKey(data: Array(secret.utf8)))
        var request = HTTPClientRequest(url: targetURL())
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "X-Drop-Signature", value: "t=\(timestamp),v1=" + Hex.string(of: mac))
        request.body = .bytes(Array(webhook.body.utf8))
        let (seconds, attoseconds) = timeout.components
        do {
            let response = try await httpClient.execute(request, timeout: .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000))
            _ = try? await response.body.collect(upTo: 64 * 1024)
            let delivered = (200..<300).contains(Int(response.status.code))
            if !delivered {
                logger.notice("bank sandbox webhook refused", metadata: ["webhook_id": "\(webhook.id)", "status": "\(response.status.code)"])
            }
            return delivered
        } catch {
            logger.notice("bank sandbox webhook not delivered", metadata: ["webhook_id": "\(webhook.id)", "error": "\(type(of: error))"])
            return false
        }
    }
}
