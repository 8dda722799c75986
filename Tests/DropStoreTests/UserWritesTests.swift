import DropCore
import DropStore
import DropTestSupport
import Foundation
import SQLKit
import Testing

/// Each writer of a customer's row sets only the columns it owns: a profile edit or a sign-in that
/// read the row before a Sumsub verdict or an admin's revoke never puts the old status back.
@Suite("Customer writes")
struct UserWritesTests {
    static let now = BalanceVersionTests.now

    @Test func anEditFromARowReadBeforeAVerdictKeepsTheVerdict() async throws {
        try await TestDatabase.with { database in
            try await insertUser(id: "u1", pidHash: "h1", database: database)
            try await database.run("UPDATE users SET kyc_status = 'approved', role = 'admin' WHERE id = 'u1'")
            let stale = try #require(try await database.withConnection { try await UserRepository.find(id: "u1", on: $0) })

            // Meanwhile: Sumsub's monitoring finds a sanctions hit, and the admin role is revoked.
            try await database.transaction { db in
                try await KYCRepository.applyVerdict(userId: "u1", status: .rejected, rejectLabels: "SANCTIONS", eventAt: Self.now, isPep: false,
                                                     isSanctioned: true, riskLevel: .high, at: Self.now, on: db)
                try await UserRepository.setRole(userId: "u1", to: .user, at: Self.now, on: db)
            }
            // The customer's profile edit and their next sign-in, each from the row read before.
            try await database.transaction { db in
                try await UserRepository.updateContact(userId: "u1", phone: "+4791234567", email: stale.email, locale: "en", at: Self.now, on: db)
                try await UserRepository.updateIdentity(userId: "u1", name: "Kari Nordmann", givenName: "Kari", familyName: "Nordmann",
                                                        birthdate: stale.birthdate, at: Self.now, on: db)
            }
            let user = try #require(try await database.withConnection { try await UserRepository.find(id: "u1", on: $0) })
            #expect(user.kycStatus == .rejected && user.isSanctioned && user.riskLevel == .high && user.role == .user)
            #expect(user.phone == "+4791234567" && user.locale == "en" && user.name == "Kari Nordmann")
        }
    }

    @Test func aRoleGivenOnlyFromTheRoleExpected() async throws {
        try await TestDatabase.with { database in
            try await insertUser(id: "u1", pidHash: "h1", role: "merchant", database: database)
            let changed = try await database.transaction { try await UserRepository.setRole(userId: "u1", to: .admin, from: .user, at: Self.now, on: $0) }
            #expect(!changed)
            #expect(try await database.withConnection { try await UserRepository.find(id: "u1", on: $0)?.role } == .merchant)
            let granted = try await database.transaction { try await UserRepository.setRole(userId: "u1", to: .admin, at: Self.now, on: $0) }
            #expect(granted)
            #expect(try await database.withConnection { try await UserRepository.find(id: "u1", on: $0)?.role } == .admin)
        }
    }
}

/// A person's payments are counted over every account they had: one erased keeps its transfers for AML,
/// and they count against the limits and the screening of the account that follows it.
@Suite("One person, several accounts")
struct SamePersonTests {
    @Test func aTransferFromAnErasedAccountCountsForTheNextOne() async throws {
        try await TestDatabase.with { database in
            let now = BalanceVersionTests.now
            try await KariSends.setUp(database)
            try await KariSends.transfer("t1", amountMinor: 4_000_000, at: now, database)
            // u1 erases; the same person (pid hash h1) comes back as u4. Ola (u2) is someone else.
            try await database.run("UPDATE users SET deleted_at = \(bind: now) WHERE id = 'u1'")
            try await database.run("INSERT INTO users (id, pid_hash, role, created_at, updated_at) VALUES ('u4', 'h1', 'user', \(bind: now), \(bind: now))")

            let standing = try await database.withConnection {
                try await SpendingLimitRepository.standing(userId: "u4", dayStart: now.addingTimeInterval(-3600), monthStart: now.addingTimeInterval(-86_400), on: $0)
            }
            #expect(standing.today == 4_000_000 && standing.month == 4_000_000)
            let screened = try await database.withConnection { try await ScreeningHistoryRepository.payments(userId: "u4", since: now.addingTimeInterval(-86_400), on: $0) }
            #expect(screened.map(\.id) == ["t1"])
            let someoneElse = try await database.withConnection {
                try await SpendingLimitRepository.standing(userId: "u2", dayStart: now.addingTimeInterval(-3600), monthStart: now.addingTimeInterval(-86_400), on: $0)
            }
            #expect(someoneElse.today == 0)
        }
    }
}
