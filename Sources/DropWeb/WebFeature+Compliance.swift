import DropAPI
import DropCore
import DropHTML
import Foundation
import HTTPTypes
import Hummingbird

/// The compliance console under `/admin`, for admins only: the AML alert queue and its decisions,
/// and suspicious transaction reports from draft to filed. A POST with a sign-in older than the
/// step-up age never reaches these handlers: `StepUp` (in `AdmissionMiddleware`) sends the officer to BankID and
/// back to the page, to confirm the action again.
extension WebFeature {
    func addComplianceRoutes(to router: Router<AppRequestContext>, services: AppServices) {
        let maxAge = services.config.adminStepUp.maxAge

        addHeldTransferAndAuditRoutes(to: router, services: services)

        router.get("/admin") { request, context in
            guard try await Self.officer(request, context, services) != nil else { return Self.signInFirst(request) }
            return Self.redirect("/admin/alerts")
        }

        router.get("/admin/alerts") { request, context in
            guard let viewer = try await Self.officer(request, context, services) else { return Self.signInFirst(request) }
            let query = request.uri.queryParameters
            let status = query.get("status").flatMap(AMLAlertStatus.init(rawValue:)) ?? .open
            let page = try await services.amlAlerts.list(.init(status: status, userId: query.get("userId").flatMap { $0.isEmpty ? nil : $0 }),
                                                         page: PageRequest(limit: PageRequest.defaultLimit, cursor: query.get("cursor")), for: viewer.userId)
            return Self.html(CompliancePages.alerts(viewer, page, status: status))
        }

        router.get("/admin/alerts/:id") { request, context in
            guard let viewer = try await Self.officer(request, context, services) else { return Self.signInFirst(request) }
            let alert = try await services.amlAlerts.find(id: try context.parameters.require("id"), for: viewer.userId)
            return Self.html(CompliancePages.alert(viewer, alert, stepUpMaxAge: maxAge))
        }

        router.post("/admin/alerts/:id/dismiss") { request, context in
            let id = try context.parameters.require("id")
            return try await Self.decide(request, context, services, field: "dismiss-reason", conflict: "admin.error.decided") { reason, actor in
                _ = try await services.amlAlerts.dismiss(id: id, reason: try AdminReason.required(reason), by: actor)
                return "/admin/alerts/\(id)"
            } page: { viewer, input, errors in
                CompliancePages.alert(viewer, try await services.amlAlerts.find(id: id, for: viewer.userId), stepUpMaxAge: maxAge, input: input, errors: errors)
            }
        }

        router.post("/admin/alerts/:id/escalate") { request, context in
            let id = try context.parameters.require("id")
            return try await Self.decide(request, context, services, field: "escalate-reason", conflict: "admin.error.decided") { reason, actor in
                "/admin/reports/\(try await services.amlAlerts.escalate(id: id, reason: try AdminReason.optional(reason), by: actor).reportId)"
            } page: { viewer, input, errors in
                CompliancePages.alert(viewer, try await services.amlAlerts.find(id: id, for: viewer.userId), stepUpMaxAge: maxAge, input: input, errors: errors)
            }
        }

        router.get("/admin/reports") { request, context in
            guard let viewer = try await Self.officer(request, context, services) else { return Self.signInFirst(request) }
            let query = request.uri.queryParameters
            let status = query.get("status").flatMap(STRReportStatus.init(rawValue:)) ?? .draft
            let page = try await services.strReports.list(status: status, userId: nil,
                                                          page: PageRequest(limit: PageRequest.defaultLimit, cursor: query.get("cursor")), for: viewer.userId)
            return Self.html(CompliancePages.reports(viewer, page, status: status))
        }

        router.get("/admin/reports/:id") { request, context in
            guard let viewer = try await Self.officer(request, context, services) else { return Self.signInFirst(request) }
            let report = try await services.strReports.find(id: try context.parameters.require("id"), for: viewer.userId)
            let notice = request.uri.queryParameters.get("saved") != nil ? viewer.strings["admin.saved"] : nil
            return Self.html(CompliancePages.report(viewer, report, stepUpMaxAge: maxAge, notice: notice))
        }

        router.post("/admin/reports/:id") { request, context in
            guard let viewer = try await Self.officer(request, context, services) else { return Self.signInFirst(request) }
            let id = try context.parameters.require("id")
            let form = try await FormBody.read(request)
            let typed = ["reason": form["reason"] ?? "", "action": form["action"] ?? ""]
            do {
                _ = try await services.strReports.update(id: id, STRReportPatch(reason: typed["reason"], action: typed["action"]),
                                                         by: AdminActor(userId: viewer.userId, requestId: context.requestID))
                return Self.redirect("/admin/reports/\(id)?saved=1")
            } catch let error as AppError where error.status != .notFound {
                let report = try await services.strReports.find(id: id, for: viewer.userId)
                return Self.html(CompliancePages.report(viewer, report, stepUpMaxAge: maxAge, input: typed,
                                                        errors: Self.decisionErrors(error, field: "reason", conflict: "admin.error.filed", viewer.strings)), status: error.status)
            }
        }

        router.post("/admin/reports/:id/file") { request, context in
            let id = try context.parameters.require("id")
            return try await Self.decide(request, context, services, formField: "fiuReference", field: "fiuReference", conflict: "admin.error.filed") { reference, actor in
                let reference = reference.trimmingCharacters(in: .whitespacesAndNewlines)
                _ = try await services.strReports.file(id: id, STRReportFiling(fiuReference: reference.isEmpty ? nil : reference), by: actor)
                return "/admin/reports/\(id)"
            } page: { viewer, input, errors in
                CompliancePages.report(viewer, try await services.strReports.find(id: id, for: viewer.userId), stepUpMaxAge: maxAge, input: input, errors: errors)
            }
        }
    }

