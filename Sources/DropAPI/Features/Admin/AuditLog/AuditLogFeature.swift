import DropStore
import Hummingbird

/// `/v1/admin/audit-log`: the tamper-evident log, filtered and paged, and the walk that checks its chain.
struct AuditLogFeature: AppFeature {
    struct VerificationView: Encodable {
        let ok: Bool
        let checked: Int
        let brokenAt: String?

        // brokenAt is always present, null when the chain holds.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(ok, forKey: .ok)
            try container.encode(checked, forKey: .checked)
            try container.encode(brokenAt, forKey: .brokenAt)
        }

        enum CodingKeys: CodingKey { case ok, checked, brokenAt }
    }

    func addRoutes(to router: Router<AppRequestContext>, services: AppServices) {
        let log = services.auditLog
        let admin = router.group("/v1/admin/audit-log").add(middleware: RequireRole(.admin))

        admin.get { request, context in
            let query = request.uri.queryParameters
            func text(_ name: String) -> String? { query.get(name)?.nilIfEmpty }
            let filter = AuditLogService.Filter(
                entityType: text("entityType"), entityId: text("entityId"), actor: text("actor"), action: text("action"),
                from: try QueryParameter.date(query.get("from"), field: "from"), to: try QueryParameter.date(query.get("to"), field: "to"))
            return try JSON.response(try await log.list(filter, page: try PageRequest(request), for: try context.requireIdentity().userId))
        }

        admin.get("/verify") { _, _ in
            let result = try await log.verify()
            return try JSON.response(VerificationView(ok: result.ok, checked: result.checked, brokenAt: result.brokenAt))
        }
    }
}
