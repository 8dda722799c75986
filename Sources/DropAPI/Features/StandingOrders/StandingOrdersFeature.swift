import DropCore
import DropProviders
import DropStore
import Foundation
import Hummingbird

/// `/v1/standing-orders…`: set up a standing transfer (approved once at the bank), list and read
/// them with their payments, pause, change or resume (a new approval), stop; the bank's return
/// after SCA; and the reconciler job that catches up with the banks.
struct StandingOrdersFeature: AppFeature {
    func addRoutes(to router: Router<AppRequestContext>, services: AppServices) {
        let orders = services.standingOrders
        let idempotent = services.idempotentRequests
        let signedIn = router.group("/v1/standing-orders").add(middleware: RequireRole(.user))

        signedIn.post { request, context in
            let user = try await services.sessions.currentUser(context)
            let body = Array(buffer: try await request.body.collect(upTo: context.maxUploadSize))
            return try await idempotent.run(request, scope: "standing-order:\(user.id)", body: body) { attempt in
                guard !body.isEmpty else { throw AppError.badRequest("A JSON body is required.") }
                let input = try JSON.decoder.decode(StandingOrderService.Input.self, from: Data(body))
                let started = try await orders.create(user: user, input, attempt: attempt, psuIPAddress: context.clientIP)
                return (.created, try JSON.encoder.encode(StartedView(started, view: try await orders.find(id: started.standingOrder.id, userId: user.id))))
            }
        }

        signedIn.get { _, context in
            try JSON.response(["items": try await orders.list(userId: try context.requireIdentity().userId)])
        }

        signedIn.get("/:id") { _, context in
            try JSON.response(try await orders.find(id: try context.parameters.require("id"), userId: try context.requireIdentity().userId))
        }

        signedIn.post("/:id/pause") { _, context in
            try JSON.response(try await orders.pause(id: try context.parameters.require("id"), userId: try context.requireIdentity().userId))
        }

        signedIn.post("/:id/stop") { _, context in
            try JSON.response(try await orders.stop(id: try context.parameters.require("id"), userId: try context.requireIdentity().userId))
        }

        // Change or resume: a new order, approved at the bank, takes this one's place once approved.
        signedIn.post("/:id/replace") { request, context in
            let user = try await services.sessions.currentUser(context)
            let id = try context.parameters.require("id")
            let body = Array(buffer: try await request.body.collect(upTo: context.maxUploadSize))
            return try await idempotent.run(request, scope: "standing-order:\(user.id)", body: Array(id.utf8) + body) { attempt in
                let change = body.isEmpty ? StandingOrderService.Change() : try JSON.decoder.decode(StandingOrderService.Change.self, from: Data(body))
                let started = try await orders.replace(user: user, id: id, change, idempotencyKey: attempt.key, requestHash: attempt.requestHash, psuIPAddress: context.clientIP)
                return (.created, try JSON.encoder.encode(StartedView(started, view: try await orders.find(id: started.standingOrder.id, userId: user.id))))
            }
        }

        // The bank sends the browser here after SCA. No session needed: the bank is asked.
        router.get("/v1/standing-orders/:id/sca-callback") { request, context in
            let id = try context.parameters.require("id")
            let mobile = request.uri.queryParameters.get("client") == "mobile"
            if UUID(uuidString: id) != nil {
                do {
                    try await orders.followUp(id: id)
                } catch {
                    services.logger.notice("standing order status not read after SCA", metadata: ["error_type": .string(String(describing: type(of: error)))])
                }
            }
            return Response(status: .found, headers: [.location: mobile ? "drop://standing-orders/\(id)" : "/standing?order=\(id)"])
        }
    }

    func addJobs(to jobs: JobRegistry, services: AppServices) {
        jobs.recurring("standing-orders.reconcile", every: 300) { _ in
            _ = try await services.standingOrders.reconcile()
        }
    }

    /// The 201 of a new order: the order as it stands and where to approve it.
    struct StartedView: Encodable {
        let standingOrder: StandingOrderView
        let scaRedirect: String?

        init(_ started: StandingOrderService.Started, view: StandingOrderView) {
            standingOrder = view
            scaRedirect = started.scaRedirect
        }
    }
}
