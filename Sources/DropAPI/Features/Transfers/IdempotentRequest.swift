import Crypto
import DropStore
import Foundation
import HTTPTypes
import Hummingbird

/// `Idempotency-Key` for writes that move money (API.md conventions): the same key and body
/// within 24 h get the first answer back; a key reused with another body is refused; a request
/// still running under the key answers 409 until it finishes.
struct IdempotentRequest: Sendable {
    static let header = HTTPField.Name("Idempotency-Key")!
    static let replayedHeader = HTTPField.Name("Idempotent-Replayed")!

    static let patience: Duration = .seconds(10)
    static let pollInterval: Duration = .milliseconds(50)

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
        let hash = SHA256.hash(data: body).map { String(format: "%02x", $0) }.joined()
        var begun = try await store.begin(scope: scope, key: key, requestHash: hash, now: clock())
        // A duplicate arriving while the first runs waits for its answer (a client retrying on a
        // timeout then gets the same response), up to `patience`; after that, 409.
        var waited: Duration = .zero
        while begun == .inProgress, waited < Self.patience {
            try await Task.sleep(for: Self.pollInterval)
            waited += Self.pollInterval
            begun = try await store.begin(scope: scope, key: key, requestHash: hash, now: clock())
        }
        switch begun {
        case .replay(let status, let stored):
            return Response(status: .init(code: status), headers: [.contentType: "application/json; charset=utf-8", Self.replayedHeader: "true"],
                            body: .init(byteBuffer: ByteBuffer(string: stored)))
        case .inProgress:
            throw AppError.conflict("A request with this Idempotency-Key is still being processed.")
        case .mismatch:
            throw AppError(.unprocessableContent, code: "IDEMPOTENCY_KEY_REUSED", message: "This Idempotency-Key was used with a different request.")
        case .started:
            do {
                let (status, data) = try await work(key)
                try await store.complete(scope: scope, key: key, status: Int(status.code), body: String(decoding: data, as: UTF8.self))
                return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
            } catch {
                try? await store.release(scope: scope, key: key)
                throw error
            }
        }
    }
}
