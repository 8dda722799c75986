import Hummingbird

/// Browser hardening on every response, errors included (`EdgeMiddleware`), HSTS wherever Drop is
/// served over HTTPS (outside development).
///
/// A page (HTML, a receipt, an image) gets the full set: a CSP without inline scripts, no framing,
/// no sniffing, a referrer policy, the permissions and the opener policy. A JSON answer is never a
/// page a browser renders with its own resources, so it gets what OWASP's REST guidance asks of an
/// API: a CSP that lets nothing load (`default-src 'none'`), no framing and no sniffing. That is
/// stricter for a JSON opened in a tab, and 300 bytes less on every API answer (bench/README.md).
///
/// An answer that didn't say how it may be kept gets `Cache-Control: no-store`: nearly every answer names
/// someone (a payment, an STR file, a profile), and a browser redraws anything else from its cache when the
/// next person at a shared desk goes Back after sign-out. An answer that says so itself keeps its own: the
/// assets, `/sw.js`, the API docs, the receipts, the live events.
struct SecurityHeaders: Sendable {
    /// Built once each: appended in one go rather than set one by one (no handler sets these itself).
    let page: Variants
    let json: Variants
    /// A page that brought its own content policy (a sandbox standing for another party's site): the rest.
    let pageWithItsOwnPolicy: Variants

    /// A set twice: for an answer that said how it may be kept, and with `no-store` for one that didn't.
    struct Variants: Sendable {
        let keepingItsOwn: HTTPFields
        let notStored: HTTPFields

        init(_ fields: HTTPFields) {
            keepingItsOwn = fields
            var notStored = fields
            notStored[.cacheControl] = "no-store"
            self.notStored = notStored
        }

        func fields(for response: Response) -> HTTPFields {
            response.headers[.cacheControl] == nil ? notStored : keepingItsOwn
        }
    }

    init(strictTransportSecurity: Bool) {
        var page: HTTPFields = [
            .contentSecurityPolicy: Self.pagePolicy,
            .xContentTypeOptions: "nosniff",
            .xFrameOptions: "DENY",
            .referrerPolicy: "strict-origin-when-cross-origin",
            .permissionsPolicy: "camera=(self), geolocation=(), microphone=()",
            .crossOriginOpenerPolicy: "same-origin",
        ]
        var json: HTTPFields = [
            .contentSecurityPolicy: Self.jsonPolicy,
            .xContentTypeOptions: "nosniff",
            .xFrameOptions: "DENY",
        ]
        if strictTransportSecurity {
            page[.strictTransportSecurity] = Self.strictTransportSecurity
            json[.strictTransportSecurity] = Self.strictTransportSecurity
        }
        self.page = Variants(page)
        self.json = Variants(json)
        var own = page
        own[.contentSecurityPolicy] = nil
        pageWithItsOwnPolicy = Variants(own)
    }

    /// The set for this response, by what it is and whether it said how it may be kept.
    func fields(for response: Response) -> HTTPFields {
        if response.headers[.contentType]?.hasPrefix("application/json") == true { return json.fields(for: response) }
        return (response.headers[.contentSecurityPolicy] == nil ? page : pageWithItsOwnPolicy).fields(for: response)
    }

    static let pagePolicy = [
        "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
        "connect-src 'self'", "font-src 'self'", "object-src 'none'", "base-uri 'self'",
        "form-action 'self'", "frame-ancestors 'none'",
    ].joined(separator: "; ")

    static let jsonPolicy = "default-src 'none'; frame-ancestors 'none'"

    static let strictTransportSecurity = "max-age=31536000; includeSubDomains"
}
