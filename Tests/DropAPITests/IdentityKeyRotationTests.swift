import DropCore
import DropStore
import Foundation
import Testing
@testable import DropAPI

/// Rotating `PID_PEPPER` and `PID_ENCRYPTION_KEY` (ADR 0034): nobody becomes a second customer, nobody's
/// sealed number becomes unreadable, and the job leaves every row under the current keys.
@Suite("Rotating the identity keys")
struct IdentityKeyRotationTests {
    static let oldPepper = "old-pepper-0123456789abcdef0123456789abcdef"
    static let newPepper = "new-pepper-0123456789abcdef0123456789abcdef"
    static let oldKey = "old-sealing-key-0123456789abcdef0123456789"
    static let newKey = "new-sealing-key-0123456789abcdef0123456789"
    static let rotating = ["PID_PEPPER": newPepper, "PID_PEPPER_PREVIOUS": oldPepper,
                           "PID_ENCRYPTION_KEY": newKey, "PID_ENCRYPTION_KEY_PREVIOUS": oldKey]
    static let ola = "01078510133"

    static func person(_ number: String = ola) throws -> SignedInPerson {
        SignedInPerson(nationalId: try NationalIdentityNumber(number), name: "Ola Nordmann", givenName: "Ola", familyName: "Nordmann",
                       birthDate: try CalendarDate(iso: "1985-07-01"))
    }

    /// The same service as the server's, with the keys Drop had before the rotation.
    static func beforeRotation(_ signIn: SignInService) -> SignInService {
        SignInService(database: signIn.database, provider: signIn.provider, tokens: signIn.tokens, hasher: PidHasher(pepper: oldPepper),
                      pidCipher: PidCipher(secret: oldKey), publicBaseURL: signIn.publicBaseURL,
                      grantsDevelopmentRoles: false, clock: signIn.clock, logger: signIn.logger)
    }

    static func count(_ server: LiveServer, pidHash: String) async throws -> Int {
        try await server.services.database.withConnection { db in
            try await db.raw("SELECT COUNT(*) AS n FROM users WHERE pid_hash = \(bind: pidHash)").first()!.decode(column: "n", as: Int.self)
        }
    }

    /// Ola erased an account (kept for AML, no sealed number) and opened another before the pepper changed. His
    /// sign-in after it finds the account he has, not a fresh one with clean limits, and his erased row moves with it.
    @Test func aPersonFromBeforeAPepperRotationSignsInToTheSameAccount() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon), environment: Self.rotating) { server in
            let now = server.clock.date
            let old = Self.beforeRotation(server.services.signIn)
            let number = try NationalIdentityNumber(Self.ola)
            let oldHash = PidHasher(pepper: Self.oldPepper).hash(number)
            let erased = try await old.upsertUser(try Self.person(), now: now)
            try await server.services.database.withConnection { db in
                try await db.raw("UPDATE users SET deleted_at = \(bind: now), pid_encrypted = NULL, is_pep = \(bind: true) WHERE id = \(bind: erased.id)").run()
            }
            let before = try await old.upsertUser(try Self.person(), now: now)
            #expect(before.isPep)

            let after = try await server.services.signIn.upsertUser(try Self.person(), now: now)
            #expect(after.id == before.id)
            let newHash = server.services.pidHasher.hash(number)
            #expect(try await Self.count(server, pidHash: newHash) == 2)
            #expect(try await Self.count(server, pidHash: oldHash) == 0)
            let sealed = try await server.services.database.withConnection { try await UserRepository.sealedPid(userId: after.id, on: $0) }
            // Sealed again under the new key alone: the old one is no longer needed to name him to his bank.
            #expect(PidCipher(secret: Self.newKey).open(try #require(sealed), userId: after.id) == number)
        }
    }

    /// Ola signs in on two instances at the same moment, mid-rotation: the first has moved his row to the new
    /// hash and not yet committed. The second waits for it and finds the same account (PostgreSQL: no write gate).
    @Test func twoSignInsAtOnceDuringARotationAreOneCustomer() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon), environment: Self.rotating) { server in
            let now = server.clock.date
            let signIn = server.services.signIn
            let before = try await Self.beforeRotation(signIn).upsertUser(try Self.person(), now: now)
            let number = try NationalIdentityNumber(Self.ola)
            let second = try await server.services.database.transaction { db -> Task<UserRecord, any Error> in
                try await UserRepository.movePidHash(from: PidHasher(pepper: Self.oldPepper).hash(number), to: signIn.hasher.hash(number), on: db)
                let other = Task.detached { try await signIn.upsertUser(try Self.person(), now: now) }
                try await Task.sleep(for: .seconds(1))
                return other
            }
            #expect(try await second.value.id == before.id)
            let users = try await server.services.database.withConnection { db in
                try await db.raw("SELECT COUNT(*) AS n FROM users").first()!.decode(column: "n", as: Int.self)
            }
            #expect(users == 1)
        }
    }

    /// Customers who haven't signed in since the rotation: the job re-seals and re-hashes them (their erased rows
    /// too), a second run finds nothing, and afterwards the previous key and pepper are no longer needed.
    @Test func theRotationJobMovesEveryReachableRowAndThenFindsNothing() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon), environment: Self.rotating) { server in
            let now = server.clock.date
            let old = Self.beforeRotation(server.services.signIn)
            let kari = "04047510142"
            let olaErased = try await old.upsertUser(try Self.person(), now: now)
            try await server.services.database.withConnection { db in
                try await db.raw("UPDATE users SET deleted_at = \(bind: now), pid_encrypted = NULL WHERE id = \(bind: olaErased.id)").run()
            }
            let ola = try await old.upsertUser(try Self.person(), now: now)
            let kariUser = try await old.upsertUser(try Self.person(kari), now: now)
            // Per erased his only account; AML keeps his sealed number (ADR 0027), which is what re-hashes him.
            let per = "15039010043"
            let perUser = try await old.upsertUser(try Self.person(per), now: now)
            try await server.services.database.withConnection { db in
                try await db.raw("UPDATE users SET deleted_at = \(bind: now) WHERE id = \(bind: perUser.id)").run()
            }
            // Kari's number was sealed before sealed values named their key.
            let legacy = try await server.services.database.withConnection { db in
                try await UserRepository.sealedPid(userId: kariUser.id, on: db)
            }
            try await server.services.database.withConnection { db in
                try await UserRepository.setSealedPid(userId: kariUser.id, sealed: SealedIdentity(stored: try #require(legacy)).box, on: db)
            }

            var job = server.services.identityKeyRotation
            job.batchSize = 1
            #expect(try await job.run() == .init(moved: 3, unreachable: 0))
            #expect(try await job.run() == .init(moved: 0, unreachable: 0))

            let done = PidHasher(pepper: Self.newPepper)
            let olaHash = done.hash(try NationalIdentityNumber(Self.ola))
            #expect(try await Self.count(server, pidHash: olaHash) == 2)
            #expect(try await Self.count(server, pidHash: done.hash(try NationalIdentityNumber(kari))) == 1)
            #expect(try await Self.count(server, pidHash: done.hash(try NationalIdentityNumber(per))) == 1)
            let opened = PidCipher(secret: Self.newKey)
            for (user, number) in [(ola, Self.ola), (kariUser, kari)] {
                let sealed = try await server.services.database.withConnection { try await UserRepository.sealedPid(userId: user.id, on: $0) }
                #expect(opened.open(try #require(sealed), userId: user.id) == (try NationalIdentityNumber(number)))
            }
            // With the previous values dropped, Ola signs in to the account he has.
            let after = SignInService(database: server.services.database, provider: server.services.signIn.provider,
                                      tokens: server.services.signIn.tokens, hasher: done, pidCipher: opened,
                                      publicBaseURL: server.services.signIn.publicBaseURL, grantsDevelopmentRoles: false,
                                      clock: server.services.signIn.clock, logger: server.services.signIn.logger)
            #expect(try await after.upsertUser(try Self.person(), now: now).id == ola.id)
        }
    }

    /// An operator grants Ola the admin role by his national identity number before he has signed in since the rotation.
    @Test func anAdminGrantByNationalIdFindsAPersonUnderThePreviousPepper() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon), environment: Self.rotating) { server in
            let before = try await Self.beforeRotation(server.services.signIn).upsertUser(try Self.person(), now: server.clock.date)
            let granted = try await server.services.adminRoles.setAdmin(nationalId: Self.ola, granted: true, operatorName: "Rita Revisor")
            #expect(granted.userId == before.id)
        }
    }
}