    func addHeldTransferAndAuditRoutes(to router: Router<AppRequestContext>, services: AppServices) {
        let maxAge = services.config.adminStepUp.maxAge

        router.get("/admin/held") { request, context in
            guard let viewer = try await Self.officer(request, context, services) else { return Self.signInFirst(request) }
            let query = request.uri.queryParameters
            let page = try await services.heldTransfers.list(.init(status: .held), page: PageRequest(limit: PageRequest.defaultLimit, cursor: query.get("cursor")),
                                                             for: viewer.userId)
            let notice = query.get("released") != nil ? viewer.strings["admin.held.released"]
                : query.get("rejected") != nil ? viewer.strings["admin.held.rejected"] : nil
            return Self.html(CompliancePages.held(viewer, page, notice: notice))
        }

        router.get("/admin/held/:id") { request, context in
            guard let viewer = try await Self.officer(request, context, services) else { return Self.signInFirst(request) }
            let transfer = try await services.heldTransfers.find(id: try context.parameters.require("id"), for: viewer.userId)
            return Self.html(CompliancePages.heldTransfer(viewer, transfer, stepUpMaxAge: maxAge))
        }

        // Four eyes (ADR 0032): one officer proposes, a second approves (`release`); either can withdraw or refuse.
        router.post("/admin/held/:id/propose-release") { request, context in
            let id = try context.parameters.require("id")
            return try await Self.decide(request, context, services, field: "propose-reason", conflict: "admin.error.decided") { reason, actor in
                _ = try await services.heldTransfers.proposeRelease(id: id, reason: try AdminReason.required(reason), by: actor)
                return "/admin/held/\(id)"
            } page: { viewer, input, errors in
                CompliancePages.heldTransfer(viewer, try await services.heldTransfers.find(id: id, for: viewer.userId), stepUpMaxAge: maxAge, input: input, errors: errors)
            }
        }

        router.post("/admin/held/:id/withdraw-release") { request, context in
            let id = try context.parameters.require("id")
            return try await Self.decide(request, context, services, field: "withdraw-reason", conflict: "admin.error.decided") { _, actor in
                _ = try await services.heldTransfers.withdrawRelease(id: id, by: actor)
                return "/admin/held/\(id)"
            } page: { viewer, input, errors in
                CompliancePages.heldTransfer(viewer, try await services.heldTransfers.find(id: id, for: viewer.userId), stepUpMaxAge: maxAge, input: input, errors: errors)
            }
        }

        router.post("/admin/held/:id/release") { request, context in
            let id = try context.parameters.require("id")
            return try await Self.decide(request, context, services, field: "release-reason", conflict: "admin.error.decided") { reason, actor in
                // The customer is not at the keyboard: the releasing request's address stands in, as in the API.
                _ = try await services.heldTransfers.release(id: id, reason: try AdminReason.optional(reason), by: actor, psuIPAddress: context.clientIP)
                return "/admin/held?released=1"
            } page: { viewer, input, errors in
                CompliancePages.heldTransfer(viewer, try await services.heldTransfers.find(id: id, for: viewer.userId), stepUpMaxAge: maxAge, input: input, errors: errors)
            }
        }

        router.post("/admin/held/:id/reject") { request, context in
            let id = try context.parameters.require("id")
            return try await Self.decide(request, context, services, field: "reject-reason", conflict: "admin.error.decided") { reason, actor in
                _ = try await services.heldTransfers.reject(id: id, reason: try AdminReason.required(reason), by: actor)
                return "/admin/held?rejected=1"
            } page: { viewer, input, errors in
                CompliancePages.heldTransfer(viewer, try await services.heldTransfers.find(id: id, for: viewer.userId), stepUpMaxAge: maxAge, input: input, errors: errors)
            }
        }

        router.get("/admin/customers") { request, context in
            guard let viewer = try await Self.officer(request, context, services) else { return Self.signInFirst(request) }
            let query = request.uri.queryParameters
            // A national identity number is looked up by the form's POST only: in a URL it would stay in
            // logs and the browser's history. One that came in a link is not searched.
            guard query.get("nationalId") == nil else { return Self.redirect("/admin/customers") }
            return try await Self.lookUpCustomers(viewer, name: query.get("name") ?? "", nationalId: "", context, services)
        }

        router.post("/admin/customers") { request, context in
            guard let viewer = try await Self.officer(request, context, services) else { return Self.signInFirst(request) }
            let form = try await FormBody.read(request)
            return try await Self.lookUpCustomers(viewer, name: form["name"] ?? "", nationalId: form["nationalId"] ?? "", context, services)
        }

        router.get("/admin/complaints") { request, context in
            guard let viewer = try await Self.officer(request, context, services) else { return Self.signInFirst(request) }
            let notice = request.uri.queryParameters.get("answered") != nil ? viewer.strings["admin.complaints.answered"] : nil
            return Self.html(CompliancePages.complaints(viewer, try await services.complaints.unresolved(limit: PageRequest.maximumLimit),
                                                        notice: notice))
        }

        router.post("/admin/complaints/:id/answer") { request, context in
            guard let viewer = try await Self.officer(request, context, services) else { return Self.signInFirst(request) }
            let id = try context.parameters.require("id")
            let form = try await FormBody.read(request)
            let typed = ["status": form["status"] ?? "", "resolution": form["resolution"] ?? ""]
            let complaints = services.complaints
            do {
                _ = try await complaints.answer(id: id, .init(status: typed["status"] ?? "", resolution: typed["resolution"]), adminId: viewer.userId,
                                                requestID: context.requestID)
                return Self.redirect("/admin/complaints?answered=1")
            } catch let error as AppError where error.status != .notFound {
                let errors = error.status == .conflict ? ["form": viewer.strings["admin.error.decided"]]
                    : error.code == "OWN_CASE" ? ["form": viewer.strings["admin.error.ownCase"]]
                    : ["resolution-\(id)": viewer.strings["admin.error.resolution"]]
                return Self.html(CompliancePages.complaints(viewer, try await complaints.unresolved(limit: PageRequest.maximumLimit), notice: nil,
                                                            failed: (id, typed, errors)), status: error.status)
            }
        }

        router.get("/admin/reconciliation") { request, context in
            guard let viewer = try await Self.officer(request, context, services) else { return Self.signInFirst(request) }
            let query = request.uri.queryParameters
            let notice = query.get("resolved") != nil ? viewer.strings["admin.reconciliation.resolved"]
                : query.get("closed") != nil ? viewer.strings["admin.reconciliation.businessClosed"] : nil
            return Self.html(CompliancePages.reconciliation(viewer, try await services.reconciliation.report(), notice: notice))
        }

        router.post("/admin/reconciliation/alerts/:id/resolve") { request, context in
            let id = try context.parameters.require("id")
            return try await Self.decide(request, context, services, field: "resolve-\(id)", conflict: "admin.error.decided") { reason, actor in
                try await services.reconciliation.resolve(alertId: id, resolution: try AdminReason.required(reason), by: actor)
                return "/admin/reconciliation?resolved=1"
            } page: { viewer, input, errors in
                CompliancePages.reconciliation(viewer, try await services.reconciliation.report(), input: input, errors: errors)
            }
        }

        router.post("/admin/merchants/:id/close") { request, context in
            let id = try context.parameters.require("id")
            return try await Self.decide(request, context, services, field: "close-\(id)", conflict: "admin.error.decided") { reason, actor in
                _ = try await services.merchantClosures.close(merchantId: id, reason: try AdminReason.required(reason), by: actor)
                return "/admin/reconciliation?closed=1"
            } page: { viewer, input, errors in
                CompliancePages.reconciliation(viewer, try await services.reconciliation.report(), input: input, errors: errors)
            }
        }

        router.get("/admin/audit") { request, context in
            guard let viewer = try await Self.officer(request, context, services) else { return Self.signInFirst(request) }
            let query = request.uri.queryParameters
            var filter: [String: String] = [:]
            for name in ["entityType", "entityId", "actor", "action"] { filter[name] = query.get(name).flatMap { $0.isEmpty ? nil : $0 } }
            let entries = try await services.auditLog.list(
                .init(entityType: filter["entityType"], entityId: filter["entityId"], actor: filter["actor"], action: filter["action"]),
                page: PageRequest(limit: PageRequest.defaultLimit, cursor: query.get("cursor")), for: viewer.userId)
            return Self.html(CompliancePages.audit(viewer, try await services.auditLog.verify(), entries, filter: filter))
        }
    }

