import DropCore
import Crypto
import DropStore
import Foundation
import HTTPTypes
import Hummingbird

/// `Idempotency-Key` for writes that move money (docs/api.md, "Idempotency"): the same key and body
/// within 24 h get the first answer back; a key reused with another body is refused. A duplicate
/// arriving while the first still runs waits for its answer (a client retrying after a timeout
/// gets the same response) up to `patience`, then answers 409. A request whose process died
/// holds its key only until its lease lapses; the next retry then resumes it.
struct IdempotentRequest: Sendable {
    static let header = HTTPField.Name("Idempotency-Key")!
    static let replayedHeader = HTTPField.Name("Idempotent-Replayed")!

    static let patience: Duration = .seconds(10)
    /// Bytes a key may have: bounded so a key stays a key (it is indexed and kept 24 h), and never
    /// empty: an empty key would make every request one.
    static let keyLengths = 1...255

    /// 1–255 bytes of visible ASCII (0x21–0x7E), as the UUIDs DropKit and the web forms make are.
    /// Counted in bytes: 255 characters may be kilobytes (a letter with many combining marks is
    /// one), past what a PostgreSQL index entry holds.
    static func isUsableKey(_ key: String) -> Bool {
        keyLengths.contains(key.utf8.count) && key.utf8.allSatisfy { (0x21...0x7E).contains($0) }
    }

    let store: IdempotencyStore
    let clock: @Sendable () -> Date

    /// Runs `work` once per (scope, key, body). Only a success is remembered: after an error
    /// (bad input, the bank down) the same key may be tried again.
    func run(
        _ request: Request, scope: String, body: [UInt8],
        _ work: @Sendable (_ attempt: IdempotentAttempt) async throws -> (HTTPResponse.Status, Data)
    ) async throws -> Response {
        let outcome = try await perform(scope: scope, key: request.headers[Self.header] ?? "", body: body, waitWhileRunning: Self.patience, work)
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        if outcome.replayed { headers[Self.replayedHeader] = "true" }
        return Response(status: outcome.status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: outcome.body)))
    }

    /// The same semantics without HTTP around it (the web app's confirm form carries its key in
    /// a hidden field). `waitWhileRunning` lets a second submit wait for the first one's answer
    /// instead of failing with 409 at once.
    func perform(
        scope: String, key: String, body: [UInt8], waitWhileRunning: Duration = .zero,
        _ work: @Sendable (_ attempt: IdempotentAttempt) async throws -> (HTTPResponse.Status, Data)
    ) async throws -> (status: HTTPResponse.Status, body: Data, replayed: Bool) {
        guard Self.isUsableKey(key) else {
            throw AppError.badRequest("An Idempotency-Key (1–255 visible ASCII characters) is required.",
                                      details: [ErrorDetail(field: "Idempotency-Key", issue: "required")])
        }
        try Self.ensureNotReserved(key)
        let hash = Hex.sha256(of: body)
        let deadline = ContinuousClock.now.advanced(by: waitWhileRunning)
        let owner = RecordID.make()
        while true {
            switch try await store.begin(scope: scope, key: key, requestHash: hash, owner: owner, now: clock()) {
            case .replay(let status, let stored):
                return (.init(code: status), Data(stored.utf8), true)
            case .inProgress:
                guard ContinuousClock.now < deadline else { throw Self.takenOver }
                try await Task.sleep(for: .milliseconds(50))
            case .mismatch:
                throw Self.reused
            case .started, .resumed:
                // `work` finds what an attempt that died already did (the transfer is looked up by
                // its key) and finishes it, so both cases run the same code.
                do {
                    let (status, data) = try await whileRenewingLease(scope: scope, key: key, owner: owner) { try await work(IdempotentAttempt(key: key, requestHash: hash)) }
                    // Taken over at the last moment: the attempt that holds the key gives the answer.
                    guard try await store.complete(scope: scope, key: key, owner: owner, status: Int(status.code),
                                                   body: String(decoding: data, as: UTF8.self)) else { throw Self.takenOver }
                    return (status, data, false)
                } catch {
                    try? await store.release(scope: scope, key: key, owner: owner)
                    throw error
                }
            }
        }
    }

    /// Keys Drop writes itself into `transactions.idempotency_key`, one namespace per user with the keys
    /// clients send: a standing order's payment (`standing-order:<order>:<execution>`) and a QR payment
    /// (`qr-payment:<key>`). A client's key there could take the key a payment the bank has already made
    /// must be recorded under, and that payment would never be recorded.
    static let reservedKeyPrefixes = ["standing-order:", "qr-payment:"]

    /// Refuses a client's key in Drop's own namespace as any other unusable key is refused (400).
    static func ensureNotReserved(_ key: String) throws {
        guard let prefix = reservedKeyPrefixes.first(where: key.hasPrefix) else { return }
        throw AppError.badRequest("An Idempotency-Key may not start with \"\(prefix)\".",
                                  details: [ErrorDetail(field: "Idempotency-Key", issue: "reserved")])
    }

    /// Runs `work` while renewing the request's lease, so a slow bank doesn't let a retry take
    /// over a request that is still alive. When a renewal finds the lease taken (this attempt
    /// stalled past it and a retry resumed the request), `work` is cancelled and the caller gets
    /// 409: one attempt works on a key at a time, and the one holding it gives the answer. The
    /// cancelled attempt stops where a dead process would have; the retry finishes what it began.
    private func whileRenewingLease<T: Sendable>(
        scope: String, key: String, owner: String, _ work: @Sendable () async throws -> T
    ) async throws -> T {
        let store = store, clock = clock
        let every = Duration.milliseconds(Int64(store.lease * 1000 / 4))
        return try await withoutActuallyEscaping(work) { work in
            try await withThrowingTaskGroup(of: T?.self) { group in
                group.addTask { try await work() }
                group.addTask {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: every)
                        if Task.isCancelled { break }
                        // A renewal that fails (the database busy) is tried again; one that finds another owner is final.
                        if case .some(false) = try? await store.renew(scope: scope, key: key, owner: owner, now: clock()) {
                            throw Self.takenOver
                        }
                    }
                    return nil
                }
                defer { group.cancelAll() }
                while let finished = try await group.next() {
                    if let value = finished { return value }
                }
                throw CancellationError()
            }
        }
    }

    /// Its own code, so a client knows to keep the key: a new one could pay a second time.
    static let takenOver = AppError(.conflict, code: "IDEMPOTENCY_KEY_IN_USE",
                                    message: "A request with this Idempotency-Key is still being processed. Send it again with the same key shortly.",
                                    headers: [.retryAfter: "2"])
    static let reused = AppError(.unprocessableContent, code: "IDEMPOTENCY_KEY_REUSED", message: "This Idempotency-Key was used with a different request.")
}

/// One attempt at a request under its Idempotency-Key. Only a success is remembered under the key,
/// so after an error (the bank down) the key's record is gone, but a transfer the attempt wrote
/// stays and the next attempt under the key resumes it. What the work writes carries `requestHash`,
/// so that only the same request resumes it: another request under the key is refused, as it is
/// while the key's record stands.
struct IdempotentAttempt: Sendable {
    let key: String
    /// The SHA-256 of the request's body (or of the fields a web form binds the key to).
    let requestHash: String

    /// Refuses to resume a row written by another request (`stored`: the hash it carries; nil for a
    /// row written before Drop kept it, which is resumed as before).
    func ensureSameRequest(as stored: String?) throws {
        if let stored, stored != requestHash { throw IdempotentRequest.reused }
    }
}
