import Hummingbird

/// `POST`/`DELETE /v1/transactions/{id}/tracking-link` for the sender, and the public
/// `GET /v1/tracking/{token}` the receiver's page (`/t/{token}` in the web app) reads.
struct TrackingLinksFeature: AppFeature {
    func addRoutes(to router: Router<AppRequestContext>, services: AppServices) {
        let links = services.trackingLinks
        let sender = router.group("/v1/transactions/:id/tracking-link").add(middleware: RequireRole(.user))
        sender.post { _, context in
            try JSON.response(try await links.share(transactionId: try context.parameters.require("id"),
                                                    userId: try context.requireIdentity().userId, requestID: context.requestID),
                              status: .created)
        }
        sender.delete { _, context in
            try await links.stop(transactionId: try context.parameters.require("id"), userId: try context.requireIdentity().userId,
                                 requestID: context.requestID)
            return Response(status: .noContent)
        }

        router.get("/v1/tracking/:token") { _, context in
            guard let view = try await links.receiverView(token: try context.parameters.require("token")) else {
                throw AppError.notFound("This tracking link doesn't exist, was stopped, or has expired.")
            }
            return try JSON.response(view)
        }
    }
}