    /// The customer lookup's page, with what was found by `name` or `nationalId` (the empty form when neither was given).
    static func lookUpCustomers(_ viewer: Viewer, name: String, nationalId: String, _ context: AppRequestContext,
                                _ services: AppServices) async throws -> Response {
        guard !name.isEmpty || !nationalId.isEmpty else { return html(CompliancePages.customers(viewer, nil, input: [:], errors: [:])) }
        do {
            let search = try services.customerLookup.search(name: name, nationalId: nationalId)
            let found = try await services.customerLookup.list(search, page: PageRequest(limit: PageRequest.maximumLimit),
                                                               by: AdminActor(userId: viewer.userId, requestId: context.requestID))
            return html(CompliancePages.customers(viewer, found, input: ["name": name], errors: [:]))
        } catch let error as AppError {
            // The number typed is never echoed back into the page.
            let field = nationalId.isEmpty ? "name" : "nationalId"
            return html(CompliancePages.customers(viewer, nil, input: ["name": name], errors: [field: viewer.strings["admin.error.search"]]),
                        status: error.status)
        }
    }

    /// The signed-in admin; nil when nobody is signed in. Anyone else is refused (403), never shown the queue.
    static func officer(_ request: Request, _ context: AppRequestContext, _ services: AppServices) async throws -> Viewer? {
        guard let identity = context.identity else { return nil }
        guard identity.role == .admin else { throw AppError.forbidden }
        return try await Viewer.signedIn(request, context, services)
    }

