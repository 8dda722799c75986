import Foundation
import Observation

/// Linking a bank (AIS): the banks one can link, the accounts already linked, the hand-off to the
/// bank's approval page in the system browser, and the way back on `drop://bank-accounts/callback`.
@Observable
@MainActor
public final class BankLinkModel {
    public enum Phase: Sendable, Equatable {
        case idle
        /// Open `approvalPage` in the system browser; the bank sends the person back to the app.
        case awaitingBank(bank: String, approvalPage: URL)
        /// The bank was linked and its accounts are in `accounts`.
        case linked(bank: String)
        /// The bank (or Drop) refused: `CONSENT_REJECTED` (the person said no), `PSU_MISMATCH`
        /// (someone else's bank login), or another code to show.
        case failed(code: String)
    }

    public private(set) var banks: [Bank] = []
    public private(set) var accounts: [BankAccount] = []
    public private(set) var phase: Phase = .idle
    public private(set) var problem: Problem?

    let environment: ClientEnvironment
    weak var session: SessionModel?

    public init(environment: ClientEnvironment, session: SessionModel? = nil) {
        self.environment = environment
        self.session = session
    }

    /// Accounts whose bank consent lapsed: link that bank again.
    public var accountsToReconnect: [BankAccount] { accounts.filter { $0.status == .reconnect } }

    public func load() async {
        await run { client in
            self.banks = try await client.banks().items
            self.accounts = try await client.bankAccounts().items
        }
    }

    /// Asks Drop for a consent at `bank`; the screen then opens the bank's page.
    public func link(_ bank: Bank) async {
        await run { client in
            let started = try await client.connectBank(bank.id)
            self.phase = .awaitingBank(bank: bank.id, approvalPage: started.scaRedirect)
        }
    }

    /// Handles the app being opened on a bank-linking link; false for any other link.
    public func open(_ link: DeepLink) async -> Bool {
        switch link {
        case .bankLinked(let bank):
            await run { client in self.accounts = try await client.bankAccounts().items }
            if problem == nil { phase = .linked(bank: bank) }
            return true
        case .bankLinkFailed(let error):
            phase = .failed(code: error)
            return true
        default:
            return false
        }
    }

    /// Reads one account's balance from its bank now.
    public func refresh(_ account: BankAccount) async {
        await run { client in
            let fresh = try await client.refreshBankAccount(id: account.id)
            if let index = self.accounts.firstIndex(where: { $0.id == fresh.id }) { self.accounts[index] = fresh }
        }
    }

    /// Unlinks an account; the last one of a bank also ends the consent at the bank.
    public func remove(_ account: BankAccount) async {
        await run { client in
            try await client.removeBankAccount(id: account.id)
            self.accounts.removeAll { $0.id == account.id }
        }
    }

    private func run(_ change: (DropClient) async throws -> Void) async {
        let client = environment.client
        problem = await perform({ try await change(client) }, reportingTo: session)
    }
}
