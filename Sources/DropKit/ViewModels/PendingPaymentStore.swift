import DropCore
import Foundation

/// What a money write asks for (a transfer, a QR payment, a standing order), as the SHA-256 of its
/// operation and terms: the same terms are the same payment, and any changed term another one.
/// Only this hash is written down, never the recipient, account or message it was made from.
public struct PaymentIntent: Hashable, Sendable {
    public let fingerprint: String

    public init(_ operation: String, _ terms: some Encodable) {
        // Encoded as the client sends bodies (sorted keys), so equal terms are equal bytes.
        let body = (try? DropClient.encoder.encode(terms)) ?? Data(UUID().uuidString.utf8)
        fingerprint = Hex.sha256(of: Data(operation.utf8) + [0] + body)
    }
}

/// The key a payment was sent with while its answer is unknown (a timeout, a lost connection, a
/// 5xx, `IDEMPOTENCY_KEY_IN_USE`), and the quote its body named, so the next attempt, even after the
/// app was killed and opened again, sends the same request under the same key.
public struct PendingPayment: Codable, Sendable, Hashable {
    public let key: String
    /// The quote a transfer was first sent with: the server knows a retry by its exact body.
    public let quoteId: String?
    public let savedAt: Date
    /// How long the key names this request; nil is `IdempotencyKeys.pendingPaymentWindow`.
    public let keptFor: TimeInterval?

    public init(key: String, quoteId: String? = nil, savedAt: Date, keptFor: TimeInterval? = nil) {
        self.key = key
        self.quoteId = quoteId
        self.savedAt = savedAt
        self.keptFor = keptFor
    }

    /// A payment's key is kept while the first request may be on its way or waiting for approval at
    /// the bank (`IdempotencyKeys.pendingPaymentWindow`, 20 minutes), and no longer: the same terms
    /// later that day are a new payment, not a replay of one whose approval window has closed.
    func isCurrent(at now: Date) -> Bool {
        now.timeIntervalSince(savedAt) < (keptFor ?? IdempotencyKeys.pendingPaymentWindow)
    }
}

/// Where the view models keep the keys of payments that got no definite answer: a file in the app's
/// own directory, so a relaunch retries rather than pays again; memory in tests and previews.
/// A key is forgotten on a definite answer (success or refusal) or once it is no longer current (`PendingPayment.keptFor`).
public protocol PendingPaymentStore: Sendable {
    /// The payment kept for `intent`, unless it has expired at `now`.
    func load(for intent: PaymentIntent, at now: Date) async -> PendingPayment?
    /// The payment kept for `intent` (current at `candidate.savedAt`), or else `candidate`, kept from
    /// now on. One step, so two taps at once get one key.
    func keep(_ candidate: PendingPayment, for intent: PaymentIntent) async -> PendingPayment
    func clear(for intent: PaymentIntent) async
}

/// Keeps pending payments in memory only (tests, previews).
public actor InMemoryPendingPaymentStore: PendingPaymentStore {
    private var payments: [PaymentIntent: PendingPayment] = [:]

    public init() {}

    public func load(for intent: PaymentIntent, at now: Date) -> PendingPayment? {
        payments[intent].flatMap { $0.isCurrent(at: now) ? $0 : nil }
    }

    public func keep(_ candidate: PendingPayment, for intent: PaymentIntent) -> PendingPayment {
        payments = payments.filter { $0.value.isCurrent(at: candidate.savedAt) }
        if let kept = payments[intent] { return kept }
        payments[intent] = candidate
        return candidate
    }

    public func clear(for intent: PaymentIntent) {
        payments[intent] = nil
    }
}

/// Keeps pending payments in `pending-payments.json` in `directory` (the app passes its Application
/// Support directory), written whole and atomically. The file holds only fingerprints, keys, quote
/// ids and times; one that cannot be read counts as empty.
public actor FilePendingPaymentStore: PendingPaymentStore {
    public let file: URL

    public init(directory: URL) {
        file = directory.appendingPathComponent("pending-payments.json")
    }

    public func load(for intent: PaymentIntent, at now: Date) -> PendingPayment? {
        read()[intent.fingerprint].flatMap { $0.isCurrent(at: now) ? $0 : nil }
    }

    public func keep(_ candidate: PendingPayment, for intent: PaymentIntent) -> PendingPayment {
        var payments = read().filter { $0.value.isCurrent(at: candidate.savedAt) }
        if let kept = payments[intent.fingerprint] { return kept }
        payments[intent.fingerprint] = candidate
        write(payments)
        return candidate
    }

    public func clear(for intent: PaymentIntent) {
        var payments = read()
        guard payments.removeValue(forKey: intent.fingerprint) != nil else { return }
        write(payments)
    }

    private func read() -> [String: PendingPayment] {
        guard let data = try? Data(contentsOf: file) else { return [:] }
        return (try? JSONDecoder().decode([String: PendingPayment].self, from: data)) ?? [:]
    }

    private func write(_ payments: [String: PendingPayment]) {
        let directory = file.deletingLastPathComponent()
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        // A crash mid-write leaves the old file or the new one, never half of one.
        try? encoder.encode(payments).write(to: file, options: .atomic)
    }
}
