import PostgresKit
import SQLiteKit

/// Classifies driver errors the store reacts to, without leaking driver types upward.
public enum DatabaseErrorKind: Sendable, Equatable {
    /// SQLite BUSY or a Postgres serialization failure/deadlock: the whole transaction may be retried.
    case retryable
    case uniqueViolation
    case foreignKeyViolation
    /// PostgreSQL refused a character in text (a NUL, SQLSTATE 22021): the input's fault, not the server's.
    case characterRefused
    /// PostgreSQL could not hold a value (SQLSTATE 54000, e.g. a key past an index entry's size):
    /// Drop's own values are bounded, so a caller's oversized one got past a field check.
    case valueTooLarge
    /// PostgreSQL gave up waiting for a lock after `lock_timeout` (SQLSTATE 55P03): nothing of the
    /// statement was done; a migration waits and tries again (`Migrator`).
    case lockNotAvailable
    case other
}

public func classifyDatabaseError(_ error: any Error) -> DatabaseErrorKind {
    if let error = error as? SQLiteError {
        switch error.reason {
        case .busy, .busyTimeout, .busyInRecovery, .busyInSnapshot, .locked: return .retryable
        case .constraintUniqueFailed, .constraintPrimaryKeyFailed: return .uniqueViolation
        case .constraintForeignKeyFailed: return .foreignKeyViolation
        case .constraint:
            // Older SQLite builds report the generic code; the message still says which.
            if error.message.contains("UNIQUE") { return .uniqueViolation }
            if error.message.contains("FOREIGN KEY") { return .foreignKeyViolation }
            return .other
        default: return .other
        }
    }
    if let error = error as? PSQLError, let state = error.serverInfo?[.sqlState] {
        switch state {
        case "40001", "40P01": return .retryable  // serialization_failure, deadlock_detected
        case "23505": return .uniqueViolation
        case "23503": return .foreignKeyViolation
        case "22021": return .characterRefused  // character_not_in_repertoire
        case "54000": return .valueTooLarge  // program_limit_exceeded
        case "55P03": return .lockNotAvailable  // lock_not_available
        default: return .other
        }
    }
    return .other
}

/// The PostgreSQL connection a statement was to go on had been closed (the server ended the session, restarted
/// or failed over): nothing of the statement reached the database. A transaction it was in is over, rolled back
/// by the server unless its COMMIT had already been answered.
public struct DatabaseConnectionClosed: Error, CustomStringConvertible {
    public init() {}
    public var description: String { "the database connection was closed by the server" }
}
