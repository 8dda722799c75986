import DropKit
import DropCore
import DropProviderFakes
import DropProviders
import Foundation
import HTTPTypes
import Testing

/// Linking a bank and reading balances at the router, with the bank as `InMemoryBank`: what Drop
/// does with each of the bank's answers, in milliseconds. The same flow through the bank sandbox's
/// NextGenPSD2 over HTTP is `BankAccountsTests`.
@Suite("Bank links at the router, against the in-memory bank")
struct BankLinkRouterTests {
    static let kari = "15039010043"
    static let ola = "01078510133"

    /// A valid Norwegian account number at DNB (registration 1503), the n-th one for a person.
    static func dnbAccount(_ index: Int) -> NorwegianAccountNumber {
        var middle = 100_000 + index * 7
        while true {
            let body = "1503" + String(middle)
            if let check = NorwegianAccountNumber.checkDigit(for: body.unicodeScalars.map { UInt8($0.value - 48) }),
               let number = try? NorwegianAccountNumber(body + String(check)) { return number }
            middle += 1
        }
    }

    /// Kari with 12 500,00 and 500,00 NOK at DNB, Ola with 9 999,00.
    static func bank() async -> InMemoryBank {
        let bank = InMemoryBank()
        for (index, (holder, balance)) in [(kari, Int64(1_250_000)), (kari, 50_000), (ola, 999_900)].enumerated() {
            let number = dnbAccount(index)
            await bank.open(holder: holder, iban: number.iban.electronic, bban: number.digits, name: "Brukskonto", balanceMinor: balance)
        }
        return bank
    }

    static func balance(_ app: RouterApp, _ headers: HTTPFields) async throws -> DropKit.Balance {
        try await app.get("/v1/balance", headers).decode(DropKit.Balance.self)
    }

    static func linkedAccounts(_ app: RouterApp, _ headers: HTTPFields) async throws -> [DropKit.BankAccount] {
        try await app.get("/v1/bank-accounts", headers).decode(DropKit.Page<DropKit.BankAccount>.self).items
    }

    /// Starts a link for `headers`' person; returns Drop's connection id and the bank's consent id.
    static func connect(_ app: RouterApp, _ headers: HTTPFields) async throws -> (connection: String, consent: String) {
        let started = try await app.post("/v1/bank-accounts/connect", #"{"bank":"dnb","client":"mobile"}"#, headers)
        #expect(started.status == .created)
        let link = try started.decode(DropKit.BankConnectStarted.self)
        return (link.consentId, link.scaRedirect.lastPathComponent)
    }

    @Test func kariApprovesAtHerBankAndSeesOnlyHerAccounts() async throws {
        let bank = await Self.bank()
        try await RouterApp.test(providers: .init(openBanking: bank)) { app in
            let kari = try await app.bearer(Self.kari)
            let (connection, consent) = try await Self.connect(app, kari)
            // Back from the bank before approving: nothing linked, and the link can still be approved.
            try await bank.approveConsent(consent, as: Self.kari)
            let back = try await app.get("/v1/bank-accounts/callback?connection=\(connection)&client=mobile")
            #expect(back.headers[.location] == "drop://bank-accounts/callback?connected=dnb")

            let balance = try await Self.balance(app, kari)
            #expect(balance.total?.amountMinor == 1_300_000)
            #expect(balance.accounts.count == 2)
            #expect(balance.stale == false)
            // Reloading the bank's redirect links nothing twice.
            #expect(try await app.get("/v1/bank-accounts/callback?connection=\(connection)&client=mobile").headers[.location]
                == "drop://bank-accounts/callback?connected=dnb")
            #expect(try await Self.linkedAccounts(app, kari).count == 2)
        }
    }

    @Test func aConsentRefusedAtTheBankLinksNothing() async throws {
        let bank = await Self.bank()
        try await RouterApp.test(providers: .init(openBanking: bank)) { app in
            let kari = try await app.bearer(Self.kari)
            let (connection, consent) = try await Self.connect(app, kari)
            // Ola can't approve a consent the bank was told is Kari's.
            await #expect(throws: InMemoryBank.Refusal.notThePSU) { try await bank.approveConsent(consent, as: Self.ola) }
            try await bank.refuseConsent(consent)
            let back = try await app.get("/v1/bank-accounts/callback?connection=\(connection)&client=mobile")
            #expect(back.headers[.location] == "drop://bank-accounts/callback?error=BANK_DENIED")
            #expect(try await Self.linkedAccounts(app, kari).isEmpty)
            #expect(try await Self.balance(app, kari).total?.amountMinor == 0)
        }
    }

    @Test func aBankThatIsDownIsSaidSoAndItsBreakerOpens() async throws {
        let bank = await Self.bank()
        try await RouterApp.test(providers: .init(openBanking: bank)) { app in
            let kari = try await app.bearer(Self.kari)
            let (connection, consent) = try await Self.connect(app, kari)
            try await bank.approveConsent(consent, as: Self.kari)
            await bank.takeDown("dnb")
            let back = try await app.get("/v1/bank-accounts/callback?connection=\(connection)&client=mobile")
            #expect(back.headers[.location] == "drop://bank-accounts/callback?error=PROVIDER_UNAVAILABLE")
            // Three failures open the bank's breaker; the next link is refused at once with Retry-After.
            for _ in 0..<2 { _ = try await app.post("/v1/bank-accounts/connect", #"{"bank":"dnb","client":"mobile"}"#, kari) }
            #expect(await bank.breakerSnapshot(for: "dnb").state == .open)
            let refused = try await app.post("/v1/bank-accounts/connect", #"{"bank":"dnb","client":"mobile"}"#, kari)
            #expect(refused.status == .serviceUnavailable)
            #expect(refused.apiError.code == "PROVIDER_UNAVAILABLE")
            #expect(refused.headers[.retryAfter] != nil)
        }
    }

    /// A bank may report balances that add up to more than an Int64 of øre (two of 50 000 000 000
    /// 000 000,00): the API leaves the total out and the dashboard says it can't be shown, and the
    /// server goes on answering. A trapping sum would end the process, again after each restart.
    @Test func balancesTooLargeToAddUpLeaveTheTotalOutAndTheServerStandsUp() async throws {
        let bank = InMemoryBank()
        let huge: Int64 = 5_000_000_000_000_000_000
        for index in 0..<2 {
            let number = Self.dnbAccount(index)
            await bank.open(holder: Self.kari, iban: number.iban.electronic, bban: number.digits, name: "Brukskonto", balanceMinor: huge)
        }
        try await RouterApp.test(providers: .init(openBanking: bank), pages: true) { app in
            let kari = try await BalanceCacheTests.kariLinked(app, bank)
            let reply = try await app.get("/v1/balance", kari)
            #expect(reply.status == .ok)
            let balance = try reply.decode(DropKit.Balance.self)
            #expect(balance.total == nil && balance.accounts.map(\.balance?.amountMinor) == [huge, huge])
            #expect(!reply.text.contains(#""total""#))
            let page = try await WebDashboardTests.dashboard(app, kari)
            #expect(page.contains("The total can") && !page.contains(#"class="balance""#))
            #expect(try await app.get("/v1/balance", kari).status == .ok)
        }
    }
}
