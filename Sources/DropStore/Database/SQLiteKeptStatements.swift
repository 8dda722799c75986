import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import SQLiteNIO
import VaporCSQLite

/// SQLite connections of Drop's own that keep their statements prepared, for `PreparedRead`s outside a
/// transaction: SQLite's counterpart of PostgreSQL's named prepared statements (ADR 0015, ADR 0025).
///
/// SQLiteNIO parses every statement it is given and finalizes it after; under a crowd of 3,000 customers
/// that parsing was 9 % of Drop's CPU, more than running the statements. SQLiteNIO keeps no statement and
/// gives no way to its connection's handle, so these reads open their own connections to the same file
/// through SQLite's C API. In WAL mode a read on another connection sees every committed write, which is
/// all a read outside a transaction may see anyway; a transaction's reads stay on its own connection.
///
/// A connection is used by one thread of SQLite's pool at a time: taken from `idle` for one read and put
/// back after it, so there are at most as many as that pool has threads. Every read resets its statement
/// when done, so no connection holds a read snapshot open between reads (it would keep WAL checkpoints
/// from finishing).
final class SQLiteKeptStatements: Sendable {
    private let path: String
    private let busyTimeoutMilliseconds: Int32
    private let threadPool: NIOThreadPool
    private let state = NIOLockedValueBox(State())

    private struct State {
        var idle: [SQLiteReadConnection] = []
        var open = 0
        var closed = false
        var prepared = 0
    }

    init(path: String, busyTimeoutMilliseconds: Int, threadPool: NIOThreadPool) {
        self.path = path
        self.busyTimeoutMilliseconds = Int32(clamping: busyTimeoutMilliseconds)
        self.threadPool = threadPool
    }

    /// The read's rows, answered on `eventLoop` (the caller's, ADR 0021). Throws when this process can't
    /// run it here (its statement doesn't prepare, SQLite refuses a step): the caller then sends it as a
    /// plain statement, which answers or gives SQLite's own error.
    func rows(sql: String, parameters: [String], on eventLoop: any EventLoop) async throws -> [SQLiteReadRow] {
        try await threadPool.runIfActive(eventLoop: eventLoop) {
            let connection = try self.take()
            defer { self.giveBack(connection) }
            let (rows, preparedNow) = try connection.rows(sql: sql, parameters: parameters)
            if preparedNow { self.state.withLockedValue { $0.prepared += 1 } }
            return rows
        }.get()
    }

    /// Closes every connection; one in use closes when its read is done.
    func close() {
        let idle = state.withLockedValue { state -> [SQLiteReadConnection] in
            let idle = state.idle
            state.closed = true
            state.idle = []
            state.open -= idle.count
            return idle
        }
        for connection in idle { connection.close() }
    }

    /// Connections open now, and statements prepared since the start (tests).
    var counts: (open: Int, prepared: Int) { state.withLockedValue { ($0.open, $0.prepared) } }

    private func take() throws -> SQLiteReadConnection {
        let held = try state.withLockedValue { state -> SQLiteReadConnection? in
            guard !state.closed else { throw SQLiteKeptStatementsClosed() }
            if let connection = state.idle.popLast() { return connection }
            state.open += 1
            return nil
        }
        if let held { return held }
        do {
            return try SQLiteReadConnection(path: path, busyTimeoutMilliseconds: busyTimeoutMilliseconds)
        } catch {
            state.withLockedValue { $0.open -= 1 }
            throw error
        }
    }

    private func giveBack(_ connection: SQLiteReadConnection) {
        let keep = state.withLockedValue { state -> Bool in
            guard !state.closed else { state.open -= 1; return false }
            state.idle.append(connection)
            return true
        }
        if !keep { connection.close() }
    }
}

struct SQLiteKeptStatementsClosed: Error {}

/// One SQLite connection and the statements prepared on it, keyed by their text. Not safe to share:
/// `SQLiteKeptStatements` hands it to one thread at a time, hence `@unchecked Sendable`.
final class SQLiteReadConnection: @unchecked Sendable {
    private var handle: OpaquePointer?
    private var statements: [String: KeptStatement] = [:]

    /// A statement with what is worked out once: where each `$n` goes and its columns' names.
    private struct KeptStatement {
        let handle: OpaquePointer
        let parameterIndexes: [Int32]
        let columns: SQLiteReadRow.Columns
    }

    /// Reads only, whatever a statement says (`query_only`); the same busy wait as the pool's connections.
    init(path: String, busyTimeoutMilliseconds: Int32) throws {
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX | SQLITE_OPEN_URI | SQLITE_OPEN_EXRESCODE
        var handle: OpaquePointer?
        let opened = sqlite_nio_sqlite3_open_v2(path, &handle, flags, nil)
        guard opened == SQLITE_OK, let handle else {
            if let handle { sqlite_nio_sqlite3_close(handle) }
            throw SQLiteReadFailure(code: opened, message: "could not open the database for reading")
        }
        self.handle = handle
        sqlite_nio_sqlite3_busy_timeout(handle, busyTimeoutMilliseconds)
        let queryOnly = sqlite_nio_sqlite3_exec(handle, "PRAGMA query_only = ON", nil, nil, nil)
        guard queryOnly == SQLITE_OK else {
            close()
            throw SQLiteReadFailure(code: queryOnly, message: "could not make the connection read-only")
        }
    }

