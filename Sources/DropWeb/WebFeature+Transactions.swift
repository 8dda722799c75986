import DropAPI
import DropCore
import DropHTML
import Foundation
import Hummingbird

/// The transaction page the bank's return lands on, the history list, cancelling before approval.
extension WebFeature {
    func addTransactionRoutes(to router: Router<AppRequestContext>, services: AppServices) {
        router.get("/transactions") { request, context in
            guard let viewer = try await Viewer.signedIn(request, context, services) else { return Self.signInFirst(request) }
            let query = request.uri.queryParameters
            let status = query.get("status").flatMap(TransferStatus.init(rawValue:))
            let page = try await services.transactions.list(userId: viewer.userId, filter: .init(status: status),
                                                           page: PageRequest(limit: PageRequest.defaultLimit, cursor: query.get("cursor")))
            return Self.html(TransactionPages.list(viewer, page, status: status?.rawValue))
        }

        router.get("/transactions/:id") { request, context in
            guard let viewer = try await Viewer.signedIn(request, context, services) else { return Self.signInFirst(request) }
            let transaction = try await services.transactions.find(id: try context.parameters.require("id"), userId: viewer.userId)
            let query = request.uri.queryParameters
            let notice = query.get("cancelled") != nil ? viewer.strings["tx.cancelled"]
                : query.get("unshared") != nil ? viewer.strings["track.stopped"] : nil
            return Self.html(TransactionPages.detail(
                viewer, transaction, notice: notice, error: query.get("error").map { _ in viewer.strings["tx.cancel.error"] },
                share: try await Self.shareSection(transaction, shared: nil, viewer: viewer, services)))
        }

        // Sharing answers with the page itself, not a redirect: the link is shown once and never
        // put in a URL (only its hash is kept, so it can't be shown again).
        router.post("/transactions/:id/tracking-link") { request, context in
            guard let viewer = try await Viewer.signedIn(request, context, services) else { return Self.signInFirst(request) }
            let id = try context.parameters.require("id")
            let shared = try await services.trackingLinks.share(transactionId: id, userId: viewer.userId, requestID: context.requestID)
            let transaction = try await services.transactions.find(id: id, userId: viewer.userId)
            var response = Self.html(TransactionPages.detail(viewer, transaction, notice: nil, error: nil,
                                                             share: try await Self.shareSection(transaction, shared: shared, viewer: viewer, services)))
            response.headers[.cacheControl] = "no-store"
            return response
        }

        router.post("/transactions/:id/tracking-link/stop") { request, context in
            guard let viewer = try await Viewer.signedIn(request, context, services) else { return Self.signInFirst(request) }
            let id = try context.parameters.require("id")
            try await services.trackingLinks.stop(transactionId: id, userId: viewer.userId, requestID: context.requestID)
            return Self.redirect("/transactions/\(id)?unshared=1")
        }

        // The receiver's page: public, in their language.
        router.get("/t/:token") { request, context in
            let strings = Strings(Self.language(of: request))
            guard let view = try await services.trackingLinks.receiverView(token: try context.parameters.require("token")) else {
                return Self.html(TrackingPage.notFound(strings), status: .notFound)
            }
            var response = Self.html(TrackingPage.render(view, strings))
            // The page can change at any moment and says who is paying: never kept by a shared cache.
            response.headers[.cacheControl] = "no-store"
            return response
        }

        router.post("/transactions/:id/cancel") { request, context in
            guard let viewer = try await Viewer.signedIn(request, context, services) else { return Self.signInFirst(request) }
            let id = try context.parameters.require("id")
            do {
                _ = try await services.transactions.cancel(id: id, userId: viewer.userId)
                return Self.redirect("/transactions/\(id)?cancelled=1")
            } catch let error as AppError where error.status == .conflict {
                return Self.redirect("/transactions/\(id)?error=\(error.code)")
            }
        }
    }

    /// The tracking link's section for a transfer abroad the user may still share; empty otherwise.
    static func shareSection(_ transaction: TransactionView, shared: TrackingLinkService.SharedLink?, viewer: Viewer,
                             _ services: AppServices) async throws -> HTML {
        let sharing = try await services.trackingLinks.sharing(transactionId: transaction.id, userId: viewer.userId)
        guard sharing.shareable else { return "" }
        return TrackingPage.shareSection(transaction, shared: shared, isShared: sharing.isShared, viewer: viewer)
    }
}
