import DropCore
import DropStore
import DropTestTools
import Foundation
import Testing
@testable import DropAPI

extension EmailTests {
    /// A worker claims Kari's confirmation email and is paused (a frozen VM, SIGSTOP, a long stall) past its lease.
    /// Another worker takes the job over and mails the link. The first then resumes where it stood: it must not
    /// mail the link a second time, nor count the job it no longer holds as failed.
    @Test func aWorkerPausedPastItsLeaseDoesNotMailAgainWhatItsSuccessorSent() async throws {
        let smtp = try SMTPTestServer()
        defer { smtp.stop() }
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon), environment: Self.environment(smtp, tls: false)) { server in
            let kari = try await KYCTests.onboardAndVerify(server, TransfersTests.kari).auth
            try await Self.work(server)  // whatever signing up queued, so the next claim is the email's
            #expect(try await server.call(.PATCH, "/v1/me", #"{"email":"kari@example.no"}"#, auth: kari).status == 200)
            let queue = JobQueue(database: server.services.database)
            // The worker that will be paused claims the job, and stops there.
            let paused = try #require(try await queue.claim(worker: "worker-paused", now: server.clock.date, lease: 60))
            #expect(paused.kind == EmailConfirmationService.jobKind)
            server.clock.advance(61)  // its lease lapses while it is stopped
            try await Self.work(server)  // another worker takes the job over and mails the link
            #expect(try await smtp.waitFor(1).count == 1)
            // The paused worker resumes and runs the job it claimed.
            let handler = try #require(server.services.jobs.handler(for: paused.kind))
            await #expect(throws: JobLeaseLost.self) { try await handler(paused) }
            #expect(try await queue.fail(paused, error: "JobLeaseLost", now: server.clock.date) == false)
            try await Task.sleep(for: .milliseconds(300))
            #expect(try smtp.received().count == 1)
            let job = try await server.services.database.withConnection { db in
                try await db.raw("SELECT status, attempts FROM jobs WHERE kind = \(bind: EmailConfirmationService.jobKind)").first()
                    .map { (try $0.decode(column: "status", as: String.self), try $0.decode(column: "attempts", as: Int.self)) }
            }
            #expect(job?.0 == "done" && job?.1 == 2)
        }
    }
}
