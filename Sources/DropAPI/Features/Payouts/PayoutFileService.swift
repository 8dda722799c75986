import DropCore
import DropStore
import Foundation

/// The pain.001 Drop sent the partner, for an admin (`GET /v1/admin/payouts/{id}/pain001.xml`) or an
/// operator (`drop payout-export`). It names every receiver, their address, account and amount, so each
/// download is audited (`payout.exported`, the payout's id and who) in the DB transaction that reads it,
/// as a report's is. 404 for no such payout, 410 `PAYOUT_FILE_DELETED` once its retention ended
/// (`RetentionPurge.blankPayoutFiles`).
public struct PayoutFileService: Sendable {
    let database: Database
    let clock: @Sendable () -> Date

    func pain001(idOrMessageId id: String, by actor: AdminActor) async throws -> String {
        try await export(id) { actor.audit("payout.exported", "payout", $0) }
    }

    /// From the command line: the system's act, with the name the operator gave (`OperatorName`), as `drop admin grant` records it.
    public func pain001(idOrMessageId id: String, operatorName: String) async throws -> String {
        guard let operatorName = OperatorName.checked(operatorName) else { throw AppError.badRequest(OperatorName.missing) }
        return try await export(id) { try AuditEntry(actor: .system, action: "payout.exported", entityType: "payout", entityId: $0, data: ["operator": operatorName]) }
    }

    /// Writes an exported pain.001 readable by its owner only (0600): it names every receiver and their account.
    public static func save(_ xml: String, toFile path: String) throws {
        // Made 0600 before a byte is written: a file created and then given its mode would be readable by others
        // for that instant. An existing file keeps its own mode through open(2), hence fchmod (it is empty by then).
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path]) }
        let file = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        guard fchmod(fd, 0o600) == 0 else { throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path]) }
        try file.write(contentsOf: Data(xml.utf8))
        try file.close()
    }

    static let deleted = AppError(.gone, code: "PAYOUT_FILE_DELETED",
                                  message: "This payout's file was deleted when its five-year retention ended.")

    private func export(_ id: String, _ audit: @Sendable (_ payoutId: String) throws -> AuditEntry) async throws -> String {
        let now = clock()
        return try await database.transaction { db in
            guard let file = try await PayoutRepository.file(idOrMessageId: id, on: db) else { throw AppError.notFound("No such payout.") }
            guard !file.pain001.isEmpty else { throw Self.deleted }
            try await AuditLog.append(try audit(file.id), at: now, on: db)
            return file.pain001
        }
    }
}
