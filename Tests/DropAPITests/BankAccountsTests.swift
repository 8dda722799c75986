import DropCore
import DropKit
import DropProviders
import DropStore
import Foundation
import Hummingbird
import SQLKit
import Testing
@testable import DropAPI

@Suite("Bank accounts and balances over HTTP (AIS against the bank sandbox)")
struct BankAccountsTests {
    static let kari = "15039010043"

    static func accounts(_ server: LiveServer, _ auth: (String, String)) async throws -> [BankAccount] {
        let reply = try await server.get("/v1/bank-accounts", headers: [auth])
        #expect(reply.status == 200)
        return try reply.decode(DropKit.Page<BankAccount>.self).items
    }

    static func balance(_ server: LiveServer, _ auth: (String, String)) async throws -> Balance {
        let reply = try await server.get("/v1/balance", headers: [auth])
        #expect(reply.status == 200)
        return try reply.decode(Balance.self)
    }

    @Test func kariLinksTwoBanksAndSeesEveryBalance() async throws {
        try await LiveServer.run { server in
            let kari = try await server.bearer(Self.kari)
            let banks = try await server.get("/v1/banks", headers: [kari]).decode(DropKit.Page<Bank>.self).items
            #expect(banks.map(\.id) == ["dnb", "sparebank1", "nordea"])

            #expect(try await server.connectBank("dnb", auth: kari, as: Self.kari).location == "/bank-accounts?connected=dnb")
            // By BIC, too.
            #expect(try await server.connectBank("SPRONO22", auth: kari, as: Self.kari).location == "/bank-accounts?connected=sparebank1")

            let accounts = try await Self.accounts(server, kari)
            #expect(accounts.count == 3)
            #expect(Set(accounts.compactMap(\.balance?.amountMinor)) == [4_235_000, 12_890_000, 1_820_050])
            #expect(accounts.allSatisfy { !$0.stale && $0.status == .active })
            #expect(accounts.allSatisfy { NorwegianAccountNumber.isValid($0.bban ?? "") })

            let balance = try await Self.balance(server, kari)
            #expect(balance.total?.amountMinor == 18_945_050 && balance.total?.currency == "NOK")
            #expect(!balance.stale && balance.accounts.count == 3)

            // Someone else sees none of it.
            let ola = try await server.bearer("01078510133")
            #expect(try await Self.accounts(server, ola).isEmpty)
            let kariAccount = try #require(accounts.first?.id)
            #expect(try await server.request(.POST, "/v1/bank-accounts/\(kariAccount)/refresh", headers: [ola]).status == 404)
            #expect(try await server.request(.DELETE, "/v1/bank-accounts/\(kariAccount)", headers: [ola]).status == 404)
        }
    }

