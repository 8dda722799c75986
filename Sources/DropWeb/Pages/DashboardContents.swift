import DropAPI
import DropStore

/// What the dashboard shows of the customer: their overview (one statement, ADR 0014), their accounts and their
/// newest three payments, the last two from the answers kept in memory while the overview's numbers stand.
///
/// A process that holds nothing of the customer (just started, or another instance served them) has no answer to
/// check those numbers against, so it reads the accounts and the newest three each with its own number, at the
/// same time as the overview (ADR 0024). A restart's first visit then waits for one round of reads after the
/// session instead of three.
struct DashboardContents {
    let overview: CustomerOverview
    let accounts: [LinkedAccount]
    let recent: TransactionService.Newest

    static let recentCount = 3

    /// Nil when there is no such active customer.
    static func read(userId: String, presence: BalanceService.Presence, services: AppServices) async throws -> DashboardContents? {
        let balances = services.balances, transactions = services.transactions
        guard balances.isFirstVisit(userId: userId) || transactions.isFirstVisit(newest: recentCount, userId: userId) else {
            guard let overview = try await CustomerOverview.read(userId: userId, in: services.database) else { return nil }
            return try await completed(overview, accounts: nil, recent: nil, presence: presence, services: services)
        }
        // Each is nil when held after all (the overview's number decides) or when there is nothing to carry a number.
        async let accounts = balances.accountsOnFirstVisit(userId: userId, presence: presence)
        async let recent = transactions.newestOnFirstVisit(recentCount, userId: userId)
        guard let overview = try await CustomerOverview.read(userId: userId, in: services.database) else { return nil }
        return try await completed(overview, accounts: try await accounts, recent: try await recent, presence: presence, services: services)
    }

    /// The overview with what was read beside it, the rest from memory under the overview's numbers (or read).
    private static func completed(_ overview: CustomerOverview, accounts: [LinkedAccount]?, recent: TransactionService.Newest?,
                                  presence: BalanceService.Presence, services: AppServices) async throws -> DashboardContents {
        let userId = overview.user.id
        let accounts = if let accounts { accounts } else {
            try await services.balances.accounts(userId: userId, presence: presence, version: overview.balanceVersion)
        }
        let recent = if let recent { recent } else {
            try await services.transactions.newest(recentCount, userId: userId, version: overview.transactionListVersion)
        }
        return DashboardContents(overview: overview, accounts: accounts, recent: recent)
    }
}
