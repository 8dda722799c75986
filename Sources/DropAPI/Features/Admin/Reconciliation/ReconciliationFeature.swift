import DropStore
import Hummingbird

/// `GET /v1/admin/reconciliation` (the invariant checker and the open operations alerts),
/// `POST /v1/admin/reconciliation/alerts/{id}/resolve` (an officer handled one), and its two jobs: `transactions.reconcile`
/// asks the banks about payments Drop is unsure of; `reconciliation.check` refreshes the
/// `drop_reconciliation_findings` gauge, so an alert fires when it is not zero.
struct ReconciliationFeature: AppFeature {
    func addRoutes(to router: Router<AppRequestContext>, services: AppServices) {
        let reconciliation = services.reconciliation
        let admin = router.group("/v1/admin/reconciliation").add(middleware: RequireRole(.admin))
        admin.get { _, _ in
            try JSON.response(try await reconciliation.report())
        }
        admin.post("/alerts/:id/resolve") { request, context in
            let input = try await request.decodeJSON(AdminDecisionInput.self, context: context)
            try await reconciliation.resolve(alertId: try context.parameters.require("id"), resolution: try AdminReason.required(input.reason),
                                             by: try AdminActor(context))
            return Response(status: .noContent)
        }
    }

    func addJobs(to jobs: JobRegistry, services: AppServices) {
        jobs.recurring("transactions.reconcile", every: 60) { _ in
            _ = try await services.reconciliation.reconcile()
        }
        jobs.recurring("reconciliation.check", every: 60) { _ in
            _ = try await services.reconciliation.report()
        }
    }
}
