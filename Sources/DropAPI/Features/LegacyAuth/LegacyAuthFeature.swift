import Hummingbird

/// Email and password sign-in does not exist at Drop: people sign in with BankID. The old
/// endpoints answer 410 so clients learn that instead of guessing from a 404.
struct LegacyAuthFeature: AppFeature {
    func addRoutes(to router: Router<AppRequestContext>, services: AppServices) {
        let gone: @Sendable (Request, AppRequestContext) async throws -> Response = { _, _ in
            throw AppError.gone("Email and password sign-in is not available. Sign in with BankID: GET /v1/auth/bankid/start.")
        }
        router.post("/v1/auth/login", use: gone)
        router.post("/v1/auth/register", use: gone)
        router.post("/v1/auth/password/:action", use: gone)
    }
}