    /// The rows of `sql` with `$1`, `$2`… bound to `parameters` as text, and whether the statement was
    /// prepared for this call (the first on this connection).
    func rows(sql: String, parameters: [String]) throws -> (rows: [SQLiteReadRow], preparedNow: Bool) {
        guard let handle else { throw SQLiteKeptStatementsClosed() }
        let held = statements[sql]
        let preparedNow = held == nil
        let statement = try held ?? prepare(sql, on: handle, parameterCount: parameters.count)
        defer {
            // Ends the statement's read snapshot, whatever happened.
            sqlite_nio_sqlite3_reset(statement.handle)
            sqlite_nio_sqlite3_clear_bindings(statement.handle)
        }
        for (value, index) in zip(parameters, statement.parameterIndexes) where index > 0 {
            let bound = sqlite_nio_sqlite3_bind_text64(statement.handle, index, value, UInt64(value.utf8.count), SQLITE_TRANSIENT, UInt8(SQLITE_UTF8))
            guard bound == SQLITE_OK else { throw failure(bound, on: handle) }
        }
        var rows: [SQLiteReadRow] = []
        while true {
            let stepped = sqlite_nio_sqlite3_step(statement.handle)
            if stepped == SQLITE_DONE { break }
            guard stepped == SQLITE_ROW else { throw failure(stepped, on: handle) }
            rows.append(SQLiteReadRow(columns: statement.columns, values: try values(of: statement)))
        }
        return (rows, preparedNow)
    }

    func close() {
        for statement in statements.values { sqlite_nio_sqlite3_finalize(statement.handle) }
        statements = [:]
        if let handle { sqlite_nio_sqlite3_close(handle) }
        handle = nil
    }

    deinit { close() }

    private func prepare(_ sql: String, on handle: OpaquePointer, parameterCount: Int) throws -> KeptStatement {
        var prepared: OpaquePointer?
        let result = sqlite_nio_sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &prepared, nil)
        guard result == SQLITE_OK, let prepared else {
            if let prepared { sqlite_nio_sqlite3_finalize(prepared) }
            throw failure(result, on: handle)
        }
        // `$1` is bound where `$1` is, wherever it first appears in the text; 0 when the text never uses it.
        let indexes = (0..<parameterCount).map { sqlite_nio_sqlite3_bind_parameter_index(prepared, "$\($0 + 1)") }
        var names: [String] = []
        for column in 0..<sqlite_nio_sqlite3_column_count(prepared) {
            names.append(sqlite_nio_sqlite3_column_name(prepared, column).map { String(cString: $0) } ?? "")
        }
        let statement = KeptStatement(handle: prepared, parameterIndexes: indexes, columns: .init(names: names))
        // The reads are a fixed set of texts; a bound keeps a mistake from growing this without end.
        if statements.count >= 256 {
            for kept in statements.values { sqlite_nio_sqlite3_finalize(kept.handle) }
            statements = [:]
        }
        statements[sql] = statement
        return statement
    }

    /// The current row's values as SQLiteNIO reads them.
    private func values(of statement: KeptStatement) throws -> [SQLiteData] {
        let handle = statement.handle
        return try (0..<Int32(statement.columns.names.count)).map { column in
            switch sqlite_nio_sqlite3_column_type(handle, column) {
            case SQLITE_INTEGER: return .integer(Int(sqlite_nio_sqlite3_column_int64(handle, column)))
            case SQLITE_FLOAT: return .float(sqlite_nio_sqlite3_column_double(handle, column))
            case SQLITE_TEXT:
                guard let text = sqlite_nio_sqlite3_column_text(handle, column) else { throw SQLiteReadFailure(code: SQLITE_ERROR, message: "no text") }
                return .text(String(cString: text))
            case SQLITE_BLOB:
                let length = Int(sqlite_nio_sqlite3_column_bytes(handle, column))
                var buffer = ByteBufferAllocator().buffer(capacity: length)
                if let bytes = sqlite_nio_sqlite3_column_blob(handle, column) { buffer.writeBytes(UnsafeRawBufferPointer(start: bytes, count: length)) }
                return .blob(buffer)
            default: return .null
            }
        }
    }

    private func failure(_ code: Int32, on handle: OpaquePointer) -> SQLiteReadFailure {
        SQLiteReadFailure(code: code, message: sqlite_nio_sqlite3_errmsg(handle).map { String(cString: $0) } ?? "")
    }
}

/// Why a kept statement didn't answer. Never reaches a caller: the read is sent again as a plain statement.
struct SQLiteReadFailure: Error {
    let code: Int32
    let message: String
}

private let SQLITE_TRANSIENT = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
