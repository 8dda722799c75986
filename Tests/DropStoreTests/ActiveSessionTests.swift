import DropCore
@testable import DropStore
import DropTestSupport
import Foundation
import Testing

/// The session check behind every request the session cache doesn't answer: only a session that
/// is not revoked, not expired, of a customer not erased (on PostgreSQL a prepared statement).
@Suite("Active session")
struct ActiveSessionTests {
    static let now = BalanceVersionTests.now

    /// The read on a connection, and as a request makes it (`Database.batched`): the same answer.
    static func active(_ id: String, at now: Date = now, _ database: Database) async throws -> ActiveSession? {
        let read = try await database.withConnection { try await SessionRepository.active(id: id, at: now, on: $0) }
        #expect(try await SessionRepository.active(id: id, at: now, in: database) == read)
        return read
    }

    @Test func onlyALiveSessionOfACustomerStillHereIsActive() async throws {
        try await TestDatabase.with { database in
            try await BalanceVersionTests.seed(database)
            let signedIn = Self.now.addingTimeInterval(-600)
            try await database.withConnection { db in
                try await SessionRepository.insert(SessionRecord(id: "s1", userId: "u1", client: "web", createdAt: signedIn,
                                                                 expiresAt: Self.now.addingTimeInterval(3_600)), on: db)
                try await SessionRepository.insert(SessionRecord(id: "s2", userId: "u2", client: "mobile", createdAt: signedIn,
                                                                 expiresAt: Self.now.addingTimeInterval(60), authenticatedAt: Self.now), on: db)
            }

            let kari = try #require(try await Self.active("s1", database))
            #expect(kari.userId == "u1" && kari.role == .user)
            // The customer's record comes with the session, as the customer read alone gives it.
            #expect(try await UserRepository.find(id: "u1", in: database) == kari.user)
            #expect(abs(kari.authenticatedAt.timeIntervalSince(signedIn)) < 1 && abs(kari.expiresAt.timeIntervalSince(Self.now) - 3_600) < 1)
            #expect(try await Self.active("s2", database)?.userId == "u2")
            // Read together, as a restart's first requests are: each session its own row.
            let together = try await database.withConnection { db in
                try SessionRepository.Unrevoked.values(from: try await db.rows(SessionRepository.Unrevoked(keys: ["s1", "s2", "nope"])))
            }
            #expect(together.mapValues(\.userId) == ["s1": "u1", "s2": "u2"] && together["s1"] == kari)

            // Expired: the same row a second after its end, and at its very end.
            #expect(try await Self.active("s2", at: Self.now.addingTimeInterval(61), database) == nil)
            #expect(try await Self.active("s2", at: Self.now.addingTimeInterval(60), database) == nil)
            // Revoked, erased, or no such session.
            try await database.withConnection { try await SessionRepository.revoke(id: "s1", at: Self.now, on: $0) }
            #expect(try await Self.active("s1", database) == nil)
            try await database.run("UPDATE users SET deleted_at = \(bind: Self.now) WHERE id = 'u2'")
            #expect(try await Self.active("s2", database) == nil)
            #expect(try await Self.active("nope", database) == nil)
        }
    }
}
