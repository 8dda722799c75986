import DropCore
import DropStore
import Foundation
import Logging

/// Moves customers' rows to the current `PID_ENCRYPTION_KEY` and `PID_PEPPER` after a rotation (ADR 0034):
/// each sealed number is opened (with the previous key if need be), sealed again under the current key, and
/// the person's hash (their active row and the erased ones AML keeps) moved to the current pepper. Every row
/// is its own transaction, written only if the sealed value is still the one read, so a crash loses nothing
/// and two workers, or a sign-in at the same moment, can't undo each other.
public struct IdentityKeyRotation: Sendable {
    let database: Database
    let hasher: PidHasher
    let cipher: PidCipher
    let clock: @Sendable () -> Date
    let logger: Logger
    var batchSize = 200

    public struct Outcome: Sendable, Equatable {
        /// Rows now under the current key and pepper.
        public var moved = 0
        /// Sealed under a key Drop no longer has, or hashed under a pepper it no longer has: the person's next
        /// sign-in seals and hashes them afresh (or finds them again only if the previous pepper is still set).
        public var unreachable = 0
    }

    @discardableResult
    public func run() async throws -> Outcome {
        let prefix = SealedIdentity.prefix(keyId: cipher.id, pepperId: hasher.id)
        var outcome = Outcome()
        var after: String?
        while true {
            let rows = try await database.withConnection {
                try await UserRepository.sealedPidsNotUnder(prefix: prefix, after: after, limit: batchSize, on: $0)
            }
            for row in rows {
                if try await move(row) { outcome.moved += 1 } else { outcome.unreachable += 1 }
            }
            guard rows.count == batchSize, let last = rows.last else { break }
            after = last.id
        }
        if outcome.moved > 0 || outcome.unreachable > 0 {
            logger.notice("identity keys rotated", metadata: ["moved": "\(outcome.moved)", "unreachable": "\(outcome.unreachable)"])
        }
        return outcome
    }

    private func move(_ row: (id: String, pidHash: String, sealed: String)) async throws -> Bool {
        guard let number = cipher.open(row.sealed, userId: row.id) else { return false }
        let current = hasher.hash(number)
        // The row's hash must be the number's under one of the peppers Drop has; any other is left alone.
        guard row.pidHash == current || row.pidHash == hasher.previousHash(number) else { return false }
        let resealed = try cipher.seal(number, userId: row.id, pepperId: hasher.id)
        let now = clock()
        return try await database.transaction { db in
            // Someone re-sealed it since (a sign-in, another worker): theirs is current already.
            guard try await UserRepository.resealPid(userId: row.id, from: row.sealed, to: resealed, on: db) else { return true }
            if row.pidHash != current { try await UserRepository.movePidHash(from: row.pidHash, to: current, on: db) }
            try await AuditLog.append(AuditEntry(actor: .system, action: "user.identity_keys_rotated", entityType: "user", entityId: row.id,
                                                 data: ["rehashed": row.pidHash != current ? "true" : "false"]), at: now, on: db)
            return true
        }
    }
}
