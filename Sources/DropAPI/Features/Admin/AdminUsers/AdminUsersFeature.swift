import Hummingbird

/// `/v1/admin/users`: compliance's customer lookup (by name or national identity number) and one customer.
struct AdminUsersFeature: AppFeature {
    func addRoutes(to router: Router<AppRequestContext>, services: AppServices) {
        let users = services.customerLookup
        let admin = router.group("/v1/admin/users").add(middleware: RequireRole(.admin))

        admin.get { request, _ in
            let query = request.uri.queryParameters
            let search = try users.search(name: query.get("name"), nationalId: query.get("nationalId"))
            return try JSON.response(try await users.list(search, page: try PageRequest(request)))
        }

        admin.get("/:id") { _, context in
            try JSON.response(try await users.find(id: try context.parameters.require("id")))
        }
    }
}
