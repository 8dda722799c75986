import Foundation
import Hummingbird

/// `/v1/complaints` for customers and `/v1/admin/complaints` for the people who answer them.
struct ComplaintsFeature: AppFeature {
    func addRoutes(to router: Router<AppRequestContext>, services: AppServices) {
        let complaints = services.complaints
        let mine = router.group("/v1/complaints").add(middleware: RequireRole(.user))

        mine.get { _, context in
            try JSON.response(Page(items: try await complaints.list(userId: try context.requireIdentity().userId)))
        }
        mine.post { request, context in
            let input = try await request.decodeJSON(ComplaintService.Input.self, context: context)
            return try JSON.response(try await complaints.file(userId: try context.requireIdentity().userId, input, requestID: context.requestID),
                                     status: .created)
        }
        mine.get("/:id") { _, context in
            try JSON.response(try await complaints.find(id: try context.parameters.require("id"), userId: try context.requireIdentity().userId))
        }

        let admin = router.group("/v1/admin/complaints").add(middleware: RequireRole(.admin))
        admin.get { request, context in
            try JSON.response(Page(items: try await complaints.unresolved(limit: try PageRequest(request).limit)))
        }
        admin.post("/:id/answer") { request, context in
            let answer = try await request.decodeJSON(ComplaintService.Answer.self, context: context)
            return try JSON.response(try await complaints.answer(id: try context.parameters.require("id"), answer,
                                                                 adminId: try context.requireIdentity().userId, requestID: context.requestID))
        }
    }
}
