import DropCore
import DropStore
import Foundation

/// A payout message's pain.001 and pain.002 name every receiver, their address, account and amount: Drop's copy
/// of what it told the partner, kept five years from when the message was done with (the partner's last answer:
/// every outcome known, or the whole message refused; `RecordRetention`), then blanked. The message's ids, status,
/// count and control sum stay; each transfer keeps its payee on its customer's own clock (`users.retain_until`).
extension RetentionPurge {
    /// No five years are shorter than this, so nothing that changed later is due.
    static let shortestRetention: TimeInterval = 1_825 * 86_400

    /// Blanks up to `batch` messages' files, each in its own DB transaction with its audit row
    /// (`payout.files_deleted`); returns how many.
    @discardableResult
    func blankPayoutFiles(batch: Int = 500) async throws -> Int {
        let now = clock()
        let kept = try await database.withConnection {
            try await PayoutRepository.keptFiles(changedBefore: now.addingTimeInterval(-Self.shortestRetention), limit: batch, on: $0)
        }
        var blanked = 0
        for payout in kept where RecordRetention.keptUntil(madeAt: payout.changedAt) <= now {
            if try await database.transaction({ try await PayoutRepository.blankFiles(id: payout.id, at: now, on: $0) }) { blanked += 1 }
        }
        return blanked
    }
}
