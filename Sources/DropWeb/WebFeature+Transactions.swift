import DropAPI
import DropCore
import Foundation
import Hummingbird

/// The transaction page the bank's return lands on, the history list, cancelling before approval.
extension WebFeature {
    func addTransactionRoutes(to router: Router<AppRequestContext>, services: AppServices) {
        router.get("/transactions") { request, context in
            guard let viewer = try await Viewer.signedIn(request, context, services) else { return Self.redirect("/login") }
            let query = request.uri.queryParameters
            let status = query.get("status").flatMap { TransferStatus(rawValue: $0)?.rawValue }
            let page = try await services.transactions.list(userId: viewer.userId, filter: .init(status: status),
                                                           page: PageRequest(limit: PageRequest.defaultLimit, cursor: query.get("cursor")))
            return Self.html(TransactionPages.list(viewer, page, status: status))
        }

        router.get("/transactions/:id") { request, context in
            guard let viewer = try await Viewer.signedIn(request, context, services) else { return Self.redirect("/login") }
            let transaction = try await services.transactions.find(id: try context.parameters.require("id"), userId: viewer.userId)
            let query = request.uri.queryParameters
            return Self.html(TransactionPages.detail(
                viewer, transaction, notice: query.get("cancelled") != nil ? viewer.strings["tx.cancelled"] : nil,
                error: query.get("error").map { _ in viewer.strings["tx.cancel.error"] }))
        }

        router.post("/transactions/:id/cancel") { request, context in
            guard let viewer = try await Viewer.signedIn(request, context, services) else { return Self.redirect("/login") }
            let id = try context.parameters.require("id")
            do {
                _ = try await services.transactions.cancel(id: id, userId: viewer.userId)
                return Self.redirect("/transactions/\(id)?cancelled=1")
            } catch let error as AppError where error.status == .conflict {
                return Self.redirect("/transactions/\(id)?error=\(error.code)")
            }
        }
    }
}
