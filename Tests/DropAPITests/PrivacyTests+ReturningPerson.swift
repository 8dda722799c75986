import DropKit
import Foundation
import Testing
@testable import DropAPI

/// Erasing an account and signing in again makes a new account, not a new person: AML's kept
/// records about them still count.
extension PrivacyTests {
    @Test func aPersonRejectedForSanctionsWhoErasesAndComesBackIsStillRejected() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await KYCTests.onboardAndVerify(server, TransfersTests.kari).auth
            let verdict = try await KYCTests.deliverReview(server, userId: try await server.userId(kari), answer: "RED", labels: ["SANCTIONS"],
                                                           rejectType: "FINAL")
            #expect(verdict.status == 200)
            #expect(try await server.request(.POST, "/v1/gdpr/erasure", headers: [kari]).status == 202)

            let again = try await server.bearer(TransfersTests.kari)
            let me = try await server.get("/v1/me", headers: [again]).decode(User.self)
            #expect(me.kycStatus == .rejected)
            // Onboarded again, she can't start the identity check over.
            _ = try await server.request(.PATCH, "/v1/me", headers: [again, ("content-type", "application/json")], body: #"{"phone":"+47 912 34 567"}"#)
            for type in ["terms", "privacy"] {
                _ = try await server.postJSON("/v1/consents", #"{"type":"\#(type)","version":"2026-06","granted":true}"#, headers: [again])
            }
            let restart = try await server.request(.POST, "/v1/kyc/start", headers: [again])
            #expect(restart.status == 409 && restart.errorCode == "KYC_ALREADY_DECIDED", "\(restart.body)")
            let flags = try await server.services.database.withConnection { db in
                try await db.raw("SELECT is_sanctioned, risk_level FROM users WHERE id = \(bind: me.id)").first()
            }
            #expect(try flags?.decode(column: "is_sanctioned", as: Bool.self) == true)
            #expect(try flags?.decode(column: "risk_level", as: String.self) == "high")
        }
    }
}
