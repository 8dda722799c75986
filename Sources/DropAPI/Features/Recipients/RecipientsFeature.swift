import Hummingbird

/// `/v1/recipients`: the people a customer sends money to. Only the owner sees or changes one.
struct RecipientsFeature: AppFeature {
    func addRoutes(to router: Router<AppRequestContext>, services: AppServices) {
        let recipients = services.recipients
        let signedIn = router.group("/v1/recipients").add(middleware: RequireRole(.user))

        signedIn.get { request, context in
            try JSON.response(try await recipients.list(userId: try context.requireIdentity().userId, page: try PageRequest(request)))
        }

        signedIn.post { request, context in
            let input = try await request.decodeJSON(RecipientInput.self, context: context)
            let view = try await recipients.create(by: try context.requireIdentity(), input, requestID: context.requestID)
            return try JSON.response(view, status: .created)
        }

        signedIn.get("/:id") { _, context in
            try JSON.response(try await recipients.find(id: try context.parameters.require("id"), userId: try context.requireIdentity().userId))
        }

        signedIn.patch("/:id") { request, context in
            let patch = try await request.decodeJSON(RecipientPatch.self, context: context)
            let view = try await recipients.update(id: try context.parameters.require("id"), by: try context.requireIdentity(),
                                                   with: patch, requestID: context.requestID)
            return try JSON.response(view)
        }

        signedIn.delete("/:id") { _, context in
            try await recipients.delete(id: try context.parameters.require("id"), userId: try context.requireIdentity().userId,
                                        requestID: context.requestID)
            return Response(status: .noContent)
        }
    }

    func addJobs(to jobs: JobRegistry, services: AppServices) {
        // Recipients saved before payments abroad had to be in Latin letters: their owners are told once,
        // and standing transfers paying them stopped (`UnwritablePayees`).
        jobs.recurring("recipients.unwritable-payees", every: 6 * 3600) { _ in
            _ = try await services.standingOrders.handleUnwritablePayees()
        }
    }
}