    /// One console decision: the officer's words from the form (`formField`), the decision, and the page it leads
    /// to. A refused decision shows its page again with the words kept and the error at `field` (or, when someone
    /// else decided first, at the top).
    static func decide(_ request: Request, _ context: AppRequestContext, _ services: AppServices, formField: String = "reason",
                       field: String, conflict: String,
                       _ act: (_ text: String, _ actor: AdminActor) async throws -> String,
                       page: (_ viewer: Viewer, _ input: [String: String], _ errors: [String: String]) async throws -> HTML) async throws -> Response {
        guard let viewer = try await officer(request, context, services) else { return redirect("/login?redirect=/admin") }
        let text = try await FormBody.read(request)[formField] ?? ""
        do {
            return redirect(try await act(text, AdminActor(userId: viewer.userId, requestId: context.requestID)))
        } catch let error as AppError where error.status != .notFound {
            return html(try await page(viewer, [field: text], decisionErrors(error, field: field, conflict: conflict, viewer.strings)), status: error.status)
        }
    }

    /// A refused decision in the console's words: a missing or too long reason at its field, a decision
    /// someone else made first, a filed report or the officer's own case at the top.
    static func decisionErrors(_ error: AppError, field: String, conflict: String, _ strings: Strings) -> [String: String] {
        switch error.status {
        case .conflict where error.code == "PAYER_UNAVAILABLE" || error.code == "MERCHANT_UNAVAILABLE":
            return ["form": strings["admin.held.unavailable"]]
        case .conflict where error.code == "PAYMENT_LINK_EXPIRED":
            return ["form": strings["admin.held.link_expired"]]
        case .conflict where error.code == "RELEASE_PROPOSAL_LAPSED":
            return ["form": strings["admin.held.lapsed"]]
        case .conflict where error.code == "RELEASE_CASE_MOVED":
            return ["form": strings["admin.held.caseMoved"]]
        case .conflict where error.code == "RELEASE_ALREADY_PROPOSED":
            return ["form": strings["admin.held.alreadyProposed"]]
        case .conflict:
            return ["form": strings[conflict]]
        case .forbidden where error.code == "SECOND_OFFICER_REQUIRED":
            return ["form": strings["admin.held.secondOfficer"]]
        case .forbidden where error.code == "OWN_CASE":
            return ["form": strings["admin.error.ownCase"]]
        default:
            let issue = error.details.first?.issue
            return [field: issue == "required" ? strings["admin.error.reason"] : FieldErrors.message(error, strings)]
        }
    }
}
