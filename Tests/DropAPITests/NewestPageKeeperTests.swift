import DropStore
import DropTestSupport
import Foundation
import Logging
import NIOCore
import Testing
@testable import DropAPI

/// Pages handed to the keeper reach the database many to a statement, off the request's path, each only under the
/// number it was read under, and never past the keeper's budget (ADR 0023).
@Suite("Keeping newest pages in the database")
struct NewestPageKeeperTests {
    static let format = "1/20"

    /// Each customer with a recipient and one transfer, so each has a number (1) to keep a page under.
    static func customersWithATransfer(_ customers: [String], _ database: Database) async throws {
        let now = Date(timeIntervalSince1970: 1_790_000_000)
        for customer in customers {
            try await database.run("""
                INSERT INTO users (id, pid_hash, role, created_at, updated_at) VALUES (\(bind: customer), \(bind: "h-" + customer), 'user', \(bind: now), \(bind: now))
                """)
            try await database.run("""
                INSERT INTO recipients (id, user_id, name, country, currency, created_at, updated_at)
                VALUES (\(bind: "r-" + customer), \(bind: customer), 'Anna', 'PL', 'PLN', \(bind: now), \(bind: now))
                """)
            try await database.run("""
                INSERT INTO transactions (id, user_id, kind, status, amount_minor, currency, fee_minor, total_minor, recipient_id, end_to_end_id, created_at, updated_at)
                VALUES (\(bind: "t-" + customer), \(bind: customer), 'remittance', 'pending_sca', 100000, 'NOK', 500, 100500, \(bind: "r-" + customer),
                        \(bind: "E2E-" + customer), \(bind: now), \(bind: now))
                """)
        }
    }

    /// `body` with `keeper` running as the application runs it; then stopped, as at shutdown.
    static func running(_ keeper: NewestPageKeeper, _ body: () async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await keeper.run() }
            try await body()
            group.cancelAll()
            try await group.waitForAll()
        }
    }

    @Test func aCrowdsPagesAreKeptManyToAStatementEachUnderItsNumber() async throws {
        try await TestDatabase.with { database in
            let customers = (0..<150).map { "u\($0)" }
            try await Self.customersWithATransfer(customers, database)
            let keeper = NewestPageKeeper(database: database, format: Self.format, pagesPerStatement: 64, logger: Logger(label: "test"))
            try await Self.running(keeper) { () async throws in
            for customer in customers {
                keeper.keep(ByteBuffer(string: #"{"items":["\#(customer)"]}"#), userId: customer, version: 1)
            }
            // A page read under an older number than one already handed over is not kept over it.
            keeper.keep(ByteBuffer(string: #"{"items":["older"]}"#), userId: "u0", version: 0)
            await keeper.idle()
            for customer in customers {
                let kept = try await KeptNewestPage.read(userId: customer, format: Self.format, in: database)
                #expect(kept == KeptNewestPage(version: 1, json: #"{"items":["\#(customer)"]}"#))
            }

            // A write moved u1's number before its page was written: that page is not kept; the others are.
            try await database.run("UPDATE transactions SET status = 'processing' WHERE user_id = 'u1'")
            keeper.keep(ByteBuffer(string: #"{"items":["u1 again"]}"#), userId: "u1", version: 1)
            keeper.keep(ByteBuffer(string: #"{"items":["u2 again"]}"#), userId: "u2", version: 1)
            await keeper.idle()
            #expect(try await KeptNewestPage.read(userId: "u1", format: Self.format, in: database).json == nil)
            #expect(try await KeptNewestPage.read(userId: "u2", format: Self.format, in: database).json == #"{"items":["u2 again"]}"#)
            }
        }
    }

    /// What waits past the budget is dropped, not queued without end: a page not kept costs a read, nothing else.
    @Test func pagesPastTheBudgetAreDropped() async throws {
        try await TestDatabase.with { database in
            try await Self.customersWithATransfer(["u0", "u1"], database)
            let keeper = NewestPageKeeper(database: database, format: Self.format, maxBytes: 10, logger: Logger(label: "test"))
            try await Self.running(keeper) { () async throws in
            keeper.keep(ByteBuffer(string: "0123456789A"), userId: "u0", version: 1)
            keeper.keep(ByteBuffer(string: "[1]"), userId: "u1", version: 1)
            await keeper.idle()
            #expect(try await KeptNewestPage.read(userId: "u0", format: Self.format, in: database).json == nil)
            #expect(try await KeptNewestPage.read(userId: "u1", format: Self.format, in: database).json == "[1]")
            }
        }
    }

    /// At shutdown the keeper writes what still waits before it returns, so the application closes the database
    /// after the last page is written, never under it.
    @Test func whatWaitsAtShutdownIsWrittenBeforeTheKeeperStops() async throws {
        try await TestDatabase.with { database in
            let customers = (0..<100).map { "u\($0)" }
            try await Self.customersWithATransfer(customers, database)
            let keeper = NewestPageKeeper(database: database, format: Self.format, pagesPerStatement: 8, logger: Logger(label: "test"))
            try await Self.running(keeper) { () async throws in
                for customer in customers { keeper.keep(ByteBuffer(string: "[\"\(customer)\"]"), userId: customer, version: 1) }
            }
            for customer in customers {
                #expect(try await KeptNewestPage.read(userId: customer, format: Self.format, in: database).json == "[\"\(customer)\"]")
            }
        }
    }
}
