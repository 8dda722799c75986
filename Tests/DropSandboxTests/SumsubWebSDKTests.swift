import DropProviders
import DropSandbox
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The WebSDK stand-in and the review outcome per sandbox person, ending in signed webhooks.
@Suite("Sumsub sandbox WebSDK and reviews")
struct SumsubWebSDKTests {
    static let returnURL = "http://localhost:8080/onboarding?kyc=done"

    func withSandbox(_ body: @Sendable (SumsubLive) async throws -> Void) async throws {
        let stateFile = SumsubSandboxHarness.temporaryStateFile()
        defer { try? FileManager.default.removeItem(atPath: (stateFile as NSString).deletingLastPathComponent) }
        try await SumsubSandboxHarness(stateFilePath: stateFile).run(body)
    }

    @Test("submitting in the WebSDK reviews by sandbox person and sends signed webhooks",
          arguments: [SumsubPersonCase.kari, .rita, .sven, .per])
    func reviewByPerson(person: SumsubPersonCase) async throws {
        try await withSandbox { live in
            let client = live.sumsubClient()
            let externalUserId = "user-\(person.firstName.lowercased())"
            let applicant = try await client.createApplicant(externalUserId: externalUserId, fixedInfo: try person.fixedInfo())
            let token = try await client.sdkAccessToken(userId: externalUserId)

            let page = try await live.webSDKPage(accessToken: token.token, returnURL: Self.returnURL)
            #expect(page.status == .ok)
            let html = String(buffer: page.body)
            #expect(html.contains("\(person.firstName) \(person.lastName)"))
            #expect(html.components(separatedBy: "<form").count == 2)
            #expect(html.contains(#"<form method="post">"#))
            #expect(html.contains(#"name="decision" value="submit""#))
            #expect(html.contains(#"<input type="hidden" name="accessToken" value="\#(token.token)">"#))
            #expect(html.contains(#"name="returnUrl" value="http://localhost:8080/onboarding?kyc=done""#))
            #expect(html.contains(#"<html lang="en">"#))
            #expect(!html.contains("<script"))

            let submitted = try await live.submitWebSDK(accessToken: token.token, returnURL: Self.returnURL)
            #expect(submitted.status == .seeOther)
            #expect(submitted.headers[.location] == Self.returnURL)

            // Delivered before the redirect, in order, each verified by SumsubWebhook.
            let deliveries = live.inbox.deliveries
            #expect(deliveries.map(\.event.type) == [.applicantPending, .applicantReviewed])
            #expect(deliveries.allSatisfy { $0.algorithm == "HMAC_SHA256_HEX" })
            let pending = try #require(deliveries.first?.event)
            #expect(pending.reviewStatus == .pending)
            #expect(pending.reviewResult == nil)
            let reviewed = try #require(deliveries.last?.event)
            #expect(reviewed.applicantId == applicant.id)
            #expect(reviewed.externalUserId == externalUserId)
            #expect(reviewed.inspectionId == applicant.inspectionId)
            #expect(reviewed.levelName == "basic-kyc-level")
            #expect(reviewed.sandboxMode)
            #expect(reviewed.clientId == "drop")
            #expect(reviewed.applicantType == "individual")
            #expect(reviewed.correlationId?.hasPrefix("req-") == true)
            #expect(reviewed.reviewStatus == .completed)
            #expect(reviewed.createdAt == live.clock.now())
            #expect(reviewed.reviewResult?.reviewAnswer == person.answer)
            #expect(reviewed.reviewResult?.reviewRejectType == person.rejectType)
            #expect(reviewed.reviewResult?.rejectLabels == person.labels)
            for delivery in deliveries {
                // No personal data in webhooks.
                #expect(!delivery.rawBody.contains(person.firstName))
                #expect(!delivery.rawBody.contains(person.lastName))
                #expect(!delivery.rawBody.contains(person.dob))
            }

            let status = try await client.applicantStatus(applicantId: applicant.id)
            #expect(status.reviewStatus == .completed)
            #expect(status.reviewResult?.reviewAnswer == person.answer)
            #expect(status.attemptCnt == 1)
            #expect(status.reviewDate != nil)
            let fetched = try await client.applicant(id: applicant.id)
            #expect(fetched.tags == person.tags)
            #expect(fetched.review?.reviewResult?.rejectLabels == person.labels)
        }
    }

    @Test("without a return address the submit shows a page; a finished check shows no form")
    func submittedPage() async throws {
        try await withSandbox { live in
            let client = live.sumsubClient()
            _ = try await client.createApplicant(externalUserId: "user-ola", fixedInfo: try SumsubPersonCase.kari.fixedInfo())
            let token = try await client.sdkAccessToken(userId: "user-ola")
            let submitted = try await live.submitWebSDK(accessToken: token.token)
            #expect(submitted.status == .ok)
            #expect(String(buffer: submitted.body).contains("Verification submitted"))

            let again = try await live.webSDKPage(accessToken: token.token)
            #expect(again.status == .ok)
            #expect(!String(buffer: again.body).contains("<form"))
            let resubmitted = try await live.submitWebSDK(accessToken: token.token)
            #expect(resubmitted.status == .conflict)
            #expect(live.inbox.events.count == 2)
        }
    }

