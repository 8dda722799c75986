import Hummingbird

/// The inner half of the chain, what decides whether a request may reach its route, in this order
/// (docs/architecture.md, "The request path"):
/// 1. the rate limit, whose `RateLimit-*` headers go on the answer, refusals below it included;
/// 2. the body limit;
/// 3. authentication and CSRF;
/// 4. step-up for admin writes.
///
/// One value rather than four layers for the reason `EdgeMiddleware` gives; each step is its own value.
struct AdmissionMiddleware: Sendable {
    typealias Context = AppRequestContext
    let rateLimiter: RateLimiter
    let bodyLimit: BodyLimit
    let authentication: Authentication
    let stepUp: StepUp

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        guard let limitHeaders = try await rateLimiter.admit(request, context: &context) else {
            return try await admitted(request, context: context, next: next)
        }
        do {
            var response = try await admitted(request, context: context, next: next)
            response.headers.append(contentsOf: limitHeaders)
            return response
        } catch var error as AppError {
            // Refusals count too, so they tell the caller where it stands as well.
            error.headers.append(contentsOf: limitHeaders)
            throw error
        }
    }

    private func admitted(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var request = request
        var context = context
        try bodyLimit.admit(&request)
        try await authentication.admit(request, context: &context)
        if let refusal = try await stepUp.refusal(request, context: context) { return refusal }
        return try await next(request, context)
    }
}
