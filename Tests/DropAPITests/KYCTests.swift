import DropKit
import DropProviders
import DropStore
import Foundation
import SQLKit
import Testing
@testable import DropAPI

@Suite("KYC with Sumsub over HTTP")
struct KYCTests {
    /// Onboards `nationalId` (phone, consents), starts KYC and submits the sandbox's SDK page.
    static func onboardAndVerify(_ server: LiveServer, _ nationalId: String) async throws -> (auth: (String, String), applicantId: String) {
        let auth = try await server.bearer(nationalId)
        _ = try await server.request(.PATCH, "/v1/me", headers: [auth, ("content-type", "application/json")], body: #"{"phone":"+47 912 34 567"}"#)
        for type in ["terms", "privacy"] {
            let version = type == "terms" ? "2026-06" : "2026-06"
            _ = try await server.postJSON("/v1/consents", #"{"type":"\#(type)","version":"\#(version)","granted":true}"#, headers: [auth])
        }
        let started = try await server.request(.POST, "/v1/kyc/start", headers: [auth])
        guard started.status == 200, let start = try? started.decode(KYCStart.self) else {
            throw DriverError("kyc start answered \(started.status): \(started.body)")
        }
        #expect(!start.accessToken.isEmpty)
        #expect(try await status(server, auth).status == .pending)
        #expect([200, 303].contains(try await submitDocuments(server, sdkURL: start.sdkUrl.absoluteString).status))
        // Sumsub's verdict comes by webhook; the sandbox sends it before answering, but under
        // load a delivery can time out and be retried later.
        try await server.eventually("the KYC verdict") { try await status(server, auth).status != .pending }
        return (auth, start.applicantId)
    }

    /// Submits the Sumsub sandbox's SDK page the way the SDK would, as the applicant.
    static func submitDocuments(_ server: LiveServer, sdkURL: String) async throws -> LiveServer.Reply {
        let page = try await server.get(sdkURL)
        guard page.status == 200, let form = HTMLForm(html: page.body) else { throw DriverError("SDK page answered \(page.status)") }
        let target = form.action.isEmpty ? sdkURL : (form.action.hasPrefix("http") ? form.action : server.baseURL + form.action)
        return try await server.postForm(target, form.fields + [("decision", "submit")])
    }

    /// Delivers a signed `applicantReviewed` webhook as Sumsub would: a later verdict on someone
    /// already reviewed (ongoing monitoring), dated after anything applied before.
    static func deliverReview(_ server: LiveServer, userId: String, answer: String, labels: [String] = [], rejectType: String? = nil,
                              correlationId: String = "c-later") async throws -> LiveServer.Reply {
        let applicantId = try await server.services.database.withConnection { db in
            try await db.raw("SELECT kyc_applicant_id FROM users WHERE id = \(bind: userId)").first()?.decode(column: "kyc_applicant_id", as: String.self)
        }
        let labelList = labels.map { #""\#($0)""# }.joined(separator: ",")
        let type = rejectType.map { #","reviewRejectType":"\#($0)""# } ?? ""
        let body = #"{"applicantId":"\#(applicantId ?? "")","type":"applicantReviewed","reviewStatus":"completed","correlationId":"\#(correlationId)","createdAtMs":"2099-01-01 00:00:00.000","sandboxMode":true,"reviewResult":{"reviewAnswer":"\#(answer)","rejectLabels":[\#(labelList)]\#(type)}}"#
        let digest = SumsubWebhook.digest(rawBody: Array(body.utf8), secret: server.services.config.secrets.sumsubWebhookSecret, algorithm: .hmacSHA256)
        return try await server.request(.POST, "/v1/webhooks/sumsub", headers: [("content-type", "application/json"), ("X-Payload-Digest-Alg", "HMAC_SHA256_HEX"),
                                                                                ("X-Payload-Digest", digest)], body: body)
    }

    static func status(_ server: LiveServer, _ auth: (String, String)) async throws -> KYCStatus {
        try await server.get("/v1/kyc/status", headers: [auth]).decode(KYCStatus.self)
    }

    @Test func startNeedsPhoneAndConsents() async throws {
        try await LiveServer.run { server in
            let auth = try await server.bearer("15039010043")
            let early = try await server.request(.POST, "/v1/kyc/start", headers: [auth])
            #expect(early.status == 409)
            #expect(early.errorCode == "ONBOARDING_INCOMPLETE")
            #expect(early.errorDetails.map(\.field) == ["phone", "terms", "privacy"])
            #expect(try await Self.status(server, auth).status == KYCState.none)
        }
    }

    @Test func reviewsFollowThePerson() async throws {
        try await LiveServer.run { server in
            let kari = try await Self.onboardAndVerify(server, "15039010043")
            #expect(try await Self.status(server, kari.auth).status == .approved)

            let rita = try await Self.onboardAndVerify(server, "28027910043")
            let ritaStatus = try await Self.status(server, rita.auth)
            #expect(ritaStatus.status == .rejected && !ritaStatus.rejectLabels.isEmpty)

            let sven = try await Self.onboardAndVerify(server, "09017010163")
            #expect(try await Self.status(server, sven.auth).rejectLabels == ["SANCTIONS"])

            let per = try await Self.onboardAndVerify(server, "11116110182")
            #expect(try await Self.status(server, per.auth).status == .approved)
            let flags = try await server.services.database.withConnection { db in
                try await db.raw("""
                    SELECT u.is_pep, u.is_sanctioned, u.risk_level, s.hit FROM users u JOIN screening_results s ON s.user_id = u.id
                    WHERE u.kyc_applicant_id = \(bind: per.applicantId) AND s.kind = 'pep'
                    """).first()
            }
            #expect(try flags?.decode(column: "is_pep", as: Bool.self) == true)
            #expect(try flags?.decode(column: "hit", as: Bool.self) == true)
            #expect(try flags?.decode(column: "risk_level", as: String.self) == "high")
            let sanctioned = try await server.services.database.withConnection { db in
                try await db.raw("SELECT is_sanctioned FROM users WHERE kyc_applicant_id = \(bind: sven.applicantId)").first()?
                    .decode(column: "is_sanctioned", as: Bool.self)
            }
            #expect(sanctioned == true)
            // Every verdict is in the audit log, and the chain holds.
            let verification = try await server.services.database.withConnection { try await AuditLog.verify(on: $0) }
            #expect(verification.ok && verification.checked > 8)
        }
    }

    @Test func forgedReplayedAndStaleWebhooksChangeNothing() async throws {
        try await LiveServer.run { server in
            let kari = try await Self.onboardAndVerify(server, "15039010043")
            let secret = server.services.config.secrets.sumsubWebhookSecret
            func webhook(_ type: String, answer: String?, at: String) -> String {
                let review = answer.map { #","reviewResult":{"reviewAnswer":"\#($0)","rejectLabels":["FORGERY"],"reviewRejectType":"FINAL"}"# } ?? ""
                return #"{"applicantId":"\#(kari.applicantId)","type":"\#(type)","reviewStatus":"completed","correlationId":"c-\#(at)","createdAtMs":"\#(at)","sandboxMode":true\#(review)}"#
            }
            func send(_ body: String, digest: String?) async throws -> LiveServer.Reply {
                var headers = [("content-type", "application/json"), ("X-Payload-Digest-Alg", "HMAC_SHA256_HEX")]
                if let digest { headers.append(("X-Payload-Digest", digest)) }
                return try await server.request(.POST, "/v1/webhooks/sumsub", headers: headers, body: body)
            }
            func eventCount() async throws -> Int {
                try await server.services.database.withConnection { try await $0.raw("SELECT COUNT(*) AS n FROM webhook_events").first()!.decode(column: "n", as: Int.self) }
            }
            let before = try await eventCount()

            // Forged: signed with the wrong secret, or not signed. 401, nothing stored.
            let red = webhook("applicantReviewed", answer: "RED", at: "2099-01-01 00:00:00.000")
            #expect(try await send(red, digest: SumsubWebhook.digest(rawBody: Array(red.utf8), secret: "not-the-secret", algorithm: .hmacSHA256)).status == 401)
            #expect(try await send(red, digest: nil).status == 401)
            #expect(try await eventCount() == before)
            #expect(try await Self.status(server, kari.auth).status == .approved)

            // Stale: a genuine but older "pending" arriving after the verdict is acknowledged and ignored.
            let stale = webhook("applicantPending", answer: nil, at: "2000-01-01 00:00:00.000")
            #expect(try await send(stale, digest: SumsubWebhook.digest(rawBody: Array(stale.utf8), secret: secret, algorithm: .hmacSHA256)).status == 200)
            #expect(try await Self.status(server, kari.auth).status == .approved)

            // A genuine new verdict applies once; its replay is a no-op.
            let genuine = SumsubWebhook.digest(rawBody: Array(red.utf8), secret: secret, algorithm: .hmacSHA256)
            #expect(try await send(red, digest: genuine).status == 200)
            #expect(try await Self.status(server, kari.auth).status == .rejected)
            let afterFirst = try await eventCount()
            #expect(try await send(red, digest: genuine).status == 200)
            #expect(try await eventCount() == afterFirst)
        }
    }

    /// Ongoing monitoring finds Kari sanctioned while an older approval of hers is redelivered at the same
    /// moment (PostgreSQL: two requests, no write gate). The approval waits for the verdict's row, then
    /// sees it is older and changes nothing; before, it had read her as approved and not sanctioned, and
    /// wrote that back over the verdict once it committed: she could pay again.
    @Test func anOlderApprovalDeliveredWhileASanctionsVerdictIsAppliedNeverUndoesIt() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await Self.onboardAndVerify(server, "15039010043")
            #expect(try await Self.status(server, kari.auth).status == .approved)
            let userId = try await server.userId(kari.auth)
            let verdictAt = try #require(ISO8601DateFormatter().date(from: "2099-01-02T00:00:00Z"))
            let approval = try await server.services.database.transaction { db -> Task<LiveServer.Reply, any Error> in
                try await KYCRepository.applyVerdict(userId: userId, status: .rejected, rejectLabels: "SANCTIONS", eventAt: verdictAt, isPep: false,
                                                     isSanctioned: true, riskLevel: .high, at: server.clock.date, on: db)
                // Dated 2099-01-01: after her first approval, before this verdict.
                let approval = Task { try await Self.deliverReview(server, userId: userId, answer: "GREEN", correlationId: "c-green-redelivered") }
                try await Task.sleep(for: .seconds(1))
                return approval
            }
            #expect(try await approval.value.status == 200)
            let user = try #require(try await server.services.database.withConnection { try await UserRepository.find(id: userId, on: $0) })
            #expect(user.kycStatus == .rejected && user.isSanctioned && user.riskLevel == .high)
        }
    }
}
