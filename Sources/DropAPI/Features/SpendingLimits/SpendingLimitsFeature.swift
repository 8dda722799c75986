import Hummingbird

/// `GET/PUT /v1/spending-limits`: the customer's own caps on what they send.
struct SpendingLimitsFeature: AppFeature {
    func addRoutes(to router: Router<AppRequestContext>, services: AppServices) {
        let limits = services.spendingLimits
        let signedIn = router.group("/v1/spending-limits").add(middleware: RequireRole(.user))

        signedIn.get { _, context in
            try JSON.response(try await limits.overview(userId: try context.requireIdentity().userId))
        }

        signedIn.put { request, context in
            let input = try await request.decodeJSON(SpendingLimitsInput.self, context: context)
            return try JSON.response(try await limits.update(try context.requireIdentity(), input, requestID: context.requestID))
        }
    }
}
