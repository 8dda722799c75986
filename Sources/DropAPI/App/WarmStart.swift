import DropStore
import Foundation
import Logging

/// Before a starting process takes requests, it reads into memory what the customers signed in lately will ask of it
/// first: their sessions (every request), their accounts (the balance, the dashboard) and their newest payments (the
/// dashboard). Without it a restart
/// under a crowd serves every customer's first visit at once, and those visits' extra reads built a backlog of a second
/// or two on two cores ([ADR 0028](../../../docs/decisions/0028-read-ahead-before-taking-requests.md)).
///
/// It only fills caches, each answer under the number the database held when it was read (ADRs 0012, 0013): a write
/// committed meanwhile moves the number, so an answer read ahead is never served stale. It never asks a bank: a
/// customer with an old balance is left for their own visit. `WARM_START_CUSTOMERS=0` turns it off.
public struct WarmStart: Sendable {
    /// What was read ahead.
    public struct Outcome: Sendable, Equatable {
        /// Customers with a live session, the most recently signed in first, up to the limit.
        public var customers = 0
        /// Their live sessions now held (each token's signature is still checked on its first use).
        public var sessions = 0
        /// Of those customers, whose accounts and whose newest payments are now held.
        public var accounts = 0
        public var newestPayments = 0
        /// Customers whose reads failed (they are read on their visit, as without a warm start).
        public var failed = 0
        /// False when the time budget ran out before every customer was read.
        public var finished = true
    }

    let services: AppServices
    /// How many of a customer's newest payments a page shows first (the dashboard's).
    let newestPayments: Int
    let budget: Duration

    /// Customers read at once: their statements go out together (ADR 0019).
    static let width = 32

    public init(services: AppServices, newestPayments: Int, budget: Duration = .seconds(15)) {
        self.services = services
        self.newestPayments = newestPayments
        self.budget = budget
    }

    public func run() async -> Outcome {
        let limit = services.config.warmStartCustomers
        guard limit > 0 else { return Outcome() }
        let started = ContinuousClock.now
        let signedIn: [SessionRepository.SignedIn]
        do {
            signedIn = try await services.database.withConnection {
                try await SessionRepository.recentlySignedIn(at: services.clock(), customers: limit, on: $0)
            }
        } catch {
            services.logger.warning("Warm start skipped: the live sessions could not be read", metadata: ["error": "\(String(reflecting: type(of: error)))"])
            return Outcome()
        }
        var customers: [(userId: String, sessionIds: [String])] = []
        var index: [String: Int] = [:]
        for session in signedIn {
            if let at = index[session.userId] { customers[at].sessionIds.append(session.sessionId); continue }
            index[session.userId] = customers.count
            customers.append((session.userId, [session.sessionId]))
        }
        var outcome = Outcome(customers: customers.count)
        // On PostgreSQL a session is kept only once this process hears revocations; it starts listening as it connects.
        let sessions = await Self.hearingSessionChanges(services.database) ? services.authenticator as? SessionAuthenticator : nil
        let balances = services.balances, transactions = services.transactions, newest = newestPayments
        await withTaskGroup(of: (sessions: Int, accounts: Bool, newest: Bool)?.self) { group in
            var next = customers.makeIterator()
            func readNext() -> Bool {
                guard ContinuousClock.now - started < budget, let customer = next.next() else { return false }
                group.addTask {
                    do {
                        async let accounts = balances.readAhead(userId: customer.userId)
                        async let payments = transactions.newestOnFirstVisit(newest, userId: customer.userId)
                        var kept = 0
                        for id in customer.sessionIds where try await sessions?.readAhead(sessionId: id) == true { kept += 1 }
                        return (kept, try await accounts, try await payments != nil)
                    } catch {
                        return nil
                    }
                }
                return true
            }
            for _ in 0..<Self.width where readNext() {}
            for await read in group {
                if let read {
                    outcome.sessions += read.sessions
                    if read.accounts { outcome.accounts += 1 }
                    if read.newest { outcome.newestPayments += 1 }
                } else {
                    outcome.failed += 1
                }
                _ = readNext()
            }
            outcome.finished = next.next() == nil
        }
        let elapsed = ContinuousClock.now - started
        services.logger.info("Warm start: read ahead for the customers signed in lately", metadata: [
            "customers": "\(outcome.customers)", "sessions": "\(outcome.sessions)", "accounts": "\(outcome.accounts)", "newest_payments": "\(outcome.newestPayments)",
            "failed": "\(outcome.failed)", "finished": "\(outcome.finished)",
            "ms": "\(Int(elapsed / .milliseconds(1)))",
        ])
        return outcome
    }

    /// Whether the process hears session changes, waiting up to five seconds for its listener to connect.
    private static func hearingSessionChanges(_ database: Database) async -> Bool {
        for _ in 0..<100 {
            if database.hearsSessionChanges { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return database.hearsSessionChanges
    }
}