@Suite("Identity keys: sealing and hashing")
struct PidKeysTests {
    let number = try! NationalIdentityNumber("01078510133")

    @Test func theCurrentKeyOrThePreviousOpensWhatTheySealed() throws {
        let old = PidCipher(secret: IdentityKeyRotationTests.oldKey)
        let sealed = try old.seal(number, userId: "u1", pepperId: "p")
        #expect(SealedIdentity(stored: sealed).keyId == old.id)
        #expect(PidCipher(secret: IdentityKeyRotationTests.newKey).open(sealed, userId: "u1") == nil)
        #expect(PidCipher(secret: IdentityKeyRotationTests.newKey, previous: IdentityKeyRotationTests.oldKey).open(sealed, userId: "u1") == number)
        // A value from before values named their key opens with either.
        let legacy = SealedIdentity(stored: sealed).box
        #expect(PidCipher(secret: IdentityKeyRotationTests.newKey, previous: IdentityKeyRotationTests.oldKey).open(legacy, userId: "u1") == number)
        // Still bound to its row.
        #expect(old.open(sealed, userId: "u2") == nil)
    }

    @Test func thePreviousPepperGivesTheOldHashAndOnlyDuringARotation() {
        let old = PidHasher(pepper: IdentityKeyRotationTests.oldPepper)
        let rotating = PidHasher(pepper: IdentityKeyRotationTests.newPepper, previous: IdentityKeyRotationTests.oldPepper)
        #expect(rotating.previousHash(number) == old.hash(number))
        #expect(rotating.hash(number) != old.hash(number))
        #expect(old.previousHash(number) == nil)
        #expect(rotating.id != old.id && rotating.id.count == 12)
    }

    @Test func productionReadsThePreviousIdentityKeysAndRefusesWeakOnes() {
        var env = ["JWT_SECRET", "PID_PEPPER", "OPENBANKING_WEBHOOK_SECRET", "SUMSUB_WEBHOOK_SECRET", "PAYMENT_LINK_SECRET", "PID_ENCRYPTION_KEY"]
            .reduce(into: [String: String]()) { $0[$1] = String(repeating: "k", count: 40) + $1 }
        env["PID_PEPPER_PREVIOUS"] = IdentityKeyRotationTests.oldPepper
        env["PID_ENCRYPTION_KEY_PREVIOUS"] = "short"
        var problems: [String] = []
        let secrets = Secrets.fromEnvironment(env, problems: &problems)
        #expect(secrets.previousPidPepper == IdentityKeyRotationTests.oldPepper)
        #expect(problems == ["PID_ENCRYPTION_KEY_PREVIOUS must be at least 32 bytes"])
    }
}
