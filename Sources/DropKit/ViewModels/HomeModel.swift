import Foundation
import Observation

/// Hjem: the balance over the linked accounts (and how old it is), the latest transfers and the
/// number of unread notifications.
@Observable
@MainActor
public final class HomeModel {
    /// How current the shown balance is.
    public enum Staleness: Sendable, Equatable {
        /// No account linked yet.
        case none
        /// Read from the bank just now.
        case fresh
        /// The bank could not be asked (or not again so soon): the amount is `age` seconds old.
        case stale(age: Int?)
    }

    public private(set) var balance: Balance?
    public private(set) var recent: [Transaction] = []
    public private(set) var unreadCount = 0
    public private(set) var isLoading = false
    public private(set) var problem: Problem?
    /// Accounts whose bank consent lapsed: show "link again".
    public var accountsToReconnect: [BankAccount] { balance?.accounts.filter { $0.status == .reconnect } ?? [] }

    let environment: ClientEnvironment
    weak var session: SessionModel?
    /// How many transfers Hjem lists.
    public let recentCount: Int

    public init(environment: ClientEnvironment, session: SessionModel? = nil, recentCount: Int = 5) {
        self.environment = environment
        self.session = session
        self.recentCount = recentCount
    }

    public var staleness: Staleness {
        guard let balance, !balance.accounts.isEmpty else { return .none }
        guard balance.stale else { return .fresh }
        return .stale(age: balance.syncedAt.map { max(0, Int(environment.now().timeIntervalSince($0))) })
    }

    /// Loads all three at once; a failure of one leaves the others shown.
    public func load() async {
        isLoading = true
        defer { isLoading = false }
        let client = environment.client
        let filter = TransactionFilter(limit: recentCount)
        async let balance = attempt { try await client.balance() }
        async let recent = attempt { try await client.transactions(filter) }
        async let notifications = attempt { try await client.notifications(limit: 1) }
        var firstProblem: Problem?
        switch await balance {
        case .success(let value): self.balance = value
        case .failure(let error): firstProblem = firstProblem ?? Problem(error)
        }
        switch await recent {
        case .success(let page): self.recent = page.items
        case .failure(let error): firstProblem = firstProblem ?? Problem(error)
        }
        switch await notifications {
        case .success(let list): unreadCount = list.unreadCount
        case .failure(let error): firstProblem = firstProblem ?? Problem(error)
        }
        problem = firstProblem
        if let firstProblem { session?.report(firstProblem) }
    }

    public func markAllRead() async {
        do {
            try await environment.client.markAllRead()
            unreadCount = 0
        } catch {
            fail(error)
        }
    }

    private func fail(_ error: any Error) {
        let problem = Problem(error)
        self.problem = problem
        session?.report(problem)
    }
}

/// The outcome of `body` as a value, so several calls can run at once and fail one by one.
func attempt<Success: Sendable>(_ body: @Sendable () async throws -> Success) async -> Result<Success, any Error> {
    do { return .success(try await body()) } catch { return .failure(error) }
}
