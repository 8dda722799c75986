import HTTPTypes

extension HTTPField.Name {
    static let xRequestID = Self("x-request-id")!
    static let xCSRFToken = Self("x-csrf-token")!
    static let xForwardedFor = Self("x-forwarded-for")!
    /// RFC 7239, preferred over `x-forwarded-for` when present.
    static let forwarded = Self("forwarded")!
    static let idempotencyKey = Self("Idempotency-Key")!
    static let rateLimitLimit = Self("RateLimit-Limit")!
    static let rateLimitRemaining = Self("RateLimit-Remaining")!
    static let rateLimitReset = Self("RateLimit-Reset")!
    static let xFrameOptions = Self("X-Frame-Options")!
    static let referrerPolicy = Self("Referrer-Policy")!
    static let permissionsPolicy = Self("Permissions-Policy")!
    static let crossOriginOpenerPolicy = Self("Cross-Origin-Opener-Policy")!
}
