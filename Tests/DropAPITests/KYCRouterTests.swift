import DropKit
import DropProviderFakes
import DropProviders
import Foundation
import HTTPTypes
import Testing

/// Starting the identity check at the router, with Sumsub as `InMemoryIdentityVerification`. The
/// check through the Sumsub sandbox's signed API and webhooks over HTTP is `KYCTests`.
@Suite("The identity check at the router, against the in-memory provider")
struct KYCRouterTests {
    static let kari = "15039010043"

    /// Kari's phone and the two consents the check needs.
    static func onboard(_ app: RouterApp, _ auth: HTTPFields) async throws {
        #expect(try await app.send(.patch, "/v1/me", #"{"phone":"+47 912 34 567"}"#, auth).status == .ok)
        for type in ["terms", "privacy"] {
            _ = try await app.post("/v1/consents", #"{"type":"\#(type)","version":"2026-06","granted":true}"#, auth)
        }
    }

    @Test func aRetriedStartReusesTheApplicantAndAProviderThatIsDownIsSaidSo() async throws {
        let sumsub = InMemoryIdentityVerification()
        try await RouterApp.test(providers: .init(identityVerification: sumsub)) { app in
            let kari = try await app.bearer(Self.kari)
            try await Self.onboard(app, kari)

            // Down: a clear 503 with Retry-After, and the check has not started.
            await sumsub.setReachable(false)
            let refused = try await app.send(.post, "/v1/kyc/start", nil, kari)
            #expect(refused.status == .serviceUnavailable)
            #expect(refused.apiError.code == "PROVIDER_UNAVAILABLE")
            #expect(refused.headers[.retryAfter] != nil)
            #expect(try await app.get("/v1/kyc/status", kari).decode(DropKit.KYCStatus.self).status == KYCState.none)

            await sumsub.setReachable(true)
            let started = try await app.send(.post, "/v1/kyc/start", nil, kari)
            #expect(started.status == .ok)
            let start = try started.decode(KYCStart.self)
            let applicantId = start.applicantId
            let applicant = try #require(await sumsub.applicants[applicantId])
            // Sumsub gets the name and birth date BankID gave, not the national identity number.
            #expect(applicant.fixedInfo.firstName == "Kari")
            #expect(applicant.externalUserId.contains(Self.kari) == false)
            #expect(try await app.get("/v1/kyc/status", kari).decode(DropKit.KYCStatus.self).status == .pending)

            // Started again (the app was closed mid-check): the same applicant, a new SDK token.
            let again = try await app.send(.post, "/v1/kyc/start", nil, kari)
            let restarted = try again.decode(KYCStart.self)
            #expect(restarted.applicantId == applicantId)
            #expect(restarted.accessToken != start.accessToken)
            #expect(await sumsub.applicants.count == 1)
        }
    }
}
