import Hummingbird

/// `POST /v1/quotes`, `GET /v1/quotes/{id}`: the price of a remittance, held for 15 minutes.
struct QuotesFeature: AppFeature {
    func addRoutes(to router: Router<AppRequestContext>, services: AppServices) {
        let quotes = services.quotes
        let signedIn = router.group("/v1/quotes").add(middleware: RequireRole(.user))

        signedIn.post { request, context in
            let input = try await request.decodeJSON(QuoteInput.self, context: context)
            let view = try await quotes.create(userId: try context.requireIdentity().userId, input)
            return try JSON.response(view, status: .created)
        }

        signedIn.get("/:id") { _, context in
            let id = try context.parameters.require("id")
            return try JSON.response(try await quotes.find(id: id, userId: try context.requireIdentity().userId))
        }
    }
}
