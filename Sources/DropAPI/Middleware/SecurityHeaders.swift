import Hummingbird

/// Browser hardening on every response, errors included (`EdgeMiddleware`): a CSP without inline
/// scripts, no framing, no sniffing, and HSTS wherever Drop is served over HTTPS (outside development).
struct SecurityHeaders: Sendable {
    /// Built once: appended in one go rather than set one by one (no handler sets these itself).
    let fields: HTTPFields

    init(strictTransportSecurity: Bool) {
        var fields: HTTPFields = [
            .contentSecurityPolicy: Self.contentSecurityPolicy,
            .xContentTypeOptions: "nosniff",
            .xFrameOptions: "DENY",
            .referrerPolicy: "strict-origin-when-cross-origin",
            .permissionsPolicy: "camera=(self), geolocation=(), microphone=()",
            .crossOriginOpenerPolicy: "same-origin",
        ]
        if strictTransportSecurity { fields[.strictTransportSecurity] = "max-age=31536000; includeSubDomains" }
        self.fields = fields
    }

    static let contentSecurityPolicy = [
        "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
        "connect-src 'self'", "font-src 'self'", "object-src 'none'", "base-uri 'self'",
        "form-action 'self'", "frame-ancestors 'none'",
    ].joined(separator: "; ")
}
