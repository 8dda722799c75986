import DropStore
import Foundation
import Hummingbird

/// Linking banks and reading balances (AIS): `/v1/banks`, `/v1/bank-accounts…`, `/v1/balance`.
struct BankAccountsFeature: AppFeature {
    func addRoutes(to router: Router<AppRequestContext>, services: AppServices) {
        let connections = services.bankConnections
        let balances = services.balances
        let signedIn = router.group("/v1").add(middleware: RequireRole(.user))

        signedIn.get("/banks") { _, _ in
            try JSON.response(Page(items: BankDirectory.norway.banks))
        }

        signedIn.post("/bank-accounts/connect") { request, context in
            struct Input: Decodable {
                let bank: String
                let client: BankConnectionService.Client?
            }
            let input = try await request.decodeJSON(Input.self, context: context)
            let started = try await connections.connect(userId: try context.requireIdentity().userId, bank: input.bank,
                                                        client: input.client ?? .web, psuIPAddress: context.clientIP)
            return try JSON.response(started, status: .created)
        }

        // The bank sends the browser here after SCA. No session needed: the connection id is
        // unguessable and the bank is asked whether the consent is really valid.
        router.get("/v1/bank-accounts/callback") { request, context in
            let query = request.uri.queryParameters
            let mobile = query.get("client") == "mobile"
            let outcome: BankConnectionService.Completion
            if let id = query.get("connection"), UUID(uuidString: id) != nil {
                outcome = try await connections.complete(connectionId: id, psuIPAddress: context.clientIP)
            } else {
                outcome = .failed(code: "NOT_FOUND")
            }
            let location = switch (outcome, mobile) {
            case (.connected(let bank), false): "/bank-accounts?connected=\(bank)"
            case (.connected(let bank), true): "drop://bank-accounts/callback?connected=\(bank)"
            case (.failed(let code), false): "/bank-accounts?error=\(code)"
            case (.failed(let code), true): "drop://bank-accounts/callback?error=\(code)"
            }
            return Response(status: .found, headers: [.location: location])
        }

        signedIn.get("/bank-accounts") { _, context in
            let accounts = try await balances.accounts(userId: try context.requireIdentity().userId,
                                                       presence: .present(ipAddress: context.clientIP))
            return try JSON.response(Page(items: accounts.map(BankAccountView.init)))
        }

        signedIn.post("/bank-accounts/:id/refresh") { _, context in
            let userId = try context.requireIdentity().userId
            let id = try context.parameters.require("id")
            guard try await services.database.withConnection({ try await BankAccountRepository.find(id: id, userId: userId, on: $0) }) != nil else {
                throw AppError.notFound("No such bank account.")
            }
            let accounts = try await balances.accounts(userId: userId, presence: .present(ipAddress: context.clientIP), force: true)
            guard let account = accounts.first(where: { $0.record.id == id }) else { throw AppError.notFound("No such bank account.") }
            return try JSON.response(BankAccountView(account))
        }

        signedIn.delete("/bank-accounts/:id") { _, context in
            try await connections.remove(accountId: try context.parameters.require("id"), userId: try context.requireIdentity().userId)
            return Response(status: .noContent)
        }

        signedIn.get("/balance") { _, context in
            JSON.response(json: try await balances.balanceJSON(userId: try context.requireIdentity().userId,
                                                               presence: .present(ipAddress: context.clientIP)))
        }
    }

    func addJobs(to jobs: JobRegistry, services: AppServices) {
        // Twice a day leaves half the consent's unattended budget for other reads.
        jobs.recurring("bank.refresh-balances", every: 12 * 3600) { _ in
            _ = try await services.balances.refreshUnattended(olderThan: 6 * 3600)
        }
    }
}
