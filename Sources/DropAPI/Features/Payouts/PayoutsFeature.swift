import Foundation
import Hummingbird

/// The payout round trip with the partner, run by the worker: pain.001 out, pain.002 back.
struct PayoutsFeature: AppFeature {
    func addRoutes(to router: Router<AppRequestContext>, services: AppServices) {}

    func addJobs(to jobs: JobRegistry, services: AppServices) {
        jobs.recurring("payouts.submit", every: 30) { _ in
            _ = try await PayoutService(services: services).submitDue()
        }
        jobs.recurring("payouts.poll", every: 30) { _ in
            _ = try await PayoutService(services: services).pollReports()
        }
    }
}
