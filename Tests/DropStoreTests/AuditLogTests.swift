@testable import DropStore
import DropTestSupport
import Foundation
import Logging
import NIOCore
import SQLKit
import Testing

@Suite("Audit log")
struct AuditLogTests {
    func append(_ count: Int, to database: Database) async throws {
        for index in 0..<count {
            try await database.transaction { db in
                try await AuditLog.append(
                    AuditEntry(actor: .system, action: "test.event", entityType: "thing",
                               entityId: "t\(index)", data: ["n": index]),
                    at: Date(), on: db)
            }
        }
    }

    func entry(_ entityId: String) -> AuditEntry {
        AuditEntry(actor: .system, action: "test.event", entityType: "thing", entityId: entityId)
    }

    @Test func anIntactChainVerifies() async throws {
        try await TestDatabase.with { database in
            try await append(5, to: database)
            let result = try await database.withConnection { try await AuditLog.verify(on: $0) }
            #expect(result == .init(ok: true, checked: 5, brokenAt: nil))
        }
    }

    @Test func concurrentAppendersNeverForkTheChain() async throws {
        try await TestDatabase.with { database in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<4 { group.addTask { try await append(5, to: database) } }
                try await group.waitForAll()
            }
            let result = try await database.withConnection { try await AuditLog.verify(on: $0) }
            #expect(result.ok && result.checked == 20)
        }
    }

    /// A transaction's entries wait until its body is done (the chain's head, which every audited
    /// write waits for, is then held only for the last two statements), and land in order.
    @Test func aTransactionsEntriesAreWrittenInOrderOnceItsBodyIsDone() async throws {
        try await TestDatabase.with { database in
            try await database.transaction { db in
                for index in 0..<3 {
                    try await AuditLog.append(entry("t\(index)"), at: Date(), on: db)
                }
                let written = try await db.raw("SELECT COUNT(*) AS n FROM audit_log").first()!.decode(column: "n", as: Int.self)
                #expect(written == 0)
            }
            try await append(1, to: database)
            let rows = try await database.withConnection { db in
                try await db.raw("SELECT seq, entity_id FROM audit_log ORDER BY seq").all()
                    .map { (try $0.decode(column: "seq", as: Int64.self), try $0.decode(column: "entity_id", as: String.self)) }
            }
            #expect(rows.map(\.0) == [1, 2, 3, 4])
            #expect(rows.map(\.1) == ["t0", "t1", "t2", "t0"])
            let result = try await database.withConnection { try await AuditLog.verify(on: $0) }
            #expect(result == .init(ok: true, checked: 4, brokenAt: nil))
        }
    }

    @Test func aRolledBackTransactionLeavesNoEntryAndNoGap() async throws {
        struct Refused: Error {}
        try await TestDatabase.with { database in
            await #expect(throws: Refused.self) {
                try await database.transaction { db in
                    try await AuditLog.append(entry("gone"), at: Date(), on: db)
                    throw Refused()
                }
            }
            try await append(2, to: database)
            let result = try await database.withConnection { try await AuditLog.verify(on: $0) }
            #expect(result == .init(ok: true, checked: 2, brokenAt: nil))
        }
    }

    /// More entries than one statement carries (400 rows a statement), and several transactions of
    /// several entries each at once: still one unbroken chain.
    @Test func manyEntriesInOneTransactionAndManyAtOnceChain() async throws {
        try await TestDatabase.with { database in
            try await database.transaction { db in
                for index in 0..<1_000 {
                    try await AuditLog.append(entry("t\(index)"), at: Date(), on: db)
                }
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for task in 0..<4 {
                    group.addTask {
                        for round in 0..<5 {
                            try await database.transaction { db in
                                for index in 0..<3 {
                                    try await AuditLog.append(entry("\(task)-\(round)-\(index)"), at: Date(), on: db)
                                }
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            let result = try await database.withConnection { try await AuditLog.verify(on: $0) }
            #expect(result == .init(ok: true, checked: 1_060, brokenAt: nil))
            // Each transaction's three entries are next to each other in the chain.
            let ids = try await database.withConnection { db in
                try await db.raw("SELECT entity_id FROM audit_log WHERE seq > 1000 ORDER BY seq").all().map { try $0.decode(column: "entity_id", as: String.self) }
            }
            for start in stride(from: 0, to: ids.count, by: 3) {
                let prefix = ids[start].dropLast(2)
                #expect(ids[start..<start + 3].map { $0.dropLast(2) } == [prefix, prefix, prefix])
            }
        }
    }

    /// Other requests keep committing while the log is checked: an entry lands just before the
    /// chain's head is read and another just after. Neither is a break in the chain.
    @Test func entriesCommittedDuringTheWalkAreNoBreak() async throws {
        try await TestDatabase.with { database in
            try await append(3, to: database)
            let result = try await database.withConnection { try await AuditLog.verify(on: BusyChain(base: $0)) }
            #expect(result.ok)
            #expect(try await database.withConnection { try await AuditLog.verify(on: $0) } == .init(ok: true, checked: 5, brokenAt: nil))
        }
    }

    @Test func anEditedRowIsFound() async throws {
        try await TestDatabase.with { database in
            try await append(4, to: database)
            let id = try await database.withConnection { db in
                try await db.raw("UPDATE audit_log SET data = '{\"n\":99}' WHERE seq = 3 RETURNING id").first()!.decode(column: "id", as: String.self)
            }
            let result = try await database.withConnection { try await AuditLog.verify(on: $0) }
            #expect(!result.ok)
            #expect(result.brokenAt == id)
            #expect(result.checked == 2)
        }
    }

    @Test func aDeletedRowIsFound() async throws {
        try await TestDatabase.with { database in
            try await append(4, to: database)
            let next = try await database.withConnection { db in
                try await db.raw("DELETE FROM audit_log WHERE seq = 2").run()
                return try await db.raw("SELECT id FROM audit_log WHERE seq = 3").first()!.decode(column: "id", as: String.self)
            }
            let result = try await database.withConnection { try await AuditLog.verify(on: $0) }
            #expect(result == .init(ok: false, checked: 1, brokenAt: next))
        }
    }

    @Test func detailsAreEncodedSoNoValueLeavesItsField() throws {
        // A value a person typed, shaped to close the string and add a field of its own.
        let hostile = #"x","approvedBy":"admin"#
        let entry = try AuditEntry(actor: .user(id: "u1"), action: "recipient.updated", entityType: "recipient", entityId: "r1",
                                   data: ["fields": [hostile]])
        let decoded = try JSONDecoder().decode([String: [String]].self, from: Data(entry.data.utf8))
        #expect(decoded == ["fields": [hostile]])
    }

    @Test func detailsAreTheSameBytesWhateverTheOrderTheyWereGivenIn() throws {
        let one = try AuditEntry(actor: .system, action: "a", entityType: "t", entityId: "1", data: ["to": "b", "from": "a", "event": "e"])
        let two = try AuditEntry(actor: .system, action: "a", entityType: "t", entityId: "1", data: ["event": "e", "from": "a", "to": "b"])
        #expect(one.data == #"{"event":"e","from":"a","to":"b"}"#)
        #expect(one.data == two.data)
    }

    @Test(arguments: [
        (AuditActor.user(id: "u1"), "user", "u1"), (.admin(id: "a1"), "admin", "a1"), (.system, "system", nil),
        (.rule("aml"), "system", "aml"), (.provider("bank-dnb"), "provider", "bank-dnb"),
    ] as [(AuditActor, String, String?)])
    func actorsAreStoredAsTheComplianceScreensFilterThem(actor: AuditActor, type: String, id: String?) async throws {
        try await TestDatabase.with { database in
            try await database.transaction { db in
                try await AuditLog.append(AuditEntry(actor: actor, action: "test.event", entityType: "thing", entityId: "t"), at: Date(), on: db)
            }
            let row = try await database.withConnection { try await $0.raw("SELECT actor_type, actor_id FROM audit_log").first()! }
            #expect(try row.decode(column: "actor_type", as: String.self) == type)
            #expect(try row.decode(column: "actor_id", as: String?.self) == id)
            #expect(try await database.withConnection { try await AuditLog.verify(on: $0) }.ok)
        }
    }
}

/// A connection on which another writer commits an audit entry just before and just after each
/// read of the chain's head, as a busy server does while the log is checked.
private struct BusyChain: SQLDatabaseWrapper {
    let base: any SQLDatabase

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        let readsHead = base.serialize(query).sql.contains("FROM audit_chain_head")
        if readsHead { try await commitAnother("before") }
        try await base.execute(sql: query, onRow)
        if readsHead { try await commitAnother("after") }
    }

    /// Outside a transaction the entry is written, and committed, at once.
    private func commitAnother(_ entityId: String) async throws {
        try await AuditLog.append(AuditEntry(actor: .system, action: "test.event", entityType: "thing", entityId: entityId), at: Date(), on: base)
    }
}
