import DropCore
import DropKit
import DropProviderFakes
import DropProviders
import DropStore
import Foundation
import SQLKit
import Testing
@testable import DropAPI

/// The passport images, selfie and liveness video Sumsub holds for Drop end when Drop's records of the person do.
extension PrivacyTests {
    /// Over HTTP against the Sumsub sandbox: erasure leaves the applicant (AML keeps the KYC record); the
    /// purge five years on has Sumsub forget them, by a signed request, and Sumsub then knows no such applicant.
    @Test func theRetentionPurgeHasSumsubForgetTheApplicant() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let (kari, _, _) = try await Self.kariWithHistory(server)
            let userId = try await server.userId(kari.auth)
            let applicantId = try #require(try await server.services.database.withConnection {
                try await PersonalData.kycApplicantId(of: userId, on: $0)
            })
            let sumsub = server.services.identityVerification.wrapped
            #expect(try await server.request(.POST, "/v1/gdpr/erasure", headers: [kari.auth]).status == 202)
            // `runNext`: only the queued jobs, not every recurring one the moved clock would start.
            let worker = JobWorker(services: server.services)
            while try await worker.runNext() {}
            // Erased, but the KYC record is what hvitvaskingsloven keeps: Sumsub still has it.
            #expect(try await sumsub.applicant(id: applicantId).id == applicantId)

            server.clock.advance(TimeInterval(5 * 365 * 86_400 + 3 * 86_400))
            #expect(try await server.services.retentionPurge.run() == 1)
            while try await worker.runNext() {}
            await #expect { try await sumsub.applicant(id: applicantId) } throws: { ($0 as? SumsubError)?.isNotFound == true }
            #expect(try await Self.count(server, """
                SELECT COUNT(*) AS n FROM jobs WHERE kind = \(bind: KYCApplicantDeletion.jobKind) AND status = 'done'
                """) == 1)
        }
    }

    /// Sumsub down when the purge comes: the request waits in the queue through the outage (six hours here)
    /// and goes once Sumsub is back, with nothing for operations to do.
    @Test func sumsubForgetsAnApplicantOnceItIsReachableAgain() async throws {
        let sumsub = InMemoryIdentityVerification()
        let clock = TestClock(LiveServer.wednesdayNoon)
        try await RouterApp.test(providers: .init(identityVerification: sumsub), clock: clock) { app in
            let (applicantId, worker) = try await Self.purgedWhileSumsubIsDown(for: 6, app, clock, sumsub)
            #expect(await sumsub.applicants[applicantId] != nil)
            await sumsub.setReachable(true)
            while try await worker.runNext() {}
            #expect(await sumsub.applicants[applicantId] == nil)
            #expect(try await app.services.database.withConnection { try await OperationsAlertRepository.openBesidesMissingRates(on: $0) }.isEmpty)
        }
    }

    /// Sumsub unreachable for more than a day: the request's last attempt tells operations, by Sumsub's id only.
    @Test func operationsIsToldWhenSumsubNeverForgetsTheApplicant() async throws {
        let sumsub = InMemoryIdentityVerification()
        let clock = TestClock(LiveServer.wednesdayNoon)
        try await RouterApp.test(providers: .init(identityVerification: sumsub), clock: clock) { app in
            let (applicantId, _) = try await Self.purgedWhileSumsubIsDown(for: 48, app, clock, sumsub)
            #expect(await sumsub.applicants[applicantId] != nil)
            let alerts = try await app.services.database.withConnection { try await OperationsAlertRepository.openBesidesMissingRates(on: $0) }
            #expect(alerts.map(\.kind) == [.kycApplicantNotDeleted])
            #expect(alerts.first?.entityId == applicantId && alerts.first?.entityType == "kyc_applicant")
        }
    }

    /// A customer who started the identity check (Sumsub has an applicant) and erased their account, with the
    /// clock moved to when the record of the check, kept as customer due diligence, is to be purged.
    static func startedTheCheckAndErased(_ app: RouterApp, _ clock: TestClock) async throws -> String {
        let auth = try await app.bearer(KYCRouterTests.kari)
        try await KYCRouterTests.onboard(app, auth)
        let applicantId = try await app.send(.post, "/v1/kyc/start", nil, auth).decode(KYCStart.self).applicantId
        #expect(try await app.send(.post, "/v1/gdpr/erasure", nil, auth).status == .accepted)
        #expect(try await app.services.retentionPurge.run() == 0)
        clock.advance(TimeInterval(5 * 365 * 86_400 + 3 * 86_400))
        return applicantId
    }

    /// Erases a customer who started the check, purges them five years on with Sumsub unreachable, and runs the
    /// queue every hour for `hours` hours, Sumsub still down. - Returns: Sumsub's applicant id and the worker.
    private static func purgedWhileSumsubIsDown(for hours: Int, _ app: RouterApp, _ clock: TestClock, _ sumsub: InMemoryIdentityVerification)
        async throws -> (applicantId: String, worker: JobWorker) {
        let applicantId = try await startedTheCheckAndErased(app, clock)
        await sumsub.setReachable(false)
        #expect(try await app.services.retentionPurge.run() == 1)
        let worker = JobWorker(services: app.services)
        for _ in 0..<hours {
            while try await worker.runNext() {}
            clock.advance(3_600)
        }
        return (applicantId, worker)
    }
}
