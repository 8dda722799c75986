import DropCore
import Foundation
import Hummingbird

/// `/v1/admin/transactions`: every transaction for compliance (`?status=held` is the review queue),
/// and the release (proposed by one officer, approved by a second) or rejection of a held one.
struct HeldTransfersFeature: AppFeature {
    func addRoutes(to router: Router<AppRequestContext>, services: AppServices) {
        let held = services.heldTransfers
        let admin = router.group("/v1/admin/transactions").add(middleware: RequireRole(.admin))

        admin.get { request, context in
            let query = request.uri.queryParameters
            let filter = HeldTransferService.Filter(
                status: try QueryParameter.oneOf(query.get("status"), field: "status"),
                userId: query.get("userId")?.nilIfEmpty,
                from: try QueryParameter.date(query.get("from"), field: "from"), to: try QueryParameter.date(query.get("to"), field: "to"))
            return try JSON.response(try await held.list(filter, page: try PageRequest(request), for: try context.requireIdentity().userId))
        }

        admin.get("/:id") { _, context in
            try JSON.response(try await held.find(id: try context.parameters.require("id"), for: try context.requireIdentity().userId))
        }

        // Four eyes (ADR 0032): one officer proposes the release with a reason; a second approves it
        // with `release`. Either (or any other officer) can withdraw or refuse the proposal.
        admin.post("/:id/release-proposal") { request, context in
            let input = try await request.decodeJSON(AdminDecisionInput.self, context: context)
            return try JSON.response(try await held.proposeRelease(id: try context.parameters.require("id"), reason: try AdminReason.required(input.reason),
                                                                   by: try AdminActor(context)))
        }

        admin.delete("/:id/release-proposal") { _, context in
            try JSON.response(try await held.withdrawRelease(id: try context.parameters.require("id"), by: try AdminActor(context)))
        }

        admin.post("/:id/release") { request, context in
            let body = try await request.body.collect(upTo: context.maxUploadSize)
            let input = body.readableBytes == 0 ? AdminDecisionInput(reason: nil) : try JSON.decoder.decode(AdminDecisionInput.self, from: Data(buffer: body))
            // The customer is not at the keyboard and their address is not kept: the releasing request's stands in.
            return try JSON.response(try await held.release(id: try context.parameters.require("id"), reason: try AdminReason.optional(input.reason),
                                                            by: try AdminActor(context), psuIPAddress: context.clientIP))
        }

        admin.post("/:id/reject") { request, context in
            let input = try await request.decodeJSON(AdminDecisionInput.self, context: context)
            return try JSON.response(try await held.reject(id: try context.parameters.require("id"), reason: try AdminReason.required(input.reason),
                                                           by: try AdminActor(context)))
        }
    }
}
