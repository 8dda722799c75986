import DropStore
import Foundation
import Logging

/// Deletes what was kept of erased customers once the AML retention period has run out.
struct RetentionPurge: Sendable {
    /// How long a purged customer's row that others' records still point at (an officer's decisions, a
    /// business other customers paid) waits before it is looked at again.
    static let recheckAfter: TimeInterval = 30 * 86_400

    let database: Database
    let clock: @Sendable () -> Date
    let logger: Logger

    /// Purges up to `batch` customers, each in its own DB transaction with its audit row; returns how
    /// many were purged. One that can't be (a row still points at them) raises an alert and the rest
    /// go on: the oldest is first in every batch, so stopping there would keep everyone after it forever.
    /// One with an AML alert still open or a report still a draft is not purged: an investigation doesn't
    /// vanish half way (hvitvaskingsloven § 30). Their purge waits `recheckAfter` (`user.purge_postponed`);
    /// closing it keeps the records five years from then (`RecordRetention`).
    @discardableResult
    func run(batch: Int = 100) async throws -> Int {
        let now = clock()
        let due = try await database.withConnection { try await PersonalData.dueForPurge(at: now, limit: batch, on: $0) }
        var purged = 0
        for userId in due {
            do {
                let done = try await database.transaction { db -> Bool in
                    guard !(try await PersonalData.investigationOpen(about: userId, on: db)) else {
                        try await PersonalData.keepRecords(of: userId, until: now.addingTimeInterval(Self.recheckAfter), on: db)
                        try await AuditLog.append(AuditEntry(actor: .system, action: "user.purge_postponed", entityType: "user", entityId: userId),
                                                  at: now, on: db)
                        return false
                    }
                    // Read before the purge clears it: Sumsub forgets the applicant once Drop has (`KYCApplicantDeletion`).
                    let applicantId = try await PersonalData.kycApplicantId(of: userId, on: db)
                    let deleted = try await PersonalData.purge(userId: userId, recheckAt: now.addingTimeInterval(Self.recheckAfter), on: db)
                    if let applicantId { try await KYCApplicantDeletion.queue(applicantId: applicantId, at: now, on: db) }
                    try await AuditLog.append(AuditEntry(actor: .system, action: "user.purged", entityType: "user", entityId: userId,
                                                         data: ["rowKept": !deleted]), at: now, on: db)
                    return true
                }
                if done { purged += 1 }
            } catch {
                let kind = String(describing: classifyDatabaseError(error))
                logger.error("an erased customer's kept records could not be purged",
                             metadata: ["user_id": .string(userId), "error_class": .string(kind)])
                try await database.transaction { db in
                    try await OperationsAlertRepository.raise(
                        .retentionPurgeFailed, entityType: "user", entityId: userId,
                        details: OperationsAlertDetails.RetentionPurgeFailed(error: kind),
                        dedupeKey: "retention_purge_failed:\(userId)", at: now, on: db)
                }
            }
        }
        return purged
    }
}
