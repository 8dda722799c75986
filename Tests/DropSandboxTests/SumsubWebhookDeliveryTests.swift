import DropProviders
import DropSandbox
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Webhook delivery: retries until acknowledged, the outbox across restarts, and forged webhooks.
@Suite("Sumsub sandbox webhook delivery")
struct SumsubWebhookDeliveryTests {
    /// The part of the sandbox's state file `survivesRestart` reads: the applicants it keeps, by id.
    struct SavedState: Decodable {
        struct Applicant: Decodable {
            let id: String
            let externalUserId: String
        }

        let applicants: [String: Applicant]
    }

    func withStateFile(_ body: (String) async throws -> Void) async throws {
        let stateFile = SumsubSandboxHarness.temporaryStateFile()
        defer { try? FileManager.default.removeItem(atPath: (stateFile as NSString).deletingLastPathComponent) }
        try await body(stateFile)
    }

    /// Creates an applicant for Kari and submits it in the WebSDK.
    func submitKari(_ live: SumsubLive, externalUserId: String = "user-kari") async throws -> String {
        let client = live.sumsubClient()
        let applicant = try await client.createApplicant(externalUserId: externalUserId, fixedInfo: try SumsubPersonCase.kari.fixedInfo())
        let token = try await client.sdkAccessToken(userId: externalUserId)
        #expect(try await live.submitWebSDK(accessToken: token.token).status == .ok)
        return applicant.id
    }

    @Test("a webhook answered with 500 is retried on schedule until acknowledged")
    func retriedAfterServerError() async throws {
        try await withStateFile { stateFile in
            try await SumsubSandboxHarness(stateFilePath: stateFile).run { live in
                live.inbox.failNext(1)
                _ = try await submitKari(live)
                // The first attempt (applicantPending) got a 500; applicantReviewed waits behind it.
                #expect(live.inbox.attempts == 1)
                #expect(live.inbox.events.isEmpty)
                #expect(await live.sandbox.undeliveredWebhookCount == 2)

                #expect(await live.sandbox.deliverPendingWebhooks() == 0)
                #expect(live.inbox.attempts == 1)
                live.clock.advance(seconds: 1.9)
                #expect(await live.sandbox.deliverPendingWebhooks() == 0)

                live.clock.advance(seconds: 0.1)
                #expect(await live.sandbox.deliverPendingWebhooks() == 2)
                #expect(live.inbox.events.map(\.type) == [.applicantPending, .applicantReviewed])
                #expect(live.inbox.attempts == 3)
                #expect(await live.sandbox.undeliveredWebhookCount == 0)
                // A redelivery carries the same body, so Drop can deduplicate it.
                #expect(Set(live.inbox.events.map(\.deduplicationKey)).count == 2)
            }
        }
    }

    @Test("a receiver that cannot be reached is retried, with the URL asked again each time")
    func retriedAfterTransportError() async throws {
        try await withStateFile { stateFile in
            let harness = try SumsubSandboxHarness(stateFilePath: stateFile, deliversBeforeResponding: false)
            try await harness.run { live in
                _ = try await submitKari(live)
                harness.port.set(1)
                #expect(await live.sandbox.deliverPendingWebhooks() == 0)
                #expect(await live.sandbox.undeliveredWebhookCount == 2)

                harness.port.set(live.port)
                live.clock.advance(seconds: 2)
                #expect(await live.sandbox.deliverPendingWebhooks() == 2)
                #expect(live.inbox.events.count == 2)
            }
        }
    }

    @Test("after the last scheduled retry the sandbox gives up")
    func givesUp() async throws {
        try await withStateFile { stateFile in
            try await SumsubSandboxHarness(stateFilePath: stateFile, retrySchedule: [.seconds(2), .seconds(10)]).run { live in
                let applicant = try await live.sumsubClient().createApplicant(
                    externalUserId: "user-gives-up", fixedInfo: try SumsubPersonCase.kari.fixedInfo()
                )
                live.inbox.failNext(3)
                let completed = try await live.signed(
                    .post, "/resources/applicants/\(applicant.id)/status/testCompleted", body: #"{"reviewAnswer":"GREEN"}"#
                )
                #expect(completed.status == .ok)
                live.clock.advance(seconds: 2)
                await live.sandbox.deliverPendingWebhooks()
                #expect(await live.sandbox.undeliveredWebhookCount == 1)
                live.clock.advance(seconds: 10)
                await live.sandbox.deliverPendingWebhooks()
                #expect(live.inbox.attempts == 3)
                #expect(await live.sandbox.undeliveredWebhookCount == 0)
                #expect(live.inbox.events.isEmpty)
            }
        }
    }

