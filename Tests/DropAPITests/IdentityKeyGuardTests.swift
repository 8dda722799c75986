import DropCore
import DropStore
import DropTestTools
import Foundation
import Testing
@testable import DropAPI

/// A pepper or key changed the wrong way (ADR 0034): without its previous value every returning person would be a
/// new customer, so a production server refuses to start; with it, it starts, and the status counts say when the
/// previous value can go.
@Suite("Identity keys changed without their previous value")
struct IdentityKeyGuardTests {
    typealias Keys = IdentityKeyRotationTests
    static let before = ["PID_PEPPER": Keys.oldPepper, "PID_ENCRYPTION_KEY": Keys.oldKey]

    /// The same database, started again with `environment` (as production when `production`).
    static func restarted(_ server: LiveServer, _ environment: [String: String], production: Bool) async throws -> AppServices {
        var config = try TestApp.config(environment)
        if production { config.environment = .production }
        return try await TestApp.services(database: server.services.database, clock: server.clock, config: config)
    }

    /// Ola and Kari are customers, Per erased his account (AML keeps his row); then the operator sets a new
    /// PID_PEPPER and forgets PID_PEPPER_PREVIOUS. Production refuses, naming the variable; development warns.
    @Test func aNewPepperWithoutThePreviousOneRefusesToStartInProduction() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon), environment: Self.before) { server in
            let now = server.clock.date
            _ = try await server.services.signIn.upsertUser(try Keys.person(), now: now)
            _ = try await server.services.signIn.upsertUser(try Keys.person("04047510142"), now: now)
            try await server.services.identityKeyGuard.check(refusing: true)

            let forgot = try await Self.restarted(server, ["PID_PEPPER": Keys.newPepper, "PID_ENCRYPTION_KEY": Keys.oldKey], production: true)
            let error = await #expect(throws: ConfigError.self) { try await forgot.identityKeyGuard.check(refusing: true) }
            #expect(error?.problems.count == 1)
            #expect(error?.problems.first?.hasPrefix("PID_PEPPER:") == true)
            #expect(error?.problems.first?.contains("PID_PEPPER_PREVIOUS") == true)
            #expect(error?.problems.first?.contains(Keys.ola) == false)
            // Development starts, saying so: the same problem, logged rather than thrown.
            let development = try await Self.restarted(server, ["PID_PEPPER": Keys.newPepper, "PID_ENCRYPTION_KEY": Keys.oldKey], production: false)
            try await development.identityKeyGuard.check(refusing: false)
            #expect(try await development.identityKeyGuard.problems().count == 1)

            let rotating = try await Self.restarted(server, ["PID_PEPPER": Keys.newPepper, "PID_PEPPER_PREVIOUS": Keys.oldPepper,
                                                             "PID_ENCRYPTION_KEY": Keys.oldKey], production: true)
            try await rotating.identityKeyGuard.check(refusing: true)
            // The rotation done, removing the previous pepper is fine; going back to the old one alone is not.
            try await rotating.identityKeyRotation.run()
            let done = try await Self.restarted(server, ["PID_PEPPER": Keys.newPepper, "PID_ENCRYPTION_KEY": Keys.oldKey], production: true)
            try await done.identityKeyGuard.check(refusing: true)
            let back = try await Self.restarted(server, Self.before, production: true)
            await #expect(throws: ConfigError.self) { try await back.identityKeyGuard.check(refusing: true) }
        }
    }

    /// `drop serve` and `drop worker` start through `AppServices.connect`: it is there a production process refuses.
    @Test func aProductionProcessStartedWithANewPepperAloneRefusesAndWithThePreviousOneStarts() async throws {
        let url = "sqlite:" + TestScratch.path("identity-keys") + ".db"
        let first = try await AppServices.connect(config: try TestApp.config(Self.before.merging(["DATABASE_URL": url]) { $1 }))
        _ = try await first.signIn.upsertUser(try Keys.person(), now: Date())
        await first.database.shutdown()

        var forgot = try TestApp.config(["PID_PEPPER": Keys.newPepper, "PID_ENCRYPTION_KEY": Keys.oldKey, "DATABASE_URL": url])
        forgot.environment = .production
        let error = await #expect(throws: ConfigError.self) {
            // Had it started, it is closed again here, so the test fails rather than leaking its pool.
            let started = try await AppServices.connect(config: forgot)
            await started.database.shutdown()
        }
        #expect(error?.description.contains("PID_PEPPER_PREVIOUS") == true)

        var rotating = try TestApp.config(["PID_PEPPER": Keys.newPepper, "PID_PEPPER_PREVIOUS": Keys.oldPepper,
                                           "PID_ENCRYPTION_KEY": Keys.oldKey, "DATABASE_URL": url])
        rotating.environment = .production
        let started = try await AppServices.connect(config: rotating)
        await started.database.shutdown()
    }

    /// An erased row keeps its sealed number for AML (ADR 0027): losing its pepper loses the person's history,
    /// so it counts. A new key without the previous one can't open what the old one sealed.
    @Test func anErasedRowAndANewKeyWithoutThePreviousOneAreRefusedToo() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon), environment: Self.before) { server in
            let now = server.clock.date
            let per = try await server.services.signIn.upsertUser(try Keys.person("15039010043"), now: now)
            try await server.services.database.withConnection { db in
                try await db.raw("UPDATE users SET deleted_at = \(bind: now) WHERE id = \(bind: per.id)").run()
            }
            let forgot = try await Self.restarted(server, ["PID_PEPPER": Keys.newPepper, "PID_ENCRYPTION_KEY": Keys.newKey], production: true)
            let error = await #expect(throws: ConfigError.self) { try await forgot.identityKeyGuard.check(refusing: true) }
            #expect(error?.problems.map { $0.prefix(while: { $0 != ":" }) } == ["PID_PEPPER", "PID_ENCRYPTION_KEY"])
            let rotating = try await Self.restarted(server, IdentityKeyRotationTests.rotating, production: true)
            try await rotating.identityKeyGuard.check(refusing: true)
        }
    }

    /// The operator's counts: before the job, Ola's row is under the previous key and pepper and Kari's (an
    /// active customer who hasn't signed in since numbers were kept) has none; after it, only Kari holds the pepper.
    @Test func theStatusCountsWhatTheRotationHasLeft() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon), environment: Self.before) { server in
            let now = server.clock.date
            let ola = try await server.services.signIn.upsertUser(try Keys.person(), now: now)
            let kari = try await server.services.signIn.upsertUser(try Keys.person("04047510142"), now: now)
            try await server.services.database.withConnection { db in
                try await db.raw("UPDATE users SET pid_encrypted = NULL WHERE id = \(bind: kari.id)").run()
            }
            var census = try await server.services.identityKeyGuard.census()
            #expect(census.current == 1 && census.activeWithoutSealedNumber == 1)

            let rotating = try await Self.restarted(server, Keys.rotating, production: true)
            census = try await rotating.identityKeyGuard.census()
            #expect(census.current == 0 && census.underPreviousKey == 1 && census.underPreviousPepper == 1 && census.underUnknownKeys == 0)
            #expect(!census.previousKeyCanGo && !census.previousPepperCanGo)

            try await rotating.identityKeyRotation.run()
            census = try await rotating.identityKeyGuard.census()
            #expect(census.current == 1 && census.underPreviousKey == 0 && census.underPreviousPepper == 0)
            #expect(census.activeWithoutSealedNumber == 1)
            #expect(census.previousKeyCanGo && !census.previousPepperCanGo)
            #expect(!census.report.contains(Keys.ola) && census.report.contains("PID_PEPPER_PREVIOUS can be removed:            no"))

            // Kari signs in: she is moved to the new hash and sealed; now the previous pepper can go too.
            #expect(try await rotating.signIn.upsertUser(try Keys.person("04047510142"), now: now).id == kari.id)
            census = try await rotating.identityKeyGuard.census()
            #expect(census.current == 2 && census.previousPepperCanGo)
            _ = ola
        }
    }
}
