import Hummingbird

/// A slice of Drop (health, identity, remittance, the web app…). Each adds its own routes and
/// jobs; the application builder only lists features, it never switches over them.
public protocol AppFeature: Sendable {
    func addRoutes(to router: Router<AppRequestContext>, services: AppServices)
    func addJobs(to jobs: JobRegistry, services: AppServices)
    /// Development demo data (the sandbox persons' state); returns what it created.
    func seedDemoData(_ services: AppServices) async throws -> [String]
}

extension AppFeature {
    public func addJobs(to jobs: JobRegistry, services: AppServices) {}
    public func seedDemoData(_ services: AppServices) async throws -> [String] { [] }
}

/// The features that ship in DropAPI itself, in registration order.
public let apiFeatures: [any AppFeature] = [
    HealthFeature(),
    DocsFeature(),
    LegacyAuthFeature(),
    AuthFeature(),
    ProfileFeature(),
    EmailFeature(),
    KYCFeature(),
    BankAccountsFeature(),
    PaymentsFeature(),
    NotificationsFeature(),
    CorridorsFeature(),
    ExchangeRatesFeature(),
    QuotesFeature(),
    RecipientsFeature(),
    SpendingLimitsFeature(),
    TransfersFeature(),
    StandingOrdersFeature(),
    TrackingLinksFeature(),
    MerchantsFeature(),
    PayoutsFeature(),
    ReconciliationFeature(),
    PrivacyFeature(),
    ComplaintsFeature(),
    AMLAlertsFeature(),
    STRReportsFeature(),
    HeldTransfersFeature(),
    AuditLogFeature(),
    AdminUsersFeature(),
    AdminMerchantsFeature(),
    MaintenanceFeature(),
]
