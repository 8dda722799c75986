import DropAPI
import DropCore
import Foundation
import Hummingbird

/// Standing transfers: the list with pause, resume and stop (after a confirmation page), and the
/// form that sets one up and sends the person to their bank to approve it once. Static routes
/// with the order's id in the query: a `/standing/:id` beside the POST routes would answer 405.
extension WebFeature {
    func addStandingOrderRoutes(to router: Router<AppRequestContext>, services: AppServices) {
        router.get("/standing") { request, context in
            guard let viewer = try await Viewer.signedIn(request, context, services) else { return Self.signInFirst(request) }
            let query = request.uri.queryParameters
            // Back after signing in again: what they had typed when the session ran out.
            if let restored = try await FormDraft.standing.restored(request, for: viewer, with: services.csrf, page: { kept, notice in
                var input: [String: String] = [:]
                for field in FormDraft.standing.fields { input[field] = kept?[field] ?? "" }
                return try await Self.standingPage(viewer, services, context, input: input, notice: notice)
            }) { return restored }
            var notice: String?
            // Back from the bank: say where the order stands now.
            if let id = query.get("order"), let order = try? await services.standingOrders.find(id: id, userId: viewer.userId) {
                notice = viewer.strings["standing.notice.\(order.status.rawValue)"]
            } else if let done = query.get("done"), ["paused", "stopped"].contains(done) {
                notice = viewer.strings["standing.notice.\(done)"]
            }
            return try await Self.standingPage(viewer, services, context, input: ["recipientId": query.get("recipientId") ?? ""], notice: notice)
        }

        router.post("/standing") { request, context in
            guard let viewer = try await Viewer.signedIn(request, context, services) else {
                return try await Self.sessionEnded(request, services, keeping: .standing)
            }
            let form = try await FormBody.read(request)
            var input: [String: String] = ["key": form["key"] ?? ""]
            for field in StandingOrdersPage.formFields { input[field] = form[field] ?? "" }
            let strings = viewer.strings
            let (amount, amountError) = Self.parseKroner(input["amount"] ?? "", strings)
            guard let amount else {
                return try await Self.standingPage(viewer, services, context, input: input, status: .unprocessableContent,
                                                   errors: ["amount": amountError ?? strings["error.issue.invalid"]])
            }
            let key = (input["key"] ?? "").isEmpty ? RecordID.make() : input["key"]!
            let user = try await services.sessions.currentUser(context)
            do {
                let started = try await services.standingOrders.createOnce(user: user, StandingOrderService.Input(
                    recipientId: input["recipientId"] ?? "", bankAccountId: input["bankAccountId"] ?? "", amountMinor: amount.minorUnits,
                    frequency: input["frequency"] ?? "", startDate: input["startDate"] ?? "",
                    endDate: (input["endDate"] ?? "").isEmpty ? nil : input["endDate"], client: .web),
                    idempotencyKey: key, psuIPAddress: context.clientIP)
                return Self.handOff(to: started.scaRedirect ?? "/standing?order=\(started.standingOrder.id)", .bank, request, services)
            } catch let error as AppError {
                // The key already names another order (one set up before Back was pressed, or written before
                // the bank failed, then the form was changed): what the form asks now is another request,
                // sent once more under a key of its own. The same key again would be refused every time.
                if error.code == "IDEMPOTENCY_KEY_REUSED" { input["key"] = RecordID.make() }
                let recipient = try? await services.recipients.find(id: input["recipientId"] ?? "", userId: viewer.userId)
                let errors = Self.sendErrors(error, strings, recipient: recipient).merging(FieldErrors.from(
                    error, strings: strings, fields: ["startDate": "startDate", "endDate": "endDate", "frequency": "frequency",
                                                      "dayOfExecution": "startDate", "recipientId": "recipientId", "bankAccountId": "bankAccountId"],
                    codes: [:]).filter { $0.key != "form" }) { $1 }
                return try await Self.standingPage(viewer, services, context, input: input, status: error.status,
                                                   errors: errors.count > 1 ? errors.filter { $0.key != "form" } : errors)
            }
        }

        router.post("/standing/pause") { request, context in
            guard let viewer = try await Viewer.signedIn(request, context, services) else { return Self.signInFirst(request) }
            _ = try await services.standingOrders.pause(id: request.uri.queryParameters.get("id") ?? "", userId: viewer.userId)
            return Self.redirect("/standing?done=paused")
        }

        router.post("/standing/resume") { request, context in
            guard try await Viewer.signedIn(request, context, services) != nil else { return Self.signInFirst(request) }
            let form = try await FormBody.read(request)
            let user = try await services.sessions.currentUser(context)
            let id = request.uri.queryParameters.get("id") ?? ""
            // The key the button's form was shown with: a second tap finds the first order, and a form
            // shown after the bank refused that one asks for a new one.
            let key = (form["key"] ?? "").isEmpty ? RecordID.make() : form["key"]!
            let started = try await services.standingOrders.replaceOnce(user: user, id: id, StandingOrderService.Change(client: .web),
                                                                        idempotencyKey: key, psuIPAddress: context.clientIP)
            return Self.handOff(to: started.scaRedirect ?? "/standing?order=\(started.standingOrder.id)", .bank, request, services)
        }

        // A new amount: a new order approved at the bank takes this one's place once approved.
        router.post("/standing/change") { request, context in
            guard let viewer = try await Viewer.signedIn(request, context, services) else { return Self.signInFirst(request) }
            let form = try await FormBody.read(request)
            let id = request.uri.queryParameters.get("id") ?? ""
            let (amount, amountError) = Self.parseKroner(form["amount"] ?? "", viewer.strings)
            guard let amount else {
                return try await Self.standingPage(viewer, services, context, status: .unprocessableContent,
                                                   errors: ["amount-\(id)": amountError ?? viewer.strings["error.issue.invalid"]])
            }
            let user = try await services.sessions.currentUser(context)
            do {
                // The key the form was shown with: a second tap finds the first order.
                let key = (form["key"] ?? "").isEmpty ? RecordID.make() : form["key"]!
                let started = try await services.standingOrders.replaceOnce(user: user, id: id, StandingOrderService.Change(amountMinor: amount.minorUnits, client: .web),
                                                                            idempotencyKey: key, psuIPAddress: context.clientIP)
                return Self.handOff(to: started.scaRedirect ?? "/standing?order=\(started.standingOrder.id)", .bank, request, services)
            } catch let error as AppError where error.status == .unprocessableContent {
                let order = try? await services.standingOrders.find(id: id, userId: viewer.userId)
                let recipient = try? await services.recipients.find(id: order?.recipient?.id ?? "", userId: viewer.userId)
                let errors = Self.sendErrors(error, viewer.strings, recipient: recipient)
                return try await Self.standingPage(viewer, services, context, status: error.status,
                                                   errors: ["amount-\(id)": errors["amount"] ?? errors.values.first ?? viewer.strings["error.generic"]])
            }
        }

        router.get("/standing/stop") { request, context in
            guard let viewer = try await Viewer.signedIn(request, context, services) else { return Self.signInFirst(request) }
            let order = try await services.standingOrders.find(id: request.uri.queryParameters.get("id") ?? "", userId: viewer.userId)
            return Self.html(StandingOrdersPage.confirmStop(viewer, order))
        }

        router.post("/standing/stop") { request, context in
            guard let viewer = try await Viewer.signedIn(request, context, services) else { return Self.signInFirst(request) }
            _ = try await services.standingOrders.stop(id: request.uri.queryParameters.get("id") ?? "", userId: viewer.userId)
            return Self.redirect("/standing?done=stopped")
        }
    }

    static func standingPage(
        _ viewer: Viewer, _ services: AppServices, _ context: AppRequestContext, input: [String: String] = [:], notice: String? = nil,
        status: HTTPResponse.Status = .ok, errors: [String: String] = [:]
    ) async throws -> Response {
        let orders = try await services.standingOrders.list(userId: viewer.userId)
        let recipients = try await services.recipients.list(userId: viewer.userId, page: PageRequest(limit: PageRequest.maximumLimit)).items
        let accounts = (try? await services.balances.accounts(userId: viewer.userId, presence: .present(ipAddress: context.clientIP))) ?? []
        return html(StandingOrdersPage.render(viewer, .init(orders: orders, recipients: recipients, accounts: accounts, input: input,
                                                            errors: errors, notice: notice)), status: status)
    }
}
