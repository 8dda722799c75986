import Foundation
import Observation

/// Where a payment stands, as the Send and QR screens show it.
public enum PaymentPhase: Sendable, Equatable {
    /// Filling in.
    case editing
    /// The request is on its way.
    case submitting
    /// Open `url` (the bank's approval) in the system browser; the bank sends the app back with `drop://transactions/{id}`.
    case awaitingApproval(URL)
    /// Back from the bank: reading the status until it is final.
    case following
    /// The status is final (`completed`, `failed`, `cancelled`, …).
    case finished(TransferStatus)
}

/// One payment (a transfer or a QR payment) from confirmation to its final status, shared by
/// ``SendModel`` and ``QRModel``.
///
/// The idempotency key is created once for a confirmed request and reused, with the identical
/// body, by every retry of it, so a request that timed out and is sent again can never pay twice.
/// It is dropped only when the server answered for good, or the draft changed. Until the server
/// answers for good it is also kept in ``ClientEnvironment/pendingPayments``, so confirming the
/// same payment after the app was killed and opened again sends the same request under it.
@Observable
@MainActor
public final class PaymentProgress<Input: Sendable & Equatable> {
    public private(set) var phase: PaymentPhase = .editing
    public private(set) var transaction: Transaction?
    private var pending: (key: String, input: Input, intent: PaymentIntent, savedAt: Date)?
    /// Counts the screen's payments: starting over (or opening another code) while an answer is on its
    /// way makes that answer an earlier payment's, never the one now on the screen.
    private(set) var draft = 0
    /// Counts edits of the draft, so an edit made while its request was on its way is not lost.
    private var edits = 0

    let environment: ClientEnvironment

    init(environment: ClientEnvironment) {
        self.environment = environment
    }

    /// The key the payment being confirmed is sent with (nil before confirming).
    public var idempotencyKey: String? { pending?.key }

    /// The draft changed: its confirmation will be a new payment, with a new key. Also while the
    /// request is on its way: if it fails, the next confirmation pays what the screen now shows, not
    /// the terms sent before the edit (their key stays kept for them in the store).
    func draftChanged() {
        guard phase == .editing || phase == .submitting else { return }
        pending = nil
        edits += 1
    }

    func reset() {
        pending = nil
        transaction = nil
        phase = .editing
        draft += 1
    }

    /// Sends the pending request again, or a new one made by `make`; returns the problem, if any.
    func submit(_ make: () -> PaymentDraft<Input>?, send: @Sendable (Input, String) async throws -> TransactionCreated) async -> Problem? {
        let current = draft, edit = edits
        let payment: (key: String, input: Input, intent: PaymentIntent, savedAt: Date)
        // A key whose first payment can no longer be approved names nothing worth replaying: the
        // screen's terms are confirmed as a new payment (`IdempotencyKeys.pendingPaymentWindow`).
        if let stale = pending, !PendingPayment(key: stale.key, savedAt: stale.savedAt).isCurrent(at: environment.now()) {
            pending = nil
        }
        if let pending {
            payment = pending
        } else {
            guard let draft = make() else { return nil }
            phase = .submitting
            payment = await keep(draft)
            guard current == self.draft else { return nil }
            pending = payment
        }
        phase = .submitting
        let store = environment.pendingPayments
        do {
            let created = try await send(payment.input, payment.key)
            await store.clear(for: payment.intent)
            // Started over meanwhile: the payment is in the person's list; this screen is another one's now.
            guard current == draft else { return nil }
            transaction = created.transaction
            if let url = created.scaRedirect {
                phase = .awaitingApproval(url)
            } else {
                // Held for review, or nothing to approve: follow it from here.
                phase = created.transaction.status.isFinal ? .finished(created.transaction.status) : .following
            }
            return nil
        } catch {
            let problem = Problem(error)
            if !problem.keepsIdempotencyKey || edit != edits, pending?.key == payment.key { pending = nil }
            if !problem.keepsIdempotencyKey { await store.clear(for: payment.intent) }
            guard current == draft else { return nil }
            phase = .editing
            return problem
        }
    }

    /// The key and body for `draft`: those of the same payment sent earlier (maybe before a relaunch)
    /// without a definite answer, or a new key, kept before the request leaves the phone.
    private func keep(_ draft: PaymentDraft<Input>) async -> (key: String, input: Input, intent: PaymentIntent, savedAt: Date) {
        let fresh = PendingPayment(key: environment.newIdempotencyKey(), quoteId: draft.quoteId, savedAt: environment.now())
        let kept = await environment.pendingPayments.keep(fresh, for: draft.intent)
        return (kept.key, draft.input(kept.quoteId ?? draft.quoteId), draft.intent, kept.savedAt)
    }

    /// Whether `link` is the bank's return for this payment (`drop://transactions/{id}`).
    func isReturn(_ link: DeepLink) -> Bool {
        guard case .transaction(let id) = link else { return false }
        return id == transaction?.id
    }

    /// Reads the status until it is final.
    func follow() async -> Problem? {
        guard let id = transaction?.id else { return nil }
        let current = draft
        phase = .following
        do {
            // Reading stops once the screen started over: a later status is not the new payment's.
            let final = try await environment.follow(id) { read in
                guard current == self.draft else { return false }
                self.transaction = read
                return true
            }
            guard current == draft else { return nil }
            phase = final.status.isFinal ? .finished(final.status) : .following
            return nil
        } catch {
            return current == draft ? Problem(error) : nil
        }
    }
}

/// A confirmed payment before it is sent: what it pays, and its body for a quote.
struct PaymentDraft<Input> {
    /// The same intent is the same payment: sent under the key kept for it, if there is one.
    let intent: PaymentIntent
    /// The quote on the screen (transfers). A payment kept from earlier is sent with the quote it
    /// was first sent with, as the server recognises a retry by its exact body.
    var quoteId: String?
    let input: (_ quoteId: String?) -> Input
}
