import DropStore
import Hummingbird

/// `GET /v1/admin/reconciliation` (the invariant checker) and its two jobs: `transactions.reconcile`
/// asks the banks about payments Drop is unsure of; `reconciliation.check` refreshes the
/// `drop_reconciliation_findings` gauge, so an alert fires when it is not zero.
struct ReconciliationFeature: AppFeature {
    func addRoutes(to router: Router<AppRequestContext>, services: AppServices) {
        let reconciliation = services.reconciliation
        router.group("/v1/admin/reconciliation").add(middleware: RequireRole(.admin)).get { _, _ in
            try JSON.response(try await reconciliation.report())
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
