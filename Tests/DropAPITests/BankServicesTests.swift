import DropCore
import DropProviderFakes
import DropProviders
import DropStore
import DropTestSupport
import Foundation
import Logging
import Testing
@testable import DropAPI

/// The bank services made from only what they use (an in-memory bank, a test database, a clock),
/// with no `AppServices` and no server: linking, balances served from the cache, read again when
/// old, and kept (flagged stale) when the bank can't answer.
@Suite("Bank link and balances, each service on its own")
struct BankServicesTests {
    static let kari = "15039010043"

    struct Services {
        let bank: InMemoryBank
        let clock: TestClock
        let connections: BankConnectionService
        let balances: BalanceService
        let userId: String
    }

    /// Kari, her national identity number sealed as sign-in stores it, and her bank with 12 500,00
    /// NOK in one account and 500,00 in another.
    static func with(_ body: (Services) async throws -> Void) async throws {
        try await TestDatabase.with { database in
            let clock = TestClock()
            let bank = InMemoryBank()
            for (index, balance) in [Int64(1_250_000), 50_000].enumerated() {
                let number = BankLinkRouterTests.dnbAccount(index)
                await bank.open(holder: kari, iban: number.iban.electronic, bban: number.digits, name: "Konto \(index)", balanceMinor: balance)
            }
            let openBanking = Lazy<any OpenBanking> { bank }
            let cipher = PidCipher(secret: "bank-services-test-secret-with-enough-length")
            let userId = UUID().uuidString.lowercased()
            let now = clock.date
            try await database.transaction { db in
                try await UserRepository.insert(UserRecord(
                    id: userId, pidHash: "test-\(userId)", name: "Kari Nordmann", givenName: "Kari", familyName: "Nordmann",
                    birthdate: "1990-03-15", phone: nil, email: nil, role: .user, kycStatus: .approved, kycApplicantId: nil, riskLevel: .low,
                    isPep: false, isSanctioned: false, locale: "nb", createdAt: now, updatedAt: now, deletedAt: nil), on: db)
                try await UserRepository.setSealedPid(userId: userId, sealed: try cipher.seal(try NationalIdentityNumber(kari), userId: userId, pepperId: "test"), on: db)
            }
            try await body(Services(
                bank: bank, clock: clock,
                connections: BankConnectionService(database: database, openBanking: openBanking, pidCipher: cipher,
                                                   publicBaseURL: PublicBaseURL(explicit: "https://drop.test", host: "", port: 0),
                                                   clock: clock.function, logger: Logger(label: "test")),
                balances: BalanceService(database: database, openBanking: openBanking, clock: clock.function, logger: Logger(label: "test")),
                userId: userId))
        }
    }

    /// Links DNB for Kari: the consent asked for, approved by her at the bank, Drop back at its callback.
    static func link(_ services: Services) async throws {
        let started = try await services.connections.connect(userId: services.userId, bank: "dnb", client: .web, psuIPAddress: "192.0.2.1")
        #expect(started.scaRedirect.hasPrefix("https://dnb.bank.test/"))
        let consent = String(try #require(started.scaRedirect.split(separator: "/").last))
        try await services.bank.approveConsent(consent, as: kari)
        #expect(try await services.connections.complete(connectionId: started.consentId, psuIPAddress: "192.0.2.1") == .connected(bankId: "dnb"))
    }

    @Test func aFreshBalanceIsServedWithoutAskingTheBankAndAnOldOneIsReadAgain() async throws {
        try await Self.with { services in
            try await Self.link(services)
            var accounts = try await services.balances.accounts(userId: services.userId, presence: .present(ipAddress: "192.0.2.1"))
            #expect(accounts.compactMap(\.record.balanceMinor).sorted() == [50_000, 1_250_000] && accounts.allSatisfy { !$0.stale })

            // Money leaves elsewhere; within five minutes Drop shows what it has.
            await services.bank.withdraw(250_000, from: BankLinkRouterTests.dnbAccount(0).iban.electronic)
            services.clock.advance(BalanceService.freshFor - 1)
            accounts = try await services.balances.accounts(userId: services.userId, presence: .present(ipAddress: "192.0.2.1"))
            #expect(accounts.compactMap(\.record.balanceMinor).sorted() == [50_000, 1_250_000])

            services.clock.advance(2)
            accounts = try await services.balances.accounts(userId: services.userId, presence: .present(ipAddress: "192.0.2.1"))
            #expect(accounts.compactMap(\.record.balanceMinor).sorted() == [50_000, 1_000_000] && accounts.allSatisfy { !$0.stale })
        }
    }

    @Test func whenTheBankIsDownTheLastBalanceIsKeptAndSaidToBeStale() async throws {
        try await Self.with { services in
            try await Self.link(services)
            services.clock.advance(BalanceService.freshFor + 1)
            await services.bank.takeDown("dnb")
            let accounts = try await services.balances.accounts(userId: services.userId, presence: .present(ipAddress: "192.0.2.1"))
            #expect(accounts.compactMap(\.record.balanceMinor).sorted() == [50_000, 1_250_000])
            #expect(accounts.allSatisfy { $0.stale })
        }
    }

    @Test func aConsentTheBankEndedAsksForAReconnectAndKeepsTheBalances() async throws {
        try await Self.with { services in
            try await Self.link(services)
            services.clock.advance(BalanceService.freshFor + 1)
            await services.bank.revokeConsents(of: Self.kari)
            let accounts = try await services.balances.accounts(userId: services.userId, presence: .present(ipAddress: "192.0.2.1"))
            #expect(accounts.map(\.record.status) == [.reconnect, .reconnect] && accounts.allSatisfy { $0.stale })
            #expect(accounts.compactMap(\.record.balanceMinor).sorted() == [50_000, 1_250_000])
        }
    }
}
