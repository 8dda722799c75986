import DropProviders
import Foundation
import Hummingbird

/// `GET /v1/exchange-rates` and the `fx.refresh` job that keeps the rates current.
struct ExchangeRatesFeature: AppFeature {
    static let refreshJob = "fx.refresh"
    /// Norges Bank publishes once per business day (~16:00 Oslo); hourly picks it up soon after.
    /// A worker runs the current slot as soon as it starts, so a fresh (development) server has
    /// rates within seconds; the client's retries cover the moments before its own sandbox listens.
    static let refreshInterval: TimeInterval = 3600

    func addRoutes(to router: Router<AppRequestContext>, services: AppServices) {
        let rates = services.exchangeRates
        router.get("/v1/exchange-rates") { request, _ in
            let base = request.uri.queryParameters.get("base") ?? ExchangeRateService.base
            guard base == ExchangeRateService.base else {
                throw AppError.validation("Rates are published against NOK only.",
                                          details: [ErrorDetail(field: "base", issue: "unsupported", message: "Use base=NOK.")])
            }
            let page = try PageRequest(request, defaultLimit: PageRequest.maximumLimit)
            var items = try await rates.latest()
            if let cursor = page.cursor {
                items = items.filter { $0.currency > cursor }
            }
            return try JSON.response(page.page(Array(items.prefix(page.limit + 1)), cursor: \.currency))
        }
    }

    func addJobs(to jobs: JobRegistry, services: AppServices) {
        jobs.recurring(Self.refreshJob, every: Self.refreshInterval) { _ in
            let stored = try await services.exchangeRates.refresh(using: services.ratesFeed.wrapped)
            services.logger.info("exchange rates refreshed", metadata: ["count": .stringConvertible(stored)])
        }
    }
}
