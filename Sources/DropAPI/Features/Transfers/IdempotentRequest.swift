import Crypto
import DropStore
import Foundation
import HTTPTypes
import Hummingbird

/// `Idempotency-Key` for writes that move money (API.md conventions): the same key and body
/// within 24 h get the first answer back; a key reused with another body is refused. A duplicate
/// arriving while the first still runs waits for its answer (a client retrying after a timeout
/// gets the same response) up to `patience`, then answers 409.
struct IdempotentRequest: Sendable {
    static let header = HTTPField.Name("Idempotency-Key")!
    static let replayedHeader = HTTPField.Name("Idempotent-Replayed")!

    static let patience: Duration = .seconds(10)

    let store: IdempotencyStore
    let clock: @Sendable () -> Date

    /// Runs `work` once per (scope, key, body). Only a success is remembered: after an error
    /// (bad input, the bank down) the same key may be tried again.
    func run(
        _ request: Request, scope: String, body: [UInt8],
        _ work: @Sendable (_ key: String) async throws -> (HTTPResponse.Status, Data)
    ) async throws -> Response {
        guard let key = request.headers[Self.header], (1...255).contains(key.count) else {
            throw AppError.badRequest("An Idempotency-Key header (1–255 characters) is required.",
                                      details: [ErrorDetail(field: "Idempotency-Key", issue: "required")])
        }
        let outcome = try await perform(scope: scope, key: key, body: body, waitWhileRunning: Self.patience, work)
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        if outcome.replayed { headers[Self.replayedHeader] = "true" }
        return Response(status: outcome.status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: outcome.body)))
    }

    /// The same semantics without HTTP around it (the web app's confirm form carries its key in
    /// a hidden field). `waitWhileRunning` lets a second submit wait for the first one's answer
    /// instead of failing with 409 at once.
    func perform(
        scope: String, key: String, body: [UInt8], waitWhileRunning: Duration = .zero,
        _ work: @Sendable (_ key: String) async throws -> (HTTPResponse.Status, Data)
    ) async throws -> (status: HTTPResponse.Status, body: Data, replayed: Bool) {
        let hash = SHA256.hash(data: body).map { String(format: "%02x", $0) }.joined()
        let deadline = ContinuousClock.now.advanced(by: waitWhileRunning)
        while true {
            switch try await store.begin(scope: scope, key: key, requestHash: hash, now: clock()) {
            case .replay(let status, let stored):
                return (.init(code: status), Data(stored.utf8), true)
            case .inProgress:
                guard ContinuousClock.now < deadline else {
                    throw AppError.conflict("A request with this Idempotency-Key is still being processed.")
                }
                try await Task.sleep(for: .milliseconds(50))
            case .mismatch:
                throw AppError(.unprocessableContent, code: "IDEMPOTENCY_KEY_REUSED", message: "This Idempotency-Key was used with a different request.")
            case .started:
                do {
                    let (status, data) = try await work(key)
                    try await store.complete(scope: scope, key: key, status: Int(status.code), body: String(decoding: data, as: UTF8.self))
                    return (status, data, false)
                } catch {
                    try? await store.release(scope: scope, key: key)
                    throw error
                }
            }
        }
    }
}
