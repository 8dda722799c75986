import DropCore
import DropKit
import DropProviders
import DropStore
import Foundation
import SQLKit
import Testing
@testable import DropAPI

/// A consent is bound to the Drop customer: Drop names them to the bank (`PSU-ID`, their national
/// identity number, kept sealed) and the bank lets nobody else approve; Drop also refuses the
/// accounts of a consent the bank says someone else approved.
extension BankAccountsTests {
    static let ola = "01078510133"

    static func sealedPid(_ server: LiveServer, userId: String) async throws -> String? {
        try await server.services.database.withConnection {
            try await $0.raw("SELECT pid_encrypted FROM users WHERE id = \(bind: userId)").first()?.decode(column: "pid_encrypted", as: String?.self)
        }
    }

    @Test func kariApprovingOlasLinkIsRefusedAndOnlyOlaHimselfLinksHisBank() async throws {
        try await LiveServer.run { server in
            let ola = try await server.bearer(Self.ola)
            let olaId = try await server.userId(ola)
            // Kept sealed: not the number, and it opens only for Ola's row.
            let sealed = try #require(try await Self.sealedPid(server, userId: olaId))
            #expect(!sealed.contains(Self.ola))
            #expect(server.services.pidCipher.open(sealed, userId: olaId)?.digitsForHashing == Self.ola)
            #expect(server.services.pidCipher.open(sealed, userId: UUID().uuidString.lowercased()) == nil)

            // Ola starts linking DNB; Kari signs in at the bank's page and approves: refused there.
            let started = try await server.postJSON("/v1/bank-accounts/connect", #"{"bank":"dnb"}"#, headers: [ola])
            #expect(started.status == 201)
            let connect = try started.decode(BankConnectStarted.self)
            let (connection, sca) = (connect.consentId, connect.scaRedirect.absoluteString)
            let refused = try await server.approveAtBank(sca, as: Self.kari)
            #expect(refused.status == 403 && refused.body.contains("another person"))
            // The request is over at the bank: Ola can't approve it afterwards either, and the callback links nothing.
            #expect(try await server.get(sca).status == 404)
            let back = try await server.get("/v1/bank-accounts/callback?connection=\(connection)")
            #expect(back.location == "/bank-accounts?error=BANK_DENIED")
            #expect(try await Self.accounts(server, ola).isEmpty)

            // Ola himself: linked, his own account only.
            #expect(try await server.connectBank("dnb", auth: ola, as: Self.ola).location == "/bank-accounts?connected=dnb")
            let accounts = try await Self.accounts(server, ola)
            #expect(accounts.count == 1 && accounts.first?.balance?.amountMinor == 2_341_575)

            // Erasure removes the sealed number with the rest.
            #expect(try await server.request(.POST, "/v1/gdpr/erasure", headers: [ola]).status == 202)
            #expect(try await Self.sealedPid(server, userId: olaId) == nil)
        }
    }

    @Test func aConsentTheBankSaysKariApprovedIsNotLinkedToOla() async throws {
        try await LiveServer.run { server in
            let ola = try await server.bearer(Self.ola)
            // A bank that didn't enforce PSU-ID: a consent Kari approved, behind Ola's connection.
            let client = server.services.openBanking.wrapped
            let kariConsent = try await client.createConsent(bank: "dnb", psuId: nil, psuIPAddress: "127.0.0.1", validUntil: "2099-01-01",
                                                             frequencyPerDay: 4, redirectURI: server.baseURL + "/elsewhere", nokRedirectURI: nil)
            #expect(try await server.approveAtBank(kariConsent.scaRedirect, as: Self.kari).status == 302)
            let started = try await server.postJSON("/v1/bank-accounts/connect", #"{"bank":"dnb"}"#, headers: [ola])
            let connection = try started.decode(BankConnectStarted.self).consentId
            try await server.services.database.withConnection {
                try await $0.raw("UPDATE bank_consents SET provider_consent_id = \(bind: kariConsent.id) WHERE id = \(bind: connection)").run()
            }

            let back = try await server.get("/v1/bank-accounts/callback?connection=\(connection)&client=mobile")
            #expect(back.location == "drop://bank-accounts/callback?error=PSU_MISMATCH")
            #expect(try await Self.accounts(server, ola).isEmpty)
            let linked = try await server.services.database.withConnection { try await $0.raw("SELECT COUNT(*) AS n FROM bank_accounts").first()?.decode(column: "n", as: Int.self) }
            #expect(linked == 0)
            // Drop gave up the access at the bank, and its record says why.
            #expect(try await client.consent(bank: "dnb", consentId: kariConsent.id).status == "terminatedByTpp")
            let status = try await server.services.database.withConnection {
                try await $0.raw("SELECT status FROM bank_consents WHERE id = \(bind: connection)").first()?.decode(column: "status", as: String.self)
            }
            #expect(status == "rejected")
        }
    }

    /// A payment names its payer too, with the number read alongside the payment itself: were the
    /// number Drop holds for Kari someone else's, her bank would refuse to take money from her account.
    @Test func aPaymentNamesThePayerToTheBank() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let kariId = try await server.userId(kari.auth)
            let body = #"{"recipientId":"\#(kari.recipientId)","amountMinor":20000,"bankAccountId":"\#(kari.accountId)"}"#
            #expect(try await TransfersTests.send(server, kari, key: "hers", body: body).status == 201)

            let olas = try server.services.pidCipher.seal(try NationalIdentityNumber(Self.ola), userId: kariId, pepperId: server.services.pidHasher.id)
            try await server.services.database.withConnection {
                try await $0.raw("UPDATE users SET pid_encrypted = \(bind: olas) WHERE id = \(bind: kariId)").run()
            }
            let refused = try await TransfersTests.send(server, kari, key: "not-hers", body: body)
            #expect(refused.status == 422 && refused.body.contains("PSU"), "\(refused.status) \(refused.body)")
            let failed = try await server.services.database.withConnection {
                try await $0.raw("SELECT COUNT(*) AS n FROM transactions WHERE user_id = \(bind: kariId) AND status = 'failed'").first()?
                    .decode(column: "n", as: Int.self)
            }
            #expect(failed == 1)
        }
    }

    @Test func aCustomerWithoutAStoredNumberSignsInAgainBeforeLinking() async throws {
        try await LiveServer.run { server in
            let ola = try await server.bearer(Self.ola)
            let olaId = try await server.userId(ola)
            // As every customer from before the number was kept.
            try await server.services.database.withConnection { try await $0.raw("UPDATE users SET pid_encrypted = NULL WHERE id = \(bind: olaId)").run() }
            let refused = try await server.postJSON("/v1/bank-accounts/connect", #"{"bank":"dnb"}"#, headers: [ola])
            #expect(refused.status == 409 && refused.errorCode == "SIGN_IN_AGAIN")
            #expect(try await server.services.database.withConnection { try await $0.raw("SELECT id FROM bank_consents").all() }.isEmpty)

            // The next sign-in keeps it; linking works.
            let again = try await server.bearer(Self.ola)
            #expect(try await Self.sealedPid(server, userId: olaId) != nil)
            #expect(try await server.connectBank("dnb", auth: again, as: Self.ola).location == "/bank-accounts?connected=dnb")
        }
    }
}
