import Foundation
import Logging

/// The payout partner's memory: accepted messages and their transactions' statuses, and the
/// idempotency records, saved to its own JSON file after every change (written aside, then
/// renamed) and read back at start. An actor, so checking a key and accepting under it is atomic.
actor PayoutSandboxStore {
    /// What became of a submission.
    enum Admission: Sendable {
        case accepted
        /// The key was used before for the same body: the first answer.
        case replay(String)
        /// The key was used before for another body.
        case conflict
        /// The MsgId was accepted before, under another key.
        case duplicateMessageId
    }

    enum StoreError: Error, Sendable, CustomStringConvertible {
        case unreadableStateFile(reason: String)

        var description: String {
            switch self {
            case .unreadableStateFile(let reason): "payout sandbox state file unreadable: \(reason)"
            }
        }
    }

    private var state: PayoutSandboxState
    private let fileURL: URL
    private let logger: Logger

    init(stateFilePath: String, logger: Logger) throws {
        fileURL = URL(fileURLWithPath: stateFilePath)
        self.logger = logger
        state = try Self.load(fileURL)
    }

    /// What an earlier submission under `key` was, if any.
    func idempotencyRecord(for key: String) -> PayoutSandboxIdempotencyRecord? {
        state.idempotencyKeys[key]
    }

    /// The first answer to the message accepted under `record`.
    func acceptanceReport(for record: PayoutSandboxIdempotencyRecord) -> String? {
        state.messages[record.messageId]?.acceptanceReport
    }

    /// Every end-to-end id in a message it accepted.
    func acceptedEndToEndIds() -> Set<String> {
        Set(state.messages.values.flatMap { $0.paymentGroups.flatMap { $0.transactions.map(\.endToEndId) } })
    }

    /// The message received last before or after `id` (the first other one in id order), settled to `date`.
    func message(otherThan id: String, at date: Date) throws -> PayoutSandboxMessage? {
        try settleDue(at: date)
        return state.messages.keys.sorted().first { $0 != id }.flatMap { state.messages[$0] }
    }

    func hasMessage(id: String) -> Bool {
        state.messages[id] != nil
    }

    /// Accepts `message` under `key` unless the key or the message id is taken.
    func admit(_ message: PayoutSandboxMessage, key: String, bodySHA256: String) throws -> Admission {
        if let record = state.idempotencyKeys[key] {
            guard record.bodySHA256 == bodySHA256 else { return .conflict }
            return state.messages[record.messageId].map { .replay($0.acceptanceReport) } ?? .conflict
        }
        guard state.messages[message.messageId] == nil else { return .duplicateMessageId }
        state.messages[message.messageId] = message
        state.idempotencyKeys[key] = PayoutSandboxIdempotencyRecord(messageId: message.messageId, bodySHA256: bodySHA256)
        try save()
        logger.info("payout sandbox accepted a message", metadata: [
            "message_id": "\(message.messageId)", "transactions": "\(message.numberOfTransactions)",
        ])
        return .accepted
    }

    /// The message as it stands at `date`, after settling what is due.
    func message(id: String, at date: Date) throws -> PayoutSandboxMessage? {
        try settleDue(at: date)
        return state.messages[id]
    }

    /// Moves every transaction whose time has come: rejected or settled at `settlesAt`,
    /// credited at `creditedAt`. - Returns: how many transactions changed.
    @discardableResult
    func settleDue(at date: Date) throws -> Int {
        var changed = 0
        for (messageId, message) in state.messages where message.paymentGroups.contains(where: { $0.transactions.contains { !$0.isFinal } }) {
            var updated = message
            for groupIndex in updated.paymentGroups.indices {
                for index in updated.paymentGroups[groupIndex].transactions.indices {
                    var transaction = updated.paymentGroups[groupIndex].transactions[index]
                    let before = transaction.status
                    Self.advance(&transaction, at: date)
                    if transaction.status != before {
                        updated.paymentGroups[groupIndex].transactions[index] = transaction
                        changed += 1
                    }
                }
            }
            state.messages[messageId] = updated
        }
        if changed > 0 { try save() }
        return changed
    }

    private static func advance(_ transaction: inout PayoutSandboxTransaction, at date: Date) {
        guard !transaction.isFinal, date >= transaction.settlesAt else { return }
        if let rejection = transaction.plannedRejection {
            transaction.status = .rejected
            transaction.reasonCode = rejection.code
            transaction.reasonText = rejection.text
            return
        }
        transaction.acceptedAt = transaction.acceptedAt ?? transaction.settlesAt
        transaction.status = date >= transaction.creditedAt ? .credited : .settled
    }

    // MARK: Returns

    enum ReturnAdmission: Sendable {
        case created(PayoutSandboxReturn)
        /// The same client id and request again: the first return.
        case replay(PayoutSandboxReturn)
        /// The same client id with a different request.
        case conflict
        /// Refused, with a code for the client.
        case refused(String)
    }

    /// The return under the client's `returnId`, or a new one when the partner holds the NOK:
    /// never two returns for one end-to-end id, never one for a payout that is paid or on its way.
    func admitReturn(_ candidate: PayoutSandboxReturn, received: PayoutSandboxIncomingPayment?) throws -> ReturnAdmission {
        if let existing = state.returns.values.first(where: { $0.returnId == candidate.returnId }) {
            let same = existing.endToEndId == candidate.endToEndId && existing.amountMinor == candidate.amountMinor && existing.account == candidate.account
            return same ? .replay(existing) : .conflict
        }
        guard let received, received.fromAccount == candidate.account, candidate.amountMinor <= received.amountMinor else {
            return .refused("FUNDS_NOT_HELD")
        }
        if state.returns.values.contains(where: { $0.endToEndId == candidate.endToEndId }) { return .refused("ALREADY_RETURNED") }
        let payout = state.messages.values.lazy.flatMap(\.paymentGroups).flatMap(\.transactions).first { $0.endToEndId == candidate.endToEndId }
        if let payout, payout.status != .rejected { return .refused("PAYOUT_NOT_REJECTED") }
        state.returns[candidate.id] = candidate
        try save()
        return .created(candidate)
    }

    func paymentReturn(id: String) -> PayoutSandboxReturn? {
        state.returns[id]
    }

    /// Completes every return whose time has come. - Returns: those completed now (to pay out once).
    func completeDueReturns(at date: Date) throws -> [PayoutSandboxReturn] {
        var completed: [PayoutSandboxReturn] = []
        for (id, entry) in state.returns where entry.completedAt == nil && date >= entry.completesAt {
            state.returns[id]?.completedAt = entry.completesAt
            completed.append(state.returns[id] ?? entry)
        }
        if !completed.isEmpty { try save() }
        return completed
    }

    /// The account it was due to go back to did not take the NOK: the return failed, and the NOK stays here.
    func failReturn(id: String, reason: String) throws {
        state.returns[id]?.failureReason = reason
        try save()
    }

    // MARK: Persistence

    private func save() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(state)
        try FileManager.default.createDirectory(at: fileURL.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: fileURL, options: .atomic)
    }

    private static func load(_ url: URL) throws -> PayoutSandboxState {
        guard FileManager.default.fileExists(atPath: url.path) else { return PayoutSandboxState() }
        let decoder = JSONDecoder()
        let state: PayoutSandboxState
        do {
            state = try decoder.decode(PayoutSandboxState.self, from: Data(contentsOf: url))
        } catch {
            throw StoreError.unreadableStateFile(reason: String(describing: type(of: error)))
        }
        guard state.version == PayoutSandboxState.currentVersion else {
            throw StoreError.unreadableStateFile(reason: "version \(state.version)")
        }
        return state
    }
}
