import DropCore
import DropStore
import Foundation

/// Recipients saved before payments abroad had to be in Latin letters (a Ukrainian recipient written
/// "Олена Коваль"), and the standing transfers paying them (`PayeeWriting`).
///
/// The customer is told once per recipient, by notification and email, to edit the name or address as it
/// is written on the recipient's bank account: otherwise they learn it only from a 422 when they next send.
///
/// A standing transfer paying such a payee is stopped at once (as deleting its recipient stops it) and the
/// customer told why. Waiting for the customer to edit the recipient would not help it: an order pays the
/// payee approved at the bank (`PayeeSnapshot`), which an edit of the recipient does not change, so every
/// payment the bank makes under it would leave the customer's account, fail at payout and come back days
/// later. A new order to the edited recipient pays.
extension StandingOrderService {
    /// What one run did: recipients whose owner was told, orders stopped.
    public struct UnwritablePayeesRun: Sendable, Equatable {
        public var told = 0
        public var stopped = 0
    }

    static let unwritablePayeeStopReason = "payee_not_writable"

    /// The job `recipients.unwritable-payees`. Safe to run again and from two workers: the notice to a
    /// recipient's owner has an id derived from the recipient (`RecordID.derived`), written once under the
    /// recipient's row lock; an order is stopped only by the one move that finds it running.
    public func handleUnwritablePayees(pageSize: Int = 200) async throws -> UnwritablePayeesRun {
        var run = UnwritablePayeesRun()
        var after: String?
        while true {
            let page = try await database.withConnection { try await RecipientRepository.live(after: after, limit: pageSize, on: $0) }
            for recipient in page where recipient.unwritableField != nil {
                if try await tellUnwritable(recipient) { run.told += 1 }
            }
            guard page.count == pageSize, let last = page.last else { break }
            after = last.id
        }
        after = nil
        while true {
            let page = try await database.withConnection { try await StandingOrderRepository.running(after: after, limit: pageSize, on: $0) }
            for order in page where order.payee?.unwritableField != nil {
                if try await stopUnwritable(order) { run.stopped += 1 }
            }
            guard page.count == pageSize, let last = page.last else { break }
            after = last.id
        }
        return run
    }

    /// The id of the one notice about `recipientId`.
    static func unwritableNoticeId(recipientId: String) -> String {
        RecordID.derived(from: "\(NotificationKind.recipientNeedsLatinLetters.rawValue):\(recipientId)")
    }

    private func tellUnwritable(_ recipient: RecipientRecord) async throws -> Bool {
        let now = clock()
        let noticeId = Self.unwritableNoticeId(recipientId: recipient.id)
        return try await database.transaction { db in
            // Judged again under the lock: edited or deleted meanwhile, or told by another worker.
            guard let current = try await RecipientRepository.findForUpdate(id: recipient.id, userId: recipient.userId, on: db),
                  current.unwritableField != nil, try await !NotificationRepository.exists(id: noticeId, on: db) else { return false }
            try await NotificationRepository.insert(NotificationRecord(
                id: noticeId, userId: current.userId, kind: .recipientNeedsLatinLetters, title: "Edit \(current.name) to keep sending",
                body: "Payments abroad carry names and addresses in Latin letters only, and the name or address of \(current.name) is not "
                    + "written in them. Add the recipient again under Recipients as written on their bank account (or edit them in the app). "
                    + "Until then, nothing can be sent to them.",
                link: NotificationLink(recipientId: current.id, recipientName: current.name), createdAt: now), on: db)
            return true
        }
    }

    private func stopUnwritable(_ order: StandingOrderRecord) async throws -> Bool {
        let now = clock()
        let stopped = try await database.transaction { db -> StandingOrderRecord? in
            guard let current = try await StandingOrderRepository.lockForChange(id: order.id, userId: order.userId, on: db),
                  let payee = current.payee, payee.unwritableField != nil, current.status.applying(.stop) != nil,
                  try await StandingOrderRepository.move(id: current.id, from: current.status, to: .stopped, stopReason: Self.unwritablePayeeStopReason,
                                                         actor: .system, at: now, on: db) else { return nil }
            try await NotificationRepository.insert(NotificationRecord(
                userId: current.userId, kind: .standingOrderPayeeNotWritable, title: "Standing transfer to \(payee.name) stopped",
                body: "The name or address of \(payee.name) is not in Latin letters, which payments abroad need, so no payment could reach them "
                    + "and each would come back to you. We stopped the standing transfer. Add the recipient again as written on their bank account "
                    + "(or edit them in the app) and set up a new standing transfer.",
                link: NotificationLink(standingOrderId: current.id, recipientId: current.recipientId, recipientName: payee.name), createdAt: now), on: db)
            return current
        }
        guard let stopped else { return false }
        // As a deleted recipient's orders: asked now, and the reconciler asks again until the bank has cancelled it.
        await cancelAtBank(stopped)
        return true
    }
}
