import DropCore
import DropStore
import Foundation
import Testing
@testable import DropAPI

extension SignInTests {
    /// Ola signs in for the first time on his phone and his laptop at the same moment (PostgreSQL: no
    /// write gate). The second finds no customer, then its insert meets the first's on the one active
    /// row per pid hash: it finds him instead of answering 500 with its login state used up.
    @Test func aFirstSignInFromTwoDevicesAtOnceIsOneCustomer() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let ola = try NationalIdentityNumber("01078510133")
            let person = SignedInPerson(nationalId: ola, name: "Ola Nordmann", givenName: "Ola", familyName: "Nordmann",
                                        birthDate: try CalendarDate(iso: "1985-07-01"))
            let signIn = server.services.signIn
            let now = server.clock.date
            let first = RecordID.make()
            let second = try await server.services.database.transaction { db -> Task<UserRecord, any Error> in
                // The phone's sign-in, not yet committed.
                try await UserRepository.insert(UserRecord(
                    id: first, pidHash: signIn.hasher.hash(ola), name: "Ola Nordmann", givenName: "Ola", familyName: "Nordmann",
                    birthdate: "1985-07-01", phone: nil, email: nil, role: .user, kycStatus: .none, kycApplicantId: nil, riskLevel: .low,
                    isPep: false, isSanctioned: false, locale: "nb", createdAt: now, updatedAt: now, deletedAt: nil), on: db)
                let laptop = Task.detached { try await signIn.upsertUser(person, now: now) }
                try await Task.sleep(for: .seconds(1))
                return laptop
            }
            #expect(try await second.value.id == first)
            let rows = try await server.services.database.withConnection { db in
                try await db.raw("SELECT COUNT(*) AS n FROM users WHERE pid_hash = \(bind: signIn.hasher.hash(ola))").first()?.decode(column: "n", as: Int.self)
            }
            #expect(rows == 1)
        }
    }
}
