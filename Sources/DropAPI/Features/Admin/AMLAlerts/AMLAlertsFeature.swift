import DropCore
import Foundation
import Hummingbird

/// `/v1/admin/aml-alerts`: the compliance queue of what the AML rules raised, and the decisions on it.
struct AMLAlertsFeature: AppFeature {
    func addRoutes(to router: Router<AppRequestContext>, services: AppServices) {
        let alerts = services.amlAlerts
        let admin = router.group("/v1/admin/aml-alerts").add(middleware: RequireRole(.admin))

        admin.get { request, context in
            let query = request.uri.queryParameters
            let filter = AMLAlertService.Filter(
                status: try QueryParameter.oneOf(query.get("status"), field: "status"),
                rule: try QueryParameter.oneOf(query.get("rule"), field: "rule"),
                userId: query.get("userId")?.nilIfEmpty,
                from: try QueryParameter.date(query.get("from"), field: "from"), to: try QueryParameter.date(query.get("to"), field: "to"))
            return try JSON.response(try await alerts.list(filter, page: try PageRequest(request), for: try context.requireIdentity().userId))
        }

        admin.get("/:id") { _, context in
            try JSON.response(try await alerts.find(id: try context.parameters.require("id"), for: try context.requireIdentity().userId))
        }

        admin.post("/:id/dismiss") { request, context in
            let input = try await request.decodeJSON(AdminDecisionInput.self, context: context)
            return try JSON.response(try await alerts.dismiss(id: try context.parameters.require("id"),
                                                              reason: try AdminReason.required(input.reason), by: try AdminActor(context)))
        }

        admin.post("/:id/escalate") { request, context in
            // The reason is optional, and so is the body.
            let body = try await request.body.collect(upTo: context.maxUploadSize)
            let input = body.readableBytes == 0 ? AdminDecisionInput(reason: nil) : try JSON.decoder.decode(AdminDecisionInput.self, from: Data(buffer: body))
            let (alert, reportId) = try await alerts.escalate(id: try context.parameters.require("id"),
                                                              reason: try AdminReason.optional(input.reason), by: try AdminActor(context))
            return try JSON.response(Escalated(alert: alert, strReportId: reportId), status: .created)
        }
    }

    struct Escalated: Encodable {
        let alert: AMLAlertView
        let strReportId: String
    }
}
