import DropProviderFakes
import DropProviders
import Foundation
import Testing
@testable import DropAPI

extension PrivacyTests {
    /// Kari erases her account while her bank is down: Drop can't delete her consent there then, so it asks
    /// again, by a job committed with the erasure, once the bank is back; the bank then holds no access for Drop.
    @Test func aBankDownAtErasureIsAskedAgainToEndDropsAccess() async throws {
        let bank = await BankLinkRouterTests.bank()
        try await RouterApp.test(providers: .init(openBanking: bank)) { app in
            let kari = try await app.bearer(BankLinkRouterTests.kari)
            let (connection, consent) = try await BankLinkRouterTests.connect(app, kari)
            try await bank.approveConsent(consent, as: BankLinkRouterTests.kari)
            #expect(try await app.get("/v1/bank-accounts/callback?connection=\(connection)&client=mobile").headers[.location]
                == "drop://bank-accounts/callback?connected=dnb")

            await bank.takeDown("dnb")
            #expect(try await app.send(.post, "/v1/gdpr/erasure", nil, kari).status == .accepted)
            await bank.bringUp("dnb")
            #expect(try await bank.consent(bank: "dnb", consentId: consent).status == "valid")

            let worker = JobWorker(services: app.services)
            while try await worker.runNext() {}
            #expect(try await bank.consent(bank: "dnb", consentId: consent).status == "terminatedByTpp")
        }
    }

    /// A bank that answers the deletion with a refusal (the consent unknown, already ended) has nothing left to
    /// revoke: the job is done, not retried for a day.
    @Test func aConsentTheBankNoLongerKnowsIsNotAskedAboutAgain() async throws {
        let bank = InMemoryBank()
        try await RouterApp.test(providers: .init(openBanking: bank)) { app in
            let now = app.services.clock()
            try await app.services.database.withConnection {
                try await BankConsentDeletion.queue(bank: "dnb", consentId: "gone-at-the-bank", at: now, on: $0)
            }
            #expect(try await JobWorker(services: app.services).runNext())
            let status = try await app.services.database.withConnection {
                try await $0.raw("SELECT status FROM jobs WHERE kind = \(bind: BankConsentDeletion.jobKind)").first()?.decode(column: "status", as: String.self)
            }
            #expect(status == "done")
        }
    }
}