    @Test("unknown and expired tokens get an error page")
    func invalidTokens() async throws {
        try await withSandbox { live in
            let client = live.sumsubClient()
            _ = try await client.createApplicant(externalUserId: "user-exp", fixedInfo: try SumsubPersonCase.kari.fixedInfo())
            let token = try await client.sdkAccessToken(userId: "user-exp", ttlSeconds: 600)

            #expect(try await live.webSDKPage(accessToken: "_act-sbx-unknown").status == .forbidden)
            live.clock.advance(seconds: 599)
            #expect(try await live.webSDKPage(accessToken: token.token).status == .ok)
            live.clock.advance(seconds: 2)
            let expired = try await live.webSDKPage(accessToken: token.token)
            #expect(expired.status == .forbidden)
            #expect(String(buffer: expired.body).contains("not valid or has expired"))
            #expect(try await live.submitWebSDK(accessToken: token.token).status == .forbidden)
            #expect(live.inbox.attempts == 0)
        }
    }

    @Test("a token for a user without an applicant, bad decisions and foreign return addresses are refused")
    func refusedSubmits() async throws {
        try await withSandbox { live in
            let client = live.sumsubClient()
            let orphan = try await client.sdkAccessToken(userId: "user-without-applicant")
            #expect(try await live.webSDKPage(accessToken: orphan.token).status == .forbidden)

            _ = try await client.createApplicant(externalUserId: "user-x", fixedInfo: try SumsubPersonCase.kari.fixedInfo())
            let token = try await client.sdkAccessToken(userId: "user-x")
            #expect(try await live.submitWebSDK(accessToken: token.token, decision: "approve").status == .badRequest)
            for returnURL in ["//evil.example/x", "javascript:alert(1)", "https:///path"] {
                #expect(try await live.webSDKPage(accessToken: token.token, returnURL: returnURL).status == .badRequest)
                #expect(try await live.submitWebSDK(accessToken: token.token, returnURL: returnURL).status == .badRequest)
            }
            #expect(live.inbox.attempts == 0)
        }
    }

    @Test("testCompleted sets the outcome and fires applicantReviewed; RETRY allows a new attempt")
    func testCompleted() async throws {
        try await withSandbox { live in
            let client = live.sumsubClient()
            let applicant = try await client.createApplicant(externalUserId: "user-retry", fixedInfo: try SumsubPersonCase.kari.fixedInfo())

            let unsigned = try await live.client.execute(
                uri: "\(SumsubSandboxHarness.mount)/resources/applicants/\(applicant.id)/status/testCompleted", method: .post,
                headers: [.contentType: "application/json"], body: ByteBuffer(string: #"{"reviewAnswer":"GREEN"}"#)
            )
            #expect(unsigned.status == .unauthorized)
            let invalid = try await live.signed(
                .post, "/resources/applicants/\(applicant.id)/status/testCompleted", body: #"{"reviewAnswer":"RED"}"#
            )
            #expect(invalid.status == .badRequest)
            let unknown = try await live.signed(
                .post, "/resources/applicants/000000000000000000000000/status/testCompleted", body: #"{"reviewAnswer":"GREEN"}"#
            )
            #expect(unknown.status == .notFound)
            #expect(live.inbox.attempts == 0)

            let completed = try await live.signed(
                .post, "/resources/applicants/\(applicant.id)/status/testCompleted",
                body: #"{"reviewAnswer":"RED","rejectLabels":["UNSATISFACTORY_PHOTOS"],"reviewRejectType":"RETRY"}"#
            )
            #expect(completed.status == .ok)
            let event = try #require(live.inbox.events.last)
            #expect(live.inbox.events.map(\.type) == [.applicantReviewed])
            #expect(event.reviewResult == SumsubReviewResult(
                reviewAnswer: .red, rejectLabels: ["UNSATISFACTORY_PHOTOS"], reviewRejectType: .retry
            ))
            #expect(event.reviewResult?.isFinalRejection == false)

            // RETRY: the person may submit again, and Kari is approved on the second attempt.
            let token = try await client.sdkAccessToken(userId: "user-retry")
            #expect(String(buffer: try await live.webSDKPage(accessToken: token.token).body).contains("<form"))
            #expect(try await live.submitWebSDK(accessToken: token.token).status == .ok)
            #expect(live.inbox.events.map(\.type) == [.applicantReviewed, .applicantPending, .applicantReviewed])
            let status = try await client.applicantStatus(applicantId: applicant.id)
            #expect(status.reviewResult?.isApproved == true)
            #expect(status.attemptCnt == 2)
        }
    }
}
