import DropKit
import DropProviderFakes
import DropProviders
import DropStore
import Foundation
import HTTPTypes
import SQLKit
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

    /// Sumsub's applicant API down when a GREEN review of a PEP arrives: the tags can't be read, so
    /// the webhook is refused for redelivery with nothing written (not approved as "no tags"); the
    /// redelivery, once Sumsub answers, approves with the PEP flag and a positive PEP screening.
    @Test func aReviewWhoseTagsCantBeReadIsRefusedUnrecordedAndItsRedeliveryFlagsThePEP() async throws {
        let sumsub = InMemoryIdentityVerification()
        try await RouterApp.test(providers: .init(identityVerification: sumsub)) { app in
            let kari = try await app.bearer(Self.kari)
            try await Self.onboard(app, kari)
            let applicantId = try await app.send(.post, "/v1/kyc/start", nil, kari).decode(KYCStart.self).applicantId
            await sumsub.review(applicantId, SumsubReview(reviewStatus: .completed, reviewResult: SumsubReviewResult(reviewAnswer: .green)),
                                tags: ["PEP"])
            let body = #"{"applicantId":"\#(applicantId)","type":"applicantReviewed","reviewStatus":"completed","correlationId":"c-pep","createdAtMs":"2099-01-01 00:00:00.000","sandboxMode":true,"reviewResult":{"reviewAnswer":"GREEN"}}"#
            let secret = app.services.config.secrets.sumsubWebhookSecret
            let headers: HTTPFields = [HTTPField.Name("X-Payload-Digest")!: SumsubWebhook.digest(rawBody: Array(body.utf8), secret: secret),
                                       HTTPField.Name("X-Payload-Digest-Alg")!: "HMAC_SHA256_HEX"]
            let database = app.services.database
            func count(_ sql: SQLQueryString) async throws -> Int {
                try await database.withConnection { try await $0.raw(sql).first()!.decode(column: "n", as: Int.self) }
            }
            let kariId = try await app.get("/v1/me", kari).decode(DropKit.User.self).id

            await sumsub.setReachable(false)
            let refused = try await app.send(.post, "/v1/webhooks/sumsub", body, headers)
            #expect(refused.status == .serviceUnavailable)
            #expect(refused.apiError.code == "PROVIDER_UNAVAILABLE" && refused.headers[.retryAfter] != nil)
            // Nothing written: not approved, no screening, no audit row, and the event not recorded as seen.
            #expect(try await app.get("/v1/kyc/status", kari).decode(DropKit.KYCStatus.self).status == .pending)
            #expect(try await count("SELECT COUNT(*) AS n FROM webhook_events WHERE provider = 'sumsub'") == 0)
            #expect(try await count("SELECT COUNT(*) AS n FROM screening_results WHERE user_id = \(bind: kariId)") == 0)
            #expect(try await count("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'kyc.status_changed'") == 0)
            // Sumsub out of reach passes with redelivery: operations is not alerted for it.
            #expect(try await count("SELECT COUNT(*) AS n FROM operations_alerts") == 0)

            // Sumsub delivers it again once its API answers: applied, with the PEP tag.
            await sumsub.setReachable(true)
            #expect(try await app.send(.post, "/v1/webhooks/sumsub", body, headers).status == .ok)
            #expect(try await app.get("/v1/kyc/status", kari).decode(DropKit.KYCStatus.self).status == .approved)
            let flags = try await database.withConnection { db in
                try await db.raw("""
                    SELECT u.is_pep, u.risk_level, s.hit FROM users u JOIN screening_results s ON s.user_id = u.id
                    WHERE u.id = \(bind: kariId) AND s.kind = 'pep'
                    """).all()
            }
            #expect(flags.count == 1)
            #expect(try flags.first?.decode(column: "is_pep", as: Bool.self) == true)
            #expect(try flags.first?.decode(column: "hit", as: Bool.self) == true)
            #expect(try flags.first?.decode(column: "risk_level", as: String.self) == "high")
            // A third delivery is a replay: acknowledged, nothing applied twice.
            #expect(try await app.send(.post, "/v1/webhooks/sumsub", body, headers).status == .ok)
            #expect(try await count("SELECT COUNT(*) AS n FROM screening_results WHERE user_id = \(bind: kariId)") == 2)
            #expect(try await count("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'kyc.status_changed'") == 1)
        }
    }

    /// Sumsub answering 404 for the applicant an approval names won't pass with redelivery: the
    /// approval is still refused for redelivery, and operations is told once, however often it comes.
    @Test func anApprovalWhoseApplicantSumsubDoesntKnowAlertsOperationsOnce() async throws {
        let sumsub = InMemoryIdentityVerification()
        try await RouterApp.test(providers: .init(identityVerification: sumsub)) { app in
            let kari = try await app.bearer(Self.kari)
            try await Self.onboard(app, kari)
            let applicantId = try await app.send(.post, "/v1/kyc/start", nil, kari).decode(KYCStart.self).applicantId
            await sumsub.forget(applicantId)
            let body = #"{"applicantId":"\#(applicantId)","type":"applicantReviewed","reviewStatus":"completed","correlationId":"c-gone","createdAtMs":"2099-01-01 00:00:00.000","sandboxMode":true,"reviewResult":{"reviewAnswer":"GREEN"}}"#
            let secret = app.services.config.secrets.sumsubWebhookSecret
            let headers: HTTPFields = [HTTPField.Name("X-Payload-Digest")!: SumsubWebhook.digest(rawBody: Array(body.utf8), secret: secret),
                                       HTTPField.Name("X-Payload-Digest-Alg")!: "HMAC_SHA256_HEX"]
            for _ in 0..<2 {
                let refused = try await app.send(.post, "/v1/webhooks/sumsub", body, headers)
                #expect(refused.status == .serviceUnavailable && refused.apiError.code == "PROVIDER_UNAVAILABLE")
            }
            #expect(try await app.get("/v1/kyc/status", kari).decode(DropKit.KYCStatus.self).status == .pending)
            let alerts = try await app.services.database.withConnection { try await OperationsAlertRepository.open(on: $0) }
                .filter { $0.kind == .identityCheckUnreadable }
            #expect(alerts.count == 1)
            #expect(alerts.first?.entityId == applicantId && alerts.first?.details.contains(#""httpStatus":404"#) == true)
        }
    }

    /// A rejection needs no tags to be applied: it is not held back while Sumsub's API is unreachable,
    /// and no PEP screening is recorded for it, since none was made.
    @Test func aRejectionIsAppliedAtOnceEvenWhenTheApplicantCantBeRead() async throws {
        let sumsub = InMemoryIdentityVerification()
        try await RouterApp.test(providers: .init(identityVerification: sumsub)) { app in
            let kari = try await app.bearer(Self.kari)
            try await Self.onboard(app, kari)
            let applicantId = try await app.send(.post, "/v1/kyc/start", nil, kari).decode(KYCStart.self).applicantId
            let body = #"{"applicantId":"\#(applicantId)","type":"applicantReviewed","reviewStatus":"completed","correlationId":"c-red","createdAtMs":"2099-01-01 00:00:00.000","sandboxMode":true,"reviewResult":{"reviewAnswer":"RED","reviewRejectType":"FINAL","rejectLabels":["SANCTIONS"]}}"#
            let secret = app.services.config.secrets.sumsubWebhookSecret
            let headers: HTTPFields = [HTTPField.Name("X-Payload-Digest")!: SumsubWebhook.digest(rawBody: Array(body.utf8), secret: secret),
                                       HTTPField.Name("X-Payload-Digest-Alg")!: "HMAC_SHA256_HEX"]
            let kariId = try await app.get("/v1/me", kari).decode(DropKit.User.self).id

            await sumsub.setReachable(false)
            #expect(try await app.send(.post, "/v1/webhooks/sumsub", body, headers).status == .ok)
            #expect(try await app.get("/v1/kyc/status", kari).decode(DropKit.KYCStatus.self).status == .rejected)
            let screenings = try await app.services.database.withConnection { db in
                try await db.raw("SELECT kind, hit FROM screening_results WHERE user_id = \(bind: kariId)").all()
                    .map { (try $0.decode(column: "kind", as: String.self), try $0.decode(column: "hit", as: Bool.self)) }
            }
            #expect(screenings.map(\.0) == ["sanctions"] && screenings.first?.1 == true)
        }
    }
}
