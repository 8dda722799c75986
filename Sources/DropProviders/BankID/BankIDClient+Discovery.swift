import AsyncHTTPClient
import Foundation

/// Discovery and JWKS: fetched, checked and cached.
extension BankIDClient {
    /// The provider's discovery document, from the cache while fresh.
    ///
    /// - Throws: `BankIDError.discoveryFailed` (unreadable, or `issuer` is not the configured one),
    ///   `.providerUnavailable`, or `CancellationError`.
    public func discover() async throws -> BankIDProviderMetadata {
        let time = now()
        if let cached = await cache.metadata(now: time, maxAge: metadataLifetime) { return cached }
        do {
            let metadata = try await fetchMetadata()
            await cache.store(metadata, at: time)
            return metadata
        } catch let error as BankIDError {
            // A provider that is briefly down should not stop sign-ins the cache can still serve.
            if case .providerUnavailable = error,
               let stale = await cache.metadata(now: time, maxAge: metadataLifetime, allowStale: true) {
                logger.warning("bankid discovery refresh failed; using the cached document")
                return stale
            }
            throw error
        }
    }

    private func fetchMetadata() async throws -> BankIDProviderMetadata {
        let url = configuration.issuer + "/.well-known/openid-configuration"
        let body = try await get(url, what: "discovery document")
        let metadata: BankIDProviderMetadata
        do {
            metadata = try JSONDecoder().decode(BankIDProviderMetadata.self, from: Data(body))
        } catch {
            throw BankIDError.discoveryFailed(reason: "the discovery document is not valid JSON or lacks required fields")
        }
        // OpenID Connect Discovery §4.3: the document must be the configured issuer's own.
        guard metadata.issuer == configuration.issuer else {
            throw BankIDError.discoveryFailed(reason: "the discovery document names another issuer")
        }
        try Self.checkEndpoints(of: metadata, issuer: configuration.issuer)
        if let algorithms = metadata.idTokenSigningAlgValuesSupported, !algorithms.contains("RS256") {
            throw BankIDError.discoveryFailed(reason: "the provider does not sign ID tokens with RS256")
        }
        logger.debug("bankid discovery document fetched", metadata: ["issuer": "\(metadata.issuer)"])
        return metadata
    }

    /// Each endpoint is a URL, and an https issuer's are https too: the token endpoint gets the client secret
    /// and the code, the JWKS says which signatures count, so none may be read or changed on the way.
    static func checkEndpoints(of metadata: BankIDProviderMetadata, issuer: String) throws(BankIDError) {
        let secure = issuer.lowercased().hasPrefix("https://")
        for endpoint in [metadata.authorizationEndpoint, metadata.tokenEndpoint, metadata.jwksURI] {
            guard let components = URLComponents(string: endpoint), let scheme = components.scheme, components.host != nil else {
                throw BankIDError.discoveryFailed(reason: "an endpoint in the discovery document is not a URL")
            }
            if secure, scheme.lowercased() != "https" {
                throw BankIDError.discoveryFailed(reason: "an endpoint in the discovery document is not https")
            }
        }
    }

    /// The key ring, from the cache while fresh, or fetched again when `refresh` (unknown `kid`).
    func keyRing(refresh: Bool) async throws -> BankIDKeyRing {
        let time = now()
        if !refresh, let cached = await cache.keyRing(now: time, maxAge: metadataLifetime) { return cached }
        let metadata = try await discover()
        do {
            let body = try await get(metadata.jwksURI, what: "JWKS")
            let ring = try await BankIDKeyRing.make(jwks: body)
            await cache.store(ring, at: time)
            logger.debug("bankid JWKS fetched", metadata: ["keys": "\(ring.keyIDs.count)"])
            return ring
        } catch let error as BankIDError {
            if !refresh, case .providerUnavailable = error,
               let stale = await cache.keyRing(now: time, maxAge: metadataLifetime, allowStale: true) {
                logger.warning("bankid JWKS refresh failed; using the cached keys")
                return stale
            }
            throw error
        }
    }

    private func get(_ url: String, what: String) async throws -> [UInt8] {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Accept", value: "application/json")
        do {
            return try await http.execute(request).body
        } catch let error as ProviderError {
            throw Self.mapProviderError(error, what: what)
        }
    }

    static func mapProviderError(_ error: ProviderError, what: String) -> BankIDError {
        switch error {
        case .unavailable(_, let retryAfter): .providerUnavailable(retryAfter: retryAfter)
        case .circuitOpen(_, let retryAfter): .providerUnavailable(retryAfter: retryAfter)
        case .timeout: .providerUnavailable(retryAfter: nil)
        case .http(_, let status, _): .discoveryFailed(reason: "the \(what) answered HTTP \(status)")
        case .decoding(_, let reason): .discoveryFailed(reason: "the \(what) is unreadable: \(reason)")
        case .invalidRequest: .discoveryFailed(reason: "the \(what) URL is not valid")
        }
    }
}
