import DropKit
import Foundation
import Testing
@testable import DropAPI

extension PrivacyTests {
    /// Erasure can't be undone (it ends the bank consents at the bank, stops the standing transfers, closes
    /// the business) and the export carries off every IBAN, payee and payment: neither is for whoever holds
    /// Kari's week-long app session. Both need a BankID sign-in as recent as a change of payee does.
    @Test func erasingTheAccountOrDownloadingItsDataNeedsARecentBankIDSignIn() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let (kari, _, _) = try await Self.kariWithHistory(server)
            let userId = try await server.userId(kari.auth)
            server.clock.advance(6 * 60)

            let refused = try await server.request(.POST, "/v1/gdpr/erasure", headers: [kari.auth])
            #expect(refused.status == 401 && refused.errorCode == "STEP_UP_REQUIRED", "\(refused.body)")
            #expect(refused.apiError.details.contains { $0.issue == "step_up" && $0.message?.contains("step_up=true") == true })
            #expect(refused.headers.first(name: "www-authenticate")?.contains("max_age=300") == true)
            let export = try await server.get("/v1/gdpr/export", headers: [kari.auth])
            #expect(export.status == 401 && export.errorCode == "STEP_UP_REQUIRED" && !export.body.contains("Kari"), "\(export.body)")

            // Nothing was erased or exported: still signed in, the bank still lets Drop read her accounts.
            #expect(try await server.get("/v1/me", headers: [kari.auth]).decode(User.self).name == "Kari Nordmann")
            #expect(try await Self.count(server, "SELECT COUNT(*) AS n FROM users WHERE id = \(bind: userId) AND deleted_at IS NULL") == 1)
            #expect(try await Self.count(server, "SELECT COUNT(*) AS n FROM bank_consents WHERE user_id = \(bind: userId) AND status <> 'terminated'") == 1)
            let providerConsent = try await server.services.database.withConnection {
                try await $0.raw("SELECT provider_consent_id FROM bank_consents WHERE user_id = \(bind: userId)").first()!.decode(column: "provider_consent_id", as: String.self)
            }
            #expect(try await server.services.openBanking.wrapped.consent(bank: "dnb", consentId: providerConsent).status != "terminatedByTpp")
            #expect(try await Self.count(server, "SELECT COUNT(*) AS n FROM data_access_requests WHERE user_id = \(bind: userId)") == 0)
            #expect(try await Self.count(server, "SELECT COUNT(*) AS n FROM audit_log WHERE action IN ('gdpr.exported', 'user.erased')") == 0)
            let refusals = try await StepUpTests.auditActions(server, "user.step_up_required")
            #expect(refusals.map(\.data).contains { $0.contains(#""change":"erasure""#) } && refusals.map(\.data).contains { $0.contains(#""change":"data_export""#) })
            #expect(refusals.count == 2 && refusals.allSatisfy { $0.actor == userId })

            // BankID again: the export, then the erasure, as before.
            let fresh = try await server.bearer(Self.kari, stepUp: true)
            #expect(try await server.get("/v1/gdpr/export", headers: [fresh]).status == 200)
            let erased = try await server.request(.POST, "/v1/gdpr/erasure", headers: [fresh])
            #expect(erased.status == 202, "\(erased.body)")
            #expect(try await server.get("/v1/me", headers: [kari.auth]).status == 401)
        }
    }
}
