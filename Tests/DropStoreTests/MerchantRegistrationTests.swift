import DropStore
import DropTestSupport
import Foundation
import SQLKit
import Testing

/// Who may hold a business (migration 22): one per customer, and one open business per
/// organisation number. A business whose owner was erased is closed and frees its number, also
/// when the owner was erased before the migration.
@Suite("Merchant registration")
struct MerchantRegistrationTests {
    static let now = BalanceVersionTests.now

    static func insertMerchant(_ id: String, user: String, organisationNumber: String, _ database: Database) async throws {
        try await database.run("""
            INSERT INTO merchants (id, user_id, code, organisation_number, name, mcc, city, settlement_account, created_at, updated_at)
            VALUES (\(bind: id), \(bind: user), \(bind: "CODE-" + id), \(bind: organisationNumber), 'Kiosken', '5411', 'Oslo', '15030012345',
                    \(bind: Self.now), \(bind: Self.now))
            """)
    }

    static func closedAt(_ id: String, _ database: Database) async throws -> Date? {
        try await database.withConnection { try await $0.raw("SELECT closed_at FROM merchants WHERE id = \(bind: id)").first()?.decode(column: "closed_at", as: Date?.self) }
    }

    @Test func aBusinessWhoseOwnerWasErasedBeforeTheMigrationIsClosedAndItsNumberFree() async throws {
        try await TestDatabase.with(migrate: false) { database in
            _ = try await Migrator(migrations: Migration.all.filter { $0.version < 22 }).migrate(database)
            for (id, hash) in [("u1", "h1"), ("u2", "h2"), ("u3", "h3")] { try await insertUser(id: id, pidHash: hash, database: database) }
            try await Self.insertMerchant("m1", user: "u1", organisationNumber: "923456783", database)
            try await Self.insertMerchant("m2", user: "u2", organisationNumber: "931000004", database)
            try await database.run("UPDATE users SET deleted_at = \(bind: Self.now) WHERE id = 'u1'")
            #expect(try await Migrator().migrate(database) == Migration.all.filter { $0.version >= 22 }.map(\.version))
            #expect(try await Self.closedAt("m1", database) == Self.now)
            #expect(try await Self.closedAt("m2", database) == nil)

            // The open business's number is held; the closed one's is free; and a customer has one business.
            await #expect(throws: (any Error).self) { try await Self.insertMerchant("m3", user: "u3", organisationNumber: "931000004", database) }
            try await Self.insertMerchant("m3", user: "u3", organisationNumber: "923456783", database)
            await #expect(throws: (any Error).self) { try await Self.insertMerchant("m4", user: "u3", organisationNumber: "931000012", database) }
            let holder = try await database.withConnection { try await MerchantRepository.openHolder(organisationNumber: "923456783", otherThan: "u2", on: $0) }
            #expect(holder == "m3")
        }
    }
}
