import Hummingbird

/// `/v1/admin/users`: compliance's customer lookup (by name, or by national identity number in a
/// POSTed body, never in a URL) and one customer.
struct AdminUsersFeature: AppFeature {
    func addRoutes(to router: Router<AppRequestContext>, services: AppServices) {
        let users = services.customerLookup
        let admin = router.group("/v1/admin/users").add(middleware: RequireRole(.admin))

        admin.get { request, context in
            let query = request.uri.queryParameters
            // A number in a URL stays in the access logs of every proxy on the way and in browser history.
            guard query.get("nationalId") == nil else {
                throw AppError.badRequest("Look up a national identity number with POST /v1/admin/users/search and a JSON body, never in the URL.",
                                          details: [ErrorDetail(field: "nationalId", issue: "use_post")])
            }
            let search = try users.search(name: query.get("name"), nationalId: nil)
            return try JSON.response(try await users.list(search, page: try PageRequest(request), by: try AdminActor(context)))
        }

        admin.post("/search") { request, context in
            let lookup = try await request.decodeJSON(AdminUserLookup.self, context: context)
            let search = try users.search(name: lookup.name, nationalId: lookup.nationalId)
            return try JSON.response(try await users.list(search, page: try PageRequest(request), by: try AdminActor(context)))
        }

        admin.get("/:id") { _, context in
            try JSON.response(try await users.find(id: try context.parameters.require("id"), by: try AdminActor(context)))
        }
    }
}
