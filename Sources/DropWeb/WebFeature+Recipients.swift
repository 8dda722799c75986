import DropAPI
import DropCore
import Foundation
import Hummingbird

/// Recipients: list, add (fields from the corridor), delete (after a confirmation page).
extension WebFeature {
    func addRecipientRoutes(to router: Router<AppRequestContext>, services: AppServices) {
        router.get("/recipients") { request, context in
            guard let viewer = try await Viewer.signedIn(request, context, services) else { return Self.signInFirst(request) }
            let query = request.uri.queryParameters
            let notice = query.get("added") != nil ? viewer.strings["recipients.added"]
                : query.get("deleted") != nil ? viewer.strings["recipients.deleted"] : nil
            return try await Self.recipientsPage(viewer, services, corridor: RecipientsPage.corridor(query.get("corridor")), notice: notice)
        }

        router.post("/recipients") { request, context in
            guard let viewer = try await Viewer.signedIn(request, context, services) else { return Self.signInFirst(request) }
            let form = try await FormBody.read(request)
            guard let corridor = RecipientsPage.corridor(form["corridor"]) else {
                return try await Self.recipientsPage(viewer, services, corridor: nil, status: .unprocessableContent,
                                                     errors: ["country": viewer.strings["recipients.error.corridor"]])
            }
            var typed: [String: String] = [:]
            for field in RecipientsPage.fields(for: corridor) { typed[field] = form[field] ?? "" }
            func value(_ field: String) -> String? { typed[field].flatMap { $0.isEmpty ? nil : $0 } }
            let hasAddress = ["address.street", "address.postCode", "address.city"].contains { value($0) != nil }
            let input = RecipientInput(
                name: value("name"), country: corridor.country.rawValue, currency: corridor.currency.code, iban: value("iban"),
                accountNumber: value("accountNumber"), bic: value("bic"), ifsc: value("ifsc"), routingNumber: value("routingNumber"),
                bankName: value("bankName"),
                address: hasAddress ? .init(street: value("address.street"), postCode: value("address.postCode"), city: value("address.city")) : nil,
                relationship: value("relationship"))
            do {
                _ = try await services.recipients.create(by: try context.requireIdentity(), input, requestID: context.requestID)
                return Self.redirect("/recipients?added=1")
            } catch let error as AppError where error.code == "STEP_UP_REQUIRED" {
                // A new payee: BankID again, then back to this form to add it.
                return Self.redirect(StepUp.webStepUp(back: "/recipients?corridor=\(corridor.country.rawValue)-\(corridor.currency.code)"))
            } catch let error as AppError {
                var fields = Dictionary(uniqueKeysWithValues: RecipientsPage.fields(for: corridor).map { ($0, $0) })
                fields["country"] = "country"
                fields["currency"] = "currency"
                fields["address"] = "address.street"
                let errors = FieldErrors.from(error, strings: viewer.strings, fields: fields, codes: [:])
                return try await Self.recipientsPage(viewer, services, corridor: corridor, input: typed, status: error.status, errors: errors)
            }
        }

        router.get("/recipients/:id/delete") { request, context in
            guard let viewer = try await Viewer.signedIn(request, context, services) else { return Self.signInFirst(request) }
            let recipient = try await services.recipients.find(id: try context.parameters.require("id"), userId: viewer.userId)
            return Self.html(RecipientsPage.confirmDelete(viewer, recipient))
        }

        router.post("/recipients/:id/delete") { request, context in
            guard let viewer = try await Viewer.signedIn(request, context, services) else { return Self.signInFirst(request) }
            try await services.recipients.delete(id: try context.parameters.require("id"), userId: viewer.userId, requestID: context.requestID)
            return Self.redirect("/recipients?deleted=1")
        }
    }

    static func recipientsPage(
        _ viewer: Viewer, _ services: AppServices, corridor: Corridor?, input: [String: String] = [:], notice: String? = nil,
        status: HTTPResponse.Status = .ok, errors: [String: String] = [:]
    ) async throws -> Response {
        let recipients = try await services.recipients.list(userId: viewer.userId, page: PageRequest(limit: PageRequest.maximumLimit)).items
        return html(RecipientsPage.render(viewer, .init(recipients: recipients, corridor: corridor, input: input, errors: errors, notice: notice)),
                    status: status)
    }
}
