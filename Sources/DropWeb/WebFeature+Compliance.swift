import DropAPI
import DropCore
import Foundation
import HTTPTypes
import Hummingbird

/// The compliance console under `/admin`, for admins only: the AML alert queue and its decisions,
/// and suspicious transaction reports from draft to filed. A POST with a sign-in older than the
/// step-up age never reaches these handlers: `StepUpMiddleware` sends the officer to BankID and
/// back to the page, to confirm the action again.
extension WebFeature {
    func addComplianceRoutes(to router: Router<AppRequestContext>, services: AppServices) {
        let maxAge = services.config.adminStepUp.maxAge

        addHeldTransferAndAuditRoutes(to: router, services: services)

        router.get("/admin") { request, context in
            guard try await Self.officer(request, context, services) != nil else { return Self.redirect("/login?redirect=/admin") }
            return Self.redirect("/admin/alerts")
        }

        router.get("/admin/alerts") { request, context in
            guard let viewer = try await Self.officer(request, context, services) else { return Self.redirect("/login?redirect=/admin/alerts") }
            let query = request.uri.queryParameters
            let status = query.get("status").flatMap(AMLAlertStatus.init(rawValue:)) ?? .open
            let page = try await services.amlAlerts.list(.init(status: status),
                                                         page: PageRequest(limit: PageRequest.defaultLimit, cursor: query.get("cursor")))
            return Self.html(CompliancePages.alerts(viewer, page, status: status))
        }

        router.get("/admin/alerts/:id") { request, context in
            guard let viewer = try await Self.officer(request, context, services) else { return Self.redirect("/login?redirect=/admin") }
            let alert = try await services.amlAlerts.find(id: try context.parameters.require("id"))
            return Self.html(CompliancePages.alert(viewer, alert, stepUpMaxAge: maxAge))
        }

        router.post("/admin/alerts/:id/dismiss") { request, context in
            guard let viewer = try await Self.officer(request, context, services) else { return Self.redirect("/login?redirect=/admin") }
            let id = try context.parameters.require("id")
            let reason = try await FormBody.read(request)["reason"] ?? ""
            do {
                _ = try await services.amlAlerts.dismiss(id: id, reason: try AdminReason.required(reason), by: AdminActor(userId: viewer.userId, requestId: context.requestID))
                return Self.redirect("/admin/alerts/\(id)")
            } catch let error as AppError where error.status != .notFound {
                let alert = try await services.amlAlerts.find(id: id)
                return Self.html(CompliancePages.alert(viewer, alert, stepUpMaxAge: maxAge, input: ["dismiss-reason": reason],
                                                       errors: Self.decisionErrors(error, field: "dismiss-reason", conflict: "admin.error.decided", viewer.strings)), status: error.status)
            }
        }

        router.post("/admin/alerts/:id/escalate") { request, context in
            guard let viewer = try await Self.officer(request, context, services) else { return Self.redirect("/login?redirect=/admin") }
            let id = try context.parameters.require("id")
            let reason = try await FormBody.read(request)["reason"] ?? ""
            do {
                let escalated = try await services.amlAlerts.escalate(id: id, reason: try AdminReason.optional(reason),
                                                                      by: AdminActor(userId: viewer.userId, requestId: context.requestID))
                return Self.redirect("/admin/reports/\(escalated.reportId)")
            } catch let error as AppError where error.status != .notFound {
                let alert = try await services.amlAlerts.find(id: id)
                return Self.html(CompliancePages.alert(viewer, alert, stepUpMaxAge: maxAge, input: ["escalate-reason": reason],
                                                       errors: Self.decisionErrors(error, field: "escalate-reason", conflict: "admin.error.decided", viewer.strings)), status: error.status)
            }
        }

        router.get("/admin/reports") { request, context in
            guard let viewer = try await Self.officer(request, context, services) else { return Self.redirect("/login?redirect=/admin/reports") }
            let query = request.uri.queryParameters
            let status = query.get("status").flatMap(STRReportStatus.init(rawValue:)) ?? .draft
            let page = try await services.strReports.list(status: status, userId: nil,
                                                          page: PageRequest(limit: PageRequest.defaultLimit, cursor: query.get("cursor")))
            return Self.html(CompliancePages.reports(viewer, page, status: status))
        }

        router.get("/admin/reports/:id") { request, context in
            guard let viewer = try await Self.officer(request, context, services) else { return Self.redirect("/login?redirect=/admin") }
            let report = try await services.strReports.find(id: try context.parameters.require("id"))
            let notice = request.uri.queryParameters.get("saved") != nil ? viewer.strings["admin.saved"] : nil
            return Self.html(CompliancePages.report(viewer, report, stepUpMaxAge: maxAge, notice: notice))
        }

        router.post("/admin/reports/:id") { request, context in
            guard let viewer = try await Self.officer(request, context, services) else { return Self.redirect("/login?redirect=/admin") }
            let id = try context.parameters.require("id")
            let form = try await FormBody.read(request)
            let typed = ["reason": form["reason"] ?? "", "action": form["action"] ?? ""]
            do {
                _ = try await services.strReports.update(id: id, STRReportPatch(reason: typed["reason"], action: typed["action"]),
                                                         by: AdminActor(userId: viewer.userId, requestId: context.requestID))
                return Self.redirect("/admin/reports/\(id)?saved=1")
            } catch let error as AppError where error.status != .notFound {
                let report = try await services.strReports.find(id: id)
                return Self.html(CompliancePages.report(viewer, report, stepUpMaxAge: maxAge, input: typed,
                                                        errors: Self.decisionErrors(error, field: "reason", conflict: "admin.error.filed", viewer.strings)), status: error.status)
            }
        }

        router.post("/admin/reports/:id/file") { request, context in
            guard let viewer = try await Self.officer(request, context, services) else { return Self.redirect("/login?redirect=/admin") }
            let id = try context.parameters.require("id")
            let reference = (try await FormBody.read(request)["fiuReference"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            do {
                _ = try await services.strReports.file(id: id, STRReportFiling(fiuReference: reference.isEmpty ? nil : reference),
                                                       by: AdminActor(userId: viewer.userId, requestId: context.requestID))
                return Self.redirect("/admin/reports/\(id)")
            } catch let error as AppError where error.status != .notFound {
                let report = try await services.strReports.find(id: id)
                return Self.html(CompliancePages.report(viewer, report, stepUpMaxAge: maxAge, input: ["fiuReference": reference],
                                                        errors: Self.decisionErrors(error, field: "fiuReference", conflict: "admin.error.filed", viewer.strings)), status: error.status)
            }
        }
    }

    func addHeldTransferAndAuditRoutes(to router: Router<AppRequestContext>, services: AppServices) {
        let maxAge = services.config.adminStepUp.maxAge

        router.get("/admin/held") { request, context in
            guard let viewer = try await Self.officer(request, context, services) else { return Self.redirect("/login?redirect=/admin/held") }
            let query = request.uri.queryParameters
            let page = try await services.heldTransfers.list(.init(status: .held), page: PageRequest(limit: PageRequest.defaultLimit, cursor: query.get("cursor")))
            let notice = query.get("released") != nil ? viewer.strings["admin.held.released"]
                : query.get("rejected") != nil ? viewer.strings["admin.held.rejected"] : nil
            return Self.html(CompliancePages.held(viewer, page, notice: notice))
        }

        router.get("/admin/held/:id") { request, context in
            guard let viewer = try await Self.officer(request, context, services) else { return Self.redirect("/login?redirect=/admin/held") }
            let transfer = try await services.heldTransfers.find(id: try context.parameters.require("id"))
            return Self.html(CompliancePages.heldTransfer(viewer, transfer, stepUpMaxAge: maxAge))
        }

        router.post("/admin/held/:id/release") { request, context in
            guard let viewer = try await Self.officer(request, context, services) else { return Self.redirect("/login?redirect=/admin/held") }
            let id = try context.parameters.require("id")
            let reason = try await FormBody.read(request)["reason"] ?? ""
            do {
                // The customer is not at the keyboard: the releasing request's address stands in, as in the API.
                _ = try await services.heldTransfers.release(id: id, reason: try AdminReason.optional(reason),
                                                             by: AdminActor(userId: viewer.userId, requestId: context.requestID), psuIPAddress: context.clientIP)
                return Self.redirect("/admin/held?released=1")
            } catch let error as AppError where error.status != .notFound {
                let transfer = try await services.heldTransfers.find(id: id)
                return Self.html(CompliancePages.heldTransfer(viewer, transfer, stepUpMaxAge: maxAge, input: ["release-reason": reason],
                                                              errors: Self.decisionErrors(error, field: "release-reason", conflict: "admin.error.decided", viewer.strings)),
                                 status: error.status)
            }
        }

        router.post("/admin/held/:id/reject") { request, context in
            guard let viewer = try await Self.officer(request, context, services) else { return Self.redirect("/login?redirect=/admin/held") }
            let id = try context.parameters.require("id")
            let reason = try await FormBody.read(request)["reason"] ?? ""
            do {
                _ = try await services.heldTransfers.reject(id: id, reason: try AdminReason.required(reason),
                                                            by: AdminActor(userId: viewer.userId, requestId: context.requestID))
                return Self.redirect("/admin/held?rejected=1")
            } catch let error as AppError where error.status != .notFound {
                let transfer = try await services.heldTransfers.find(id: id)
                return Self.html(CompliancePages.heldTransfer(viewer, transfer, stepUpMaxAge: maxAge, input: ["reject-reason": reason],
                                                              errors: Self.decisionErrors(error, field: "reject-reason", conflict: "admin.error.decided", viewer.strings)),
                                 status: error.status)
            }
        }

        router.get("/admin/audit") { request, context in
            guard let viewer = try await Self.officer(request, context, services) else { return Self.redirect("/login?redirect=/admin/audit") }
            return Self.html(CompliancePages.audit(viewer, try await services.auditLog.verify()))
        }
    }

    /// The signed-in admin; nil when nobody is signed in. Anyone else is refused (403), never shown the queue.
    static func officer(_ request: Request, _ context: AppRequestContext, _ services: AppServices) async throws -> Viewer? {
        guard let identity = context.identity else { return nil }
        guard identity.role == .admin else { throw AppError.forbidden }
        return try await Viewer.signedIn(request, context, services)
    }

    /// A refused decision in the console's words: a missing or too long reason at its field, a decision
    /// someone else made first or a filed report at the top.
    static func decisionErrors(_ error: AppError, field: String, conflict: String, _ strings: Strings) -> [String: String] {
        switch error.status {
        case .conflict:
            return ["form": strings[conflict]]
        default:
            let issue = error.details.first?.issue
            return [field: issue == "required" ? strings["admin.error.reason"] : FieldErrors.message(error, strings)]
        }
    }
}
