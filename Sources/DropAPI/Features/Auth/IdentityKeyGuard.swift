import DropCore
import DropStore
import Foundation
import Logging

/// Read at start by every process that serves or works (ADR 0034): a sealed number naming a pepper or key that is
/// neither the current nor the previous one means `PID_PEPPER` or `PID_ENCRYPTION_KEY` was changed without its
/// `_PREVIOUS` (or the previous value removed while rows still need it). Served like that, every returning person
/// whose hash Drop can't find again would become a new customer, with fresh limits and no AML history, so
/// production refuses to start and other environments say so loudly.
public struct IdentityKeyGuard: Sendable {
    let database: Database
    let hasher: PidHasher
    let cipher: PidCipher
    let logger: Logger

    init(database: Database, hasher: PidHasher, cipher: PidCipher, logger: Logger) {
        self.database = database
        self.hasher = hasher
        self.cipher = cipher
        self.logger = logger
    }

    /// For `drop identity-keys status`, which reads the keys from the configuration without starting Drop.
    public init(database: Database, secrets: Secrets, logger: Logger) {
        self.init(database: database, hasher: PidHasher(pepper: secrets.pidPepper, previous: secrets.previousPidPepper),
                  cipher: PidCipher(secret: secrets.pidEncryptionKey, previous: secrets.previousPidEncryptionKey), logger: logger)
    }

    /// One line per value to set, naming the variable; empty when every named key and pepper is one Drop has.
    public func problems() async throws -> [String] {
        let peppers = [hasher.id] + (hasher.previousId.map { [$0] } ?? [])
        let keys = [cipher.id] + (cipher.previousId.map { [$0] } ?? [])
        let (pepper, key) = try await database.withConnection { db in
            (try await UserRepository.sealedPidNamingUnknown(.pepper, known: peppers, idLength: hasher.id.count, on: db),
             try await UserRepository.sealedPidNamingUnknown(.key, known: keys, idLength: cipher.id.count, on: db))
        }
        var problems: [String] = []
        if let pepper {
            problems.append("""
                PID_PEPPER: customers are hashed under pepper id \(pepper), which is neither PID_PEPPER's (\(hasher.id)) nor \
                PID_PEPPER_PREVIOUS's (\(hasher.previousId ?? "not set")): every returning one would become a new customer, \
                with fresh limits and no AML history. Set PID_PEPPER_PREVIOUS to the pepper they were hashed with until \
                `drop identity-keys status` says it can go (ADR 0034)
                """)
        }
        if let key {
            problems.append("""
                PID_ENCRYPTION_KEY: national identity numbers are sealed under key id \(key), which is neither \
                PID_ENCRYPTION_KEY's (\(cipher.id)) nor PID_ENCRYPTION_KEY_PREVIOUS's (\(cipher.previousId ?? "not set")): \
                they can't be opened, so their persons can't be re-hashed or named to their bank. Set \
                PID_ENCRYPTION_KEY_PREVIOUS to the key that sealed them until `drop identity-keys status` says it can go (ADR 0034)
                """)
        }
        return problems
    }

    /// `refusing` (production): throws the problems as a `ConfigError`; otherwise logs each one and goes on.
    public func check(refusing: Bool) async throws {
        let problems = try await problems()
        guard !problems.isEmpty else { return }
        if refusing { throw ConfigError(problems: problems) }
        for problem in problems {
            logger.critical("identity keys Drop doesn't have: returning customers may become new ones", metadata: ["problem": "\(problem)"])
        }
    }

    /// What `drop identity-keys status` prints.
    public func census() async throws -> IdentityKeyCensus {
        let (sealed, without) = try await database.withConnection { db in
            (try await UserRepository.sealedPidsByKeys(idLength: hasher.id.count, on: db), try await UserRepository.rowsWithoutSealedPid(on: db))
        }
        return IdentityKeyCensus(sealedByKeys: sealed, keyIds: (cipher.id, cipher.previousId), pepperIds: (hasher.id, hasher.previousId),
                                 withoutSealedNumber: without)
    }
}

extension IdentityKeyCensus {
    /// Counts and what they mean for the operator; no number, no hash, only the keys' ids.
    public var report: String {
        """
        Sealed national identity numbers (active and erased customers):
          under the current key and pepper:            \(current)
          sealed under PID_ENCRYPTION_KEY_PREVIOUS:    \(underPreviousKey)
          hashed under PID_PEPPER_PREVIOUS:            \(underPreviousPepper)
          from before numbers named their keys:        \(unnamed)
          under a key or pepper Drop doesn't have:     \(underUnknownKeys)
        Without a sealed number:
          active customers (move only at sign-in):     \(activeWithoutSealedNumber)
          erased, retention ended (never move):        \(erasedWithoutSealedNumber)
        PID_ENCRYPTION_KEY_PREVIOUS can be removed:    \(previousKeyCanGo ? "yes" : "no")
        PID_PEPPER_PREVIOUS can be removed:            \(previousPepperCanGo ? "yes" : "no")
        """
    }
}
