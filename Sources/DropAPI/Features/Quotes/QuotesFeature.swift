import Hummingbird

/// `POST /v1/quotes`, `GET /v1/quotes/{id}`: the price of a remittance, held for 15 minutes.
/// `GET /v1/prices`: the same price for anyone, held for nobody (the front page's calculator).
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

        // Public and rate-limited per address (`RateLimitRule.defaults`, "prices").
        router.get("/v1/prices") { request, _ in
            try JSON.response(try await quotes.price(try Self.priceQuery(request)))
        }
    }

    /// `country`, `currency` and one of `sendAmountMinor` / `receiveAmountMinor`, from the query.
    static func priceQuery(_ request: Request) throws -> QuoteInput {
        let query = request.uri.queryParameters
        var details: [ErrorDetail] = []
        func amount(_ field: String) -> Int64? {
            guard let raw = query.get(field), !raw.isEmpty else { return nil }
            guard let value = Int64(raw) else {
                details.append(ErrorDetail(field: field, issue: "format", message: "\(field) must be a whole number of minor units."))
                return nil
            }
            return value
        }
        let input = QuoteInput(country: query.get("country") ?? "", currency: query.get("currency") ?? "",
                               sendAmountMinor: amount("sendAmountMinor"), receiveAmountMinor: amount("receiveAmountMinor"))
        guard details.isEmpty else { throw AppError.validation("Some fields need attention.", details: details) }
        return input
    }
}
