import DropStore
import Hummingbird

/// `POST /v1/admin/merchants/{id}/close`: compliance closes a business for good (`MerchantClosureService`).
struct AdminMerchantsFeature: AppFeature {
    func addRoutes(to router: Router<AppRequestContext>, services: AppServices) {
        let closures = services.merchantClosures
        let admin = router.group("/v1/admin/merchants").add(middleware: RequireRole(.admin))
        admin.post("/:id/close") { request, context in
            let input = try await request.decodeJSON(AdminDecisionInput.self, context: context)
            return try JSON.response(try await closures.close(merchantId: try context.parameters.require("id"),
                                                              reason: try AdminReason.required(input.reason), by: try AdminActor(context)))
        }
    }
}
