import DropStore
import Foundation
import Hummingbird

/// Housekeeping that keeps the plumbing tables small: spent rate-limit windows, expired
/// idempotency records and sign-in attempts, finished jobs (failed ones after 30 days), devices long unused, unused quotes.
struct MaintenanceFeature: AppFeature {
    /// How long an unused quote is kept after it expired.
    static let unusedQuoteKept: TimeInterval = 24 * 3600
    /// How long a job that ran out of attempts is kept to look into.
    static let failedJobKept: TimeInterval = 30 * 24 * 3600

    func addRoutes(to router: Router<AppRequestContext>, services: AppServices) {}

    func addJobs(to jobs: JobRegistry, services: AppServices) {
        jobs.recurring("maintenance.purge", every: 300) { _ in
            let now = services.clock()
            // A day's window (complaints, confirmation emails) must outlive its first hour.
            try await RateLimitCounter(database: services.database).purge(before: Int64(now.timeIntervalSince1970) - RateLimitCounter.longestWindow)
            try await IdempotencyStore(database: services.database).purgeExpired(now: now)
            try await JobQueue(database: services.database).purgeFinished(before: now.addingTimeInterval(-7 * 24 * 3600),
                                                                          failedBefore: now.addingTimeInterval(-MaintenanceFeature.failedJobKept))
            try await services.database.withConnection { try await OIDCLoginRepository.purgeExpired(before: now.addingTimeInterval(-24 * 3600), on: $0) }
            // A device unused as long as its cookie lives is forgotten: signing in from it again is told as new.
            try await services.database.withConnection {
                try await KnownDeviceRepository.forget(unusedSince: now.addingTimeInterval(-TimeInterval(SignInDevice.cookieLifetime)), on: $0)
            }
            // Each `POST /v1/quotes` is a row: one nobody used goes a day after it expired (the web
            // offers a new price for an expired one's amount until then).
            _ = try await services.database.withConnection {
                try await QuoteRepository.purgeUnused(expiredBefore: now.addingTimeInterval(-MaintenanceFeature.unusedQuoteKept), on: $0)
            }
        }
    }
}