    @Test("a forged webhook is refused by SumsubWebhook at Drop's endpoint")
    func forgedWebhook() async throws {
        try await withStateFile { stateFile in
            try await SumsubSandboxHarness(stateFilePath: stateFile).run { live in
                let body = #"{"applicantId":"5cb56e8e0a975a35f333cb83","type":"applicantReviewed","reviewStatus":"completed","reviewResult":{"reviewAnswer":"GREEN"}}"#
                let forgedDigest = SumsubWebhook.digest(rawBody: Array(body.utf8), secret: "guessed-secret")
                let response = try await live.client.execute(
                    uri: SumsubSandboxHarness.webhookPath, method: .post,
                    headers: [
                        .contentType: "application/json",
                        HTTPField.Name("X-Payload-Digest")!: forgedDigest,
                        HTTPField.Name("X-Payload-Digest-Alg")!: "HMAC_SHA256_HEX",
                    ],
                    body: ByteBuffer(string: body)
                )
                #expect(response.status == .unauthorized)
                #expect(live.inbox.refused == 1)
                #expect(live.inbox.events.isEmpty)
            }
        }
    }

    @Test("applicants, tokens and undelivered webhooks survive re-creating the sandbox from its file")
    func survivesRestart() async throws {
        try await withStateFile { stateFile in
            let clock = SumsubTestClock()
            let first = try SumsubSandboxHarness(stateFilePath: stateFile, clock: clock, deliversBeforeResponding: false)
            let (applicantId, token) = try await first.run { live in
                let id = try await submitKari(live, externalUserId: "user-restart")
                let token = try await live.sumsubClient().sdkAccessToken(userId: "user-restart")
                #expect(await live.sandbox.undeliveredWebhookCount == 2)
                return (id, token.token)
            }
            #expect(first.inbox.attempts == 0)
            let saved = try JSONDecoder().decode(SavedState.self, from: Data(contentsOf: URL(fileURLWithPath: stateFile)))
            #expect(saved.applicants[applicantId]?.id == applicantId && saved.applicants[applicantId]?.externalUserId == "user-restart")

            let second = try SumsubSandboxHarness(stateFilePath: stateFile, clock: clock)
            try await second.run { live in
                #expect(await live.sandbox.undeliveredWebhookCount == 2)
                let applicant = try await live.sumsubClient().applicant(byExternalUserId: "user-restart")
                #expect(applicant?.id == applicantId)
                #expect(applicant?.reviewStatus == .completed)
                #expect(try await live.webSDKPage(accessToken: token).status == .ok)
                #expect(await live.sandbox.deliverPendingWebhooks() == 2)
                #expect(live.inbox.events.map(\.type) == [.applicantPending, .applicantReviewed])
                #expect(live.inbox.events.allSatisfy { $0.applicantId == applicantId })
                // The same external user id is still taken after the restart.
                await #expect(throws: SumsubError.self) {
                    try await live.sumsubClient().createApplicant(
                        externalUserId: "user-restart", fixedInfo: try SumsubPersonCase.kari.fixedInfo()
                    )
                }
            }
            let third = try SumsubSandboxHarness(stateFilePath: stateFile, clock: clock)
            #expect(await third.sandbox.undeliveredWebhookCount == 0)
        }
    }

    @Test("an unreadable state file is reported, not silently replaced")
    func unreadableStateFile() async throws {
        try await withStateFile { stateFile in
            try FileManager.default.createDirectory(
                atPath: (stateFile as NSString).deletingLastPathComponent, withIntermediateDirectories: true
            )
            try Data("not json".utf8).write(to: URL(fileURLWithPath: stateFile))
            #expect(throws: (any Error).self) { try SumsubSandboxHarness(stateFilePath: stateFile) }
        }
    }
}