    @Test func denyingAtTheBankLinksNothingAndBadInputIsExplained() async throws {
        try await LiveServer.run { server in
            let kari = try await server.bearer(Self.kari)
            #expect(try await server.connectBank("dnb", auth: kari, as: Self.kari, decision: "deny").location == "/bank-accounts?error=BANK_DENIED")
            #expect(try await Self.accounts(server, kari).isEmpty)

            let unknown = try await server.postJSON("/v1/bank-accounts/connect", #"{"bank":"fake-bank"}"#, headers: [kari])
            #expect(unknown.status == 422)
            #expect(unknown.errorDetails.first?.field == "bank")
            #expect(try await server.postJSON("/v1/bank-accounts/connect", #"{"bank":1}"#, headers: [kari]).status == 400)
            #expect(try await server.postJSON("/v1/bank-accounts/connect", #"{"bank":"dnb"}"#).status == 401)
            // A made-up callback links nothing.
            #expect(try await server.get("/v1/bank-accounts/callback?connection=\(UUID().uuidString)").location == "/bank-accounts?error=NOT_FOUND")
            #expect(try await server.get("/v1/bank-accounts/callback?connection=x&client=mobile").location == "drop://bank-accounts/callback?error=NOT_FOUND")
        }
    }

    @Test func everyProvidersBreakerIsInTheCircuitGauge() async throws {
        // A BankID that answers 503 to everything: sign-in answers 503, and BankID's breaker shows open.
        let router = Router()
        router.get("**") { _, _ -> Response in throw HTTPError(.serviceUnavailable) }
        try await LocalServer.run(router) { bankID in
            try await LiveServer.run(environment: ["BANKID_ISSUER": bankID + "/bankid"]) { (server: LiveServer) async throws in
                for _ in 0..<2 { #expect(try await server.get("/v1/auth/bankid/start").status == 503) }
                let metrics = try await server.get("/metrics").body
                #expect(metrics.contains(#"drop_provider_circuit_state{provider="bankid"} 2"#))
            }
        }
    }

    @Test func aFailingBankServesTheCachedBalanceAsStaleAndTheBreakerSparesIt() async throws {
        try await LiveServer.run { server in
            let kari = try await server.bearer(Self.kari)
            _ = try await server.connectBank("dnb", auth: kari, as: Self.kari)
            let synced = try await Self.balance(server, kari)
            let faults = server.sandboxes.faults.bank

            // The cache is old and the bank answers 500: the last balance, flagged stale.
            server.clock.advance(BalanceService.freshFor + 1)
            faults.reset()
            faults.fault = .serverError
            let stale = try await Self.balance(server, kari)
            #expect(stale.stale && stale.total == synced.total && stale.syncedAt == synced.syncedAt)
            // The first attempt and its retries opened the breaker after three failures.
            #expect(faults.requestCount == 3)
            #expect(await server.services.openBanking.wrapped.breakerSnapshot(for: "dnb").state == .open)
            let metrics = try await server.get("/metrics").body
            #expect(metrics.contains(#"drop_provider_circuit_state{provider="bank-dnb"} 2"#))

            // While open, no call reaches the bank, and an explicit refresh says it's stale too.
            let accountId = try #require(try await Self.accounts(server, kari).first?.id)
            let refresh = try await server.request(.POST, "/v1/bank-accounts/\(accountId)/refresh", headers: [kari])
            #expect(refresh.status == 200)
            #expect(try refresh.decode(BankAccount.self).stale)
            _ = try await Self.balance(server, kari)
            #expect(faults.requestCount == 3)

            // 60 s later one trial goes through; the bank is back, so the breaker closes.
            faults.fault = nil
            server.clock.advance(61)
            let fresh = try await Self.balance(server, kari)
            #expect(!fresh.stale)
            #expect(faults.requestCount == 4)
            #expect(await server.services.openBanking.wrapped.breakerSnapshot(for: "dnb").state == .closed)
            #expect(try await server.get("/metrics").body.contains(#"drop_provider_circuit_state{provider="bank-dnb"} 0"#))

            // Connecting while the bank is down is a clear 503 with Retry-After.
            faults.fault = .unavailable
            let down = try await server.postJSON("/v1/bank-accounts/connect", #"{"bank":"sparebank1"}"#, headers: [kari])
            #expect(down.status == 503 && down.headers.first(name: "retry-after") != nil)
            #expect(down.errorCode == "PROVIDER_UNAVAILABLE")
        }
    }

    /// At midday: started in the last minutes before midnight in Oslo, the day (and the bank's budget) would
    /// turn over while the test moves its clock on.
    @Test func unattendedReadsStopAtTheDailyBudgetAndKeepTheCache() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await server.bearer(Self.kari)
            _ = try await server.connectBank("dnb", auth: kari, as: Self.kari)
            let balances = server.services.balances
            for _ in 1...4 {
                server.clock.advance(1)
                #expect(try await balances.refreshUnattended(olderThan: 0) == 1)
            }
            server.clock.advance(BalanceService.freshFor + 1)
            #expect(try await balances.refreshUnattended(olderThan: 0) == 0)
            let userId = try await server.get("/v1/me", headers: [kari]).decode(DropKit.User.self).id
            let absent = try await balances.accounts(userId: userId, presence: .absent)
            #expect(absent.count == 2 && absent.allSatisfy { $0.stale && $0.record.balanceMinor != nil })
            // The user opening the app is an attended read, which the budget does not limit.
            #expect(try await !Self.balance(server, kari).stale)
        }
    }

    @Test func anExpiredConsentAsksTheUserToReconnectOnce() async throws {
        try await LiveServer.run { server in
            _ = try await server.connectBank("sparebank1", auth: try await server.bearer(Self.kari), as: Self.kari)
            server.clock.advance(Double(BankConnectionService.consentDays + 2) * 86_400)
            let kari = try await server.bearer(Self.kari)  // the first session has long expired
            for _ in 1...2 {
                let accounts = try await Self.accounts(server, kari)
                try #require(accounts.count == 1)
                #expect(accounts[0].status == .reconnect && accounts[0].stale)
                #expect(accounts[0].balance?.amountMinor == 1_820_050)
            }
            let notifications = try await server.get("/v1/notifications", headers: [kari]).decode(NotificationList.self)
            #expect(notifications.items.filter { $0.kind == "bank.reconnect" }.count == 1)
            #expect(notifications.unreadCount == 1)
            // The web page says it in her language, names the bank and leads to her banks.
            let cookie = ("cookie", "drop_token=\(kari.1.replacingOccurrences(of: "Bearer ", with: ""))")
            let page = try await server.get("/notifications", headers: [cookie])
            #expect(page.body.contains("Koble til SpareBank 1 på nytt") && page.body.contains(#"<a href="/bank-accounts" aria-describedby="notification-"#))
            // Linking again brings the same account back, up to date.
            _ = try await server.connectBank("sparebank1", auth: kari, as: Self.kari)
            let again = try await Self.accounts(server, kari)
            try #require(again.count == 1)
            #expect(again[0].status == .active && !again[0].stale)
        }
    }

    @Test func removingTheLastAccountRevokesTheConsentAtTheBank() async throws {
        try await LiveServer.run { server in
            let kari = try await server.bearer(Self.kari)
            _ = try await server.connectBank("dnb", auth: kari, as: Self.kari)
            let accounts = try await Self.accounts(server, kari)
            #expect(accounts.count == 2)
            let first = accounts[0].id, second = accounts[1].id
            #expect(try await server.request(.DELETE, "/v1/bank-accounts/\(first)", headers: [kari]).status == 204)
            #expect(try await Self.accounts(server, kari).count == 1)
            let providerConsent = try await server.services.database.withConnection { db in
                try await db.raw("SELECT provider_consent_id, status FROM bank_consents").first()
            }
            let consentId = try #require(try providerConsent?.decode(column: "provider_consent_id", as: String.self))
            #expect(try await server.services.openBanking.wrapped.consent(bank: "dnb", consentId: consentId).status == "valid")

            #expect(try await server.request(.DELETE, "/v1/bank-accounts/\(second)", headers: [kari]).status == 204)
            #expect(try await Self.accounts(server, kari).isEmpty)
            #expect(try await server.services.openBanking.wrapped.consent(bank: "dnb", consentId: consentId).status == "terminatedByTpp")
            #expect(try await server.request(.DELETE, "/v1/bank-accounts/\(second)", headers: [kari]).status == 404)
            let verification = try await server.services.database.withConnection { try await AuditLog.verify(on: $0) }
            #expect(verification.ok)
        }
    }

    /// Kari removes both of a consent's accounts at the same moment (two devices): each removal had counted
    /// the other's account, so neither ended the consent and Drop kept reading at her bank. The last to
    /// commit now finds none left, ends the consent and deletes it at the bank.
    @Test func removingAConsentsLastTwoAccountsAtOnceStillRevokesIt() async throws {
        try await LiveServer.run { server in
            let kari = try await server.bearer(Self.kari)
            _ = try await server.connectBank("dnb", auth: kari, as: Self.kari)
            let accounts = try await Self.accounts(server, kari)
            #expect(accounts.count == 2)
            let userId = try await server.userId(kari)
            let consentId = try #require(try await server.services.database.withConnection { db in
                try await db.raw("SELECT provider_consent_id FROM bank_consents").first()?.decode(column: "provider_consent_id", as: String.self)
            })
            // The first removal's transaction is held open (under its lock on PostgreSQL) while the second
            // has already counted two accounts.
            let service = server.services.bankConnections
            let consent = try #require(try await server.services.database.withConnection { db in
                try await db.raw("SELECT consent_id FROM bank_accounts WHERE id = \(bind: accounts[0].id)").first()?.decode(column: "consent_id", as: String.self)
            })
            let second = try await server.services.database.transaction { db -> Task<Void, any Error> in
                try await BankConsentRepository.lock(id: consent, on: db)
                try await BankAccountRepository.remove(id: accounts[0].id, at: server.clock.date, on: db)
                let second = Task.detached { try await service.remove(accountId: accounts[1].id, userId: userId) }
                try await Task.sleep(for: .seconds(1))
                return second
            }
            try await second.value
            #expect(try await Self.accounts(server, kari).isEmpty)
            let status = try await server.services.database.withConnection { db in
                try await db.raw("SELECT status FROM bank_consents").first()?.decode(column: "status", as: String.self)
            }
            #expect(status == "terminated")
            #expect(try await server.services.openBanking.wrapped.consent(bank: "dnb", consentId: consentId).status == "terminatedByTpp")
        }
    }

    /// The bank lists every account of a consent at each refresh; a removed one must not come back with it.
    @Test func aRemovedAccountStaysRemovedWhenTheBankListsItAgain() async throws {
        try await LiveServer.run { server in
            let kari = try await server.bearer(Self.kari)
            _ = try await server.connectBank("dnb", auth: kari, as: Self.kari)
            let accounts = try await Self.accounts(server, kari)
            try #require(accounts.count == 2)
            let removed = accounts[0].id, kept = accounts[1].id
            #expect(try await server.request(.DELETE, "/v1/bank-accounts/\(removed)", headers: [kari]).status == 204)

            #expect(try await server.request(.POST, "/v1/bank-accounts/\(kept)/refresh", headers: [kari]).status == 200)
            #expect(try await Self.accounts(server, kari).map(\.id) == [kept])
            #expect(try await Self.balance(server, kari).accounts.count == 1)
            // The twice-daily job reads the consent without the user: still gone.
            _ = try await server.services.balances.refreshUnattended(olderThan: -1)
            #expect(try await Self.accounts(server, kari).map(\.id) == [kept])

            // Linking the bank again is asking for it back: the same account, its id kept.
            _ = try await server.connectBank("dnb", auth: kari, as: Self.kari)
            #expect(Set(try await Self.accounts(server, kari).map(\.id)) == [removed, kept])
        }
    }
}
