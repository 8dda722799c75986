import DropCore
import DropProviders
import DropSandbox
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Drop's `SumsubClient` against the Sumsub sandbox over real HTTP.
@Suite("Sumsub client against the sandbox")
struct SumsubClientLiveTests {
    func withSandbox(_ body: @Sendable (SumsubLive) async throws -> Void) async throws {
        let stateFile = SumsubSandboxHarness.temporaryStateFile()
        defer { try? FileManager.default.removeItem(atPath: (stateFile as NSString).deletingLastPathComponent) }
        try await SumsubSandboxHarness(stateFilePath: stateFile).run(body)
    }

    @Test("creates an applicant and finds it again by external user id")
    func createAndFind() async throws {
        try await withSandbox { live in
            let client = live.sumsubClient()
            let created = try await client.createApplicant(
                externalUserId: "user-kari", fixedInfo: try SumsubPersonCase.kari.fixedInfo(),
                email: "kari@example.com", phone: "+4791234567"
            )
            #expect(created.id.count == 24)
            #expect(created.id.allSatisfy { $0.isHexDigit })
            #expect(created.externalUserId == "user-kari")
            #expect(created.inspectionId?.count == 24)
            #expect(created.reviewStatus == .initial)
            #expect(created.createdAt?.count == 19)
            #expect(created.tags.isEmpty)

            let found = try await client.applicant(byExternalUserId: "user-kari")
            #expect(found?.id == created.id)
            #expect(try await client.applicant(byExternalUserId: "user-nobody") == nil)
            #expect(try await client.applicant(id: created.id).externalUserId == "user-kari")

            let status = try await client.applicantStatus(applicantId: created.id)
            #expect(status.reviewStatus == .initial)
            #expect(status.reviewResult == nil)
            #expect(status.levelName == "basic-kyc-level")
        }
    }

    @Test("a second applicant with the same external user id is a 409 conflict")
    func duplicate() async throws {
        try await withSandbox { live in
            let client = live.sumsubClient()
            let first = try await client.createApplicant(externalUserId: "user-dup", fixedInfo: try SumsubPersonCase.kari.fixedInfo())
            let error = await #expect(throws: SumsubError.self) {
                try await client.createApplicant(externalUserId: "user-dup", fixedInfo: try SumsubPersonCase.kari.fixedInfo())
            }
            #expect(error?.isConflict == true)
            #expect(error?.message.contains(first.id) == true)
            #expect(error?.correlationId?.hasPrefix("req-") == true)
            // What a retried KYC start does: reuse the applicant that exists.
            #expect(try await client.applicant(byExternalUserId: "user-dup")?.id == first.id)
        }
    }

    @Test("external user ids with reserved characters survive signing and lookup")
    func reservedCharacters() async throws {
        try await withSandbox { live in
            let client = live.sumsubClient()
            let externalUserId = "user 1/æøå+&=;?#%"
            let created = try await client.createApplicant(externalUserId: externalUserId, fixedInfo: try SumsubPersonCase.kari.fixedInfo())
            #expect(created.externalUserId == externalUserId)
            #expect(try await client.applicant(byExternalUserId: externalUserId)?.id == created.id)
        }
    }

    @Test("issues a WebSDK access token for the user")
    func accessToken() async throws {
        try await withSandbox { live in
            let client = live.sumsubClient()
            _ = try await client.createApplicant(externalUserId: "user-token", fixedInfo: try SumsubPersonCase.kari.fixedInfo())
            let token = try await client.sdkAccessToken(userId: "user-token")
            #expect(token.token.hasPrefix("_act-sbx-"))
            #expect(token.userId == "user-token")
            let url = client.webSDKURL(accessToken: token.token, returnURL: "http://localhost/onboarding?kyc=done")
            #expect(url == "\(live.baseURL)/websdk?accessToken=\(token.token)&returnUrl=http%3A%2F%2Flocalhost%2Fonboarding%3Fkyc%3Ddone")
        }
    }

    @Test("a deactivated applicant is forgotten: every later read is a 404, and asking again is harmless")
    func deactivation() async throws {
        try await withSandbox { live in
            let client = live.sumsubClient()
            let kari = try await client.createApplicant(externalUserId: "user-kari", fixedInfo: try SumsubPersonCase.kari.fixedInfo())
            // Only a signed request forgets anyone.
            let unsigned = try await live.client.execute(
                uri: "\(SumsubSandboxHarness.mount)/resources/applicants/\(kari.id)/presence/deactivated", method: .patch)
            #expect(unsigned.status == .unauthorized)
            let wrongSecret = try await live.signed(.patch, "/resources/applicants/\(kari.id)/presence/deactivated", secretKey: "not-the-secret")
            #expect(wrongSecret.status == .unauthorized)
            #expect(try await client.applicant(id: kari.id).id == kari.id)

            // Sumsub's answer is the profile, marked deleted.
            let answer = try await live.signed(.patch, "/resources/applicants/\(kari.id)/presence/deactivated")
            #expect(answer.status == .ok)
            #expect(String(buffer: answer.body).contains(#""deleted":true"#))
            let gone = await #expect(throws: SumsubError.self) { try await client.applicant(id: kari.id) }
            #expect(gone?.isNotFound == true)
            #expect(try await client.applicant(byExternalUserId: "user-kari") == nil)
            let status = await #expect(throws: SumsubError.self) { try await client.applicantStatus(applicantId: kari.id) }
            #expect(status?.isNotFound == true)
            // Already forgotten: Drop's client takes Sumsub's 404 as done.
            try await client.deactivateApplicant(applicantId: kari.id)
        }
    }

    @Test("Sumsub's refusals are SumsubError, with status and correlation id")
    func refusals() async throws {
        try await withSandbox { live in
            let notFound = await #expect(throws: SumsubError.self) {
                try await live.sumsubClient().applicant(id: "000000000000000000000000")
            }
            #expect(notFound?.isNotFound == true)

            let unauthorized = await #expect(throws: SumsubError.self) {
                try await live.sumsubClient(secretKey: "wrong-secret").applicantStatus(applicantId: "x")
            }
            #expect(unauthorized?.isAuthenticationFailure == true)
            #expect(unauthorized?.message == "Invalid signature")
            #expect(unauthorized?.description.contains("Invalid signature") == false)
        }
    }

    @Test("nobody listening is a ProviderError, not a SumsubError")
    func unreachable() async throws {
        try await withSandbox { live in
            // Port 1 on loopback: nothing listens there. AsyncHTTPClient keeps trying to connect
            // until the deadline, so the timeout is short, and either ending means "try later".
            let error = await #expect(throws: ProviderError.self) {
                try await live.sumsubClient(port: 1, timeout: .seconds(1)).applicant(byExternalUserId: "user")
            }
            #expect(error?.provider == "sumsub")
            #expect(error?.isProviderUnavailable == true)
        }
    }
}
