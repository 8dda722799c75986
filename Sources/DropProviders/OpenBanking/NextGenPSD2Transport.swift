import AsyncHTTPClient
import Foundation
import Logging

/// Sends one NextGenPSD2 request through the bank's breaker and the retry policy, like
/// `ResilientHTTPClient`, but keeps 4xx/429 answers (with their `tppMessages`) as the bank's
/// word rather than transport trouble: `ResilientHTTPClient` turns 429 into `.unavailable`,
/// which would hide `ACCESS_EXCEEDED`, retry it and count it against the bank's breaker.
struct NextGenPSD2Transport: Sendable {
    let httpClient: HTTPClient
    let retryPolicy: RetryPolicy
    let timeout: Duration
    let breakers: NextGenPSD2BreakerRegistry
    let logger: Logger

    static func provider(_ bank: String) -> String { "bank-\(bank)" }

    private struct Answer: Sendable {
        let status: Int
        let body: Data
    }

    func send(_ request: HTTPClientRequest, bank: String) async throws -> [String: Any] {
        let provider = Self.provider(bank)
        let breaker = breakers.breaker(for: bank)
        let idempotent = request.method != .POST
        let answer = try await retryPolicy.run(idempotent: idempotent) {
            do {
                return try await breaker.run { try await attempt(request, provider: provider) }
            } catch let open as CircuitOpenError {
                throw ProviderError.circuitOpen(provider: provider, retryAfter: open.retryAfter)
            }
        }
        if (200..<300).contains(answer.status) {
            guard !answer.body.isEmpty else { return [:] }
            guard let json = try? JSONSerialization.jsonObject(with: answer.body) as? [String: Any] else {
                throw ProviderError.decoding(provider: provider, reason: "answer is not a JSON object")
            }
            return json
        }
        throw Self.bankError(status: answer.status, body: answer.body, provider: provider)
    }

    /// Maps the first `tppMessages` code to `OpenBankingError`; an answer without one is a plain HTTP error.
    static func bankError(status: Int, body: Data, provider: String) -> any Error {
        guard let json = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
              let message = (json["tppMessages"] as? [[String: Any]])?.first, let code = message["code"] as? String else {
            return ProviderError.http(provider: provider, status: status, body: String(decoding: body.prefix(2048), as: UTF8.self))
        }
        let text = message["text"] as? String ?? code
        switch code {
        case "CONSENT_INVALID": return OpenBankingError.consentInvalid
        case "CONSENT_EXPIRED": return OpenBankingError.consentExpired
        case "CONSENT_UNKNOWN": return OpenBankingError.consentUnknown
        case "ACCESS_EXCEEDED": return OpenBankingError.accessExceeded
        case "FUNDS_NOT_AVAILABLE": return OpenBankingError.fundsNotAvailable
        case "FORMAT_ERROR", "PARAMETER_NOT_SUPPORTED", "PERIOD_INVALID": return OpenBankingError.formatError(text)
        default: return OpenBankingError.unknown(code: code, status: status)
        }
    }

    /// One attempt. 5xx and transport failures throw (and count for the breaker); any other
    /// answer is returned as is.
    private func attempt(_ request: HTTPClientRequest, provider: String) async throws -> Answer {
        let (seconds, attoseconds) = timeout.components
        do {
            let response = try await httpClient.execute(request, timeout: .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000), logger: logger)
            let body = try await response.body.collect(upTo: 4 * 1024 * 1024)
            let status = Int(response.status.code)
            if status >= 500 {
                let retryAfter = response.headers.first(name: "Retry-After").flatMap(Int.init).map { Duration.seconds($0) }
                throw ProviderError.unavailable(provider: provider, retryAfter: retryAfter)
            }
            return Answer(status: status, body: Data(body.readableBytesView))
        } catch let error as ProviderError {
            throw error
        } catch is CancellationError {
            throw CancellationError()
        } catch let error as HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .connectTimeout, .writeTimeout: throw ProviderError.timeout(provider: provider)
            case .cancelled: throw CancellationError()
            default: throw ProviderError.unavailable(provider: provider, retryAfter: nil)
            }
        } catch {
            throw ProviderError.unavailable(provider: provider, retryAfter: nil)
        }
    }
}
