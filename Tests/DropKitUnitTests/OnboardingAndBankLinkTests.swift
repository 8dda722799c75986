import Foundation
import Testing
@testable import DropKit

/// Consents as the server lists them: terms accepted in an older version, privacy never.
private enum ConsentsWire {
    static let consents = #"{"items":[{"type":"terms","currentVersion":"2026-10","required":true,"granted":true,"version":"2026-01","grantedAt":"2026-01-02T10:00:00Z"},{"type":"privacy","currentVersion":"2026-10","required":true,"granted":false},{"type":"marketing","currentVersion":"2026-10","required":false,"granted":false}],"nextCursor":null}"#
    static let currentConsents = #"{"items":[{"type":"terms","currentVersion":"2026-10","required":true,"granted":true,"version":"2026-10","grantedAt":"2026-10-14T12:00:00Z"},{"type":"privacy","currentVersion":"2026-10","required":true,"granted":true,"version":"2026-10","grantedAt":"2026-10-14T12:00:00Z"},{"type":"marketing","currentVersion":"2026-10","required":false,"granted":false}],"nextCursor":null}"#
}

@Suite("DropKit onboarding and bank linking")
@MainActor
struct OnboardingAndBankLinkTests {
    @Test func aConsentToAnOlderVersionIsAskedForAgainAndOnlyRequiredOnesAreGranted() async {
        let granted = Counter()
        let (client, transport) = StubTransport.client { request, _ in
            switch request.route {
            case "GET /v1/me":
                return .init(status: 200, body: Wire.userJSON.replacingOccurrences(of: #""kycStatus":"approved""#, with: #""kycStatus":"none""#))
            case "GET /v1/consents":
                return .init(status: 200, body: granted.value >= 2 ? ConsentsWire.currentConsents : ConsentsWire.consents)
            case "POST /v1/consents":
                granted.increment()
                return .init(status: 201, body: #"{"type":"terms","currentVersion":"2026-10","required":true,"granted":true,"version":"2026-10","grantedAt":"2026-10-14T12:00:00Z"}"#)
            case "GET /v1/kyc/status":
                return .init(status: 200, body: #"{"status":"none","rejectLabels":[]}"#)
            default:
                return .init(status: 404, body: Wire.error("NOT_FOUND"))
            }
        }
        let onboarding = OnboardingModel(environment: ClientEnvironment(client: client))
        await onboarding.load()
        // Terms were accepted in an older version: that is not consent to today's terms.
        #expect(onboarding.step == .consents)
        await onboarding.acceptRequiredConsents()
        #expect(onboarding.step == .identityCheck(.none))
        let posted = transport.requests.filter { $0.route == "POST /v1/consents" }.map(\.bodyText)
        #expect(posted.count == 2 && posted.allSatisfy { $0.contains(#""version":"2026-10""#) && $0.contains(#""granted":true"#) })
        #expect(!posted.contains { $0.contains("marketing") })
    }

    @Test func theVerdictIsAwaitedAndARejectionIsAStepNotAnError() async {
        let (client, transport) = StubTransport.client { request, index in
            switch request.route {
            case "GET /v1/me": .init(status: 200, body: Wire.userJSON.replacingOccurrences(of: #""kycStatus":"approved""#, with: #""kycStatus":"none""#))
            case "GET /v1/consents": .init(status: 200, body: ConsentsWire.currentConsents)
            case "POST /v1/kyc/start": .init(status: 200, body: #"{"applicantId":"a1","accessToken":"_act-1","sdkUrl":"https://drop.example/sandbox/sumsub/websdk?token=_act-1"}"#)
            // Pending for the first three reads after the start, then the verdict.
            case "GET /v1/kyc/status" where index < 7: .init(status: 200, body: #"{"status":"pending","rejectLabels":[]}"#)
            case "GET /v1/kyc/status": .init(status: 200, body: #"{"status":"rejected","rejectLabels":["SANCTIONS"]}"#)
            default: .init(status: 404, body: Wire.error("NOT_FOUND"))
            }
        }
        let sleeps = Counter()
        let onboarding = OnboardingModel(environment: ClientEnvironment(client: client, sleep: { _ in sleeps.increment() }, maxPolls: 10))
        await onboarding.load()
        await onboarding.startIdentityCheck()
        #expect(onboarding.identityCheck?.sdkUrl.absoluteString.hasSuffix("token=_act-1") == true)
        await onboarding.waitForVerdict()
        #expect(onboarding.step == .identityCheck(.rejected) && onboarding.kyc?.rejectLabels == ["SANCTIONS"] && onboarding.problem == nil)
        #expect(sleeps.value == transport.requests.filter { $0.route == "GET /v1/kyc/status" }.count - 2)
    }

    @Test func waitingGivesUpAfterMaxPollsAndKeepsThePendingStep() async {
        let (client, _) = StubTransport.client { request, _ in
            switch request.route {
            case "GET /v1/me": .init(status: 200, body: Wire.userJSON.replacingOccurrences(of: #""kycStatus":"approved""#, with: #""kycStatus":"pending""#))
            case "GET /v1/consents": .init(status: 200, body: ConsentsWire.currentConsents)
            case "GET /v1/kyc/status": .init(status: 200, body: #"{"status":"pending","rejectLabels":[]}"#)
            default: .init(status: 404, body: Wire.error("NOT_FOUND"))
            }
        }
        let onboarding = OnboardingModel(environment: ClientEnvironment(client: client, sleep: { _ in }, maxPolls: 3))
        await onboarding.load()
        await onboarding.waitForVerdict()
        #expect(onboarding.step == .identityCheck(.pending) && onboarding.problem == nil)
    }

    @Test func aBankThatSaysNoOrIsDownIsShownAndOtherLinksAreLeftAlone() async throws {
        let (client, _) = StubTransport.client { request, _ in
            switch request.route {
            case "GET /v1/banks": .init(status: 200, body: Wire.page(#"{"id":"dnb","name":"DNB","bic":"DNBANOKK","country":"NO"}"#))
            case "GET /v1/bank-accounts": .init(status: 200, body: Wire.page())
            case "POST /v1/bank-accounts/connect":
                .init(status: 503, body: Wire.error("PROVIDER_UNAVAILABLE"), headers: ["Retry-After": "30"])
            default: .init(status: 404, body: Wire.error("NOT_FOUND"))
            }
        }
        let banks = BankLinkModel(environment: ClientEnvironment(client: client))
        await banks.load()
        let dnb = try #require(banks.banks.first)
        await banks.link(dnb)
        #expect(banks.phase == .idle && banks.problem == .providerUnavailable(retryAfter: 30))
        #expect(await banks.open(.bankLinkFailed(error: "CONSENT_REJECTED")))
        #expect(banks.phase == .failed(code: "CONSENT_REJECTED"))
        #expect(await banks.open(.transaction(id: "33333333-0000-4000-8000-000000000001")) == false)
    }
}
