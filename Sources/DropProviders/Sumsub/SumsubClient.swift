import AsyncHTTPClient
import Foundation
import Logging

/// Drop's client of the Sumsub API (docs/protocols.md §2), for KYC before the first payment.
///
/// Every request carries Sumsub's app-token signature (`SumsubRequestSigner`) over the exact
/// request target and body. Calls go through `ResilientHTTPClient`: GETs are retried on transient
/// failures, everything shares Sumsub's circuit breaker. Base URL: `https://api.sumsub.com` in
/// production, e.g. `http://127.0.0.1:8080/sandbox/sumsub` in development; a path in the base URL
/// is part of what is signed, as it is part of what is sent.
///
/// - Throws from every call: `SumsubError` when Sumsub answers 4xx with its error body;
///   `ProviderError` for transport trouble, 5xx/429 and unreadable answers; `CancellationError`.
public struct SumsubClient: Sendable {
    public static let providerName = "sumsub"
    public static let defaultLevelName = "basic-kyc-level"

    /// The verification level applicants are created in and tokens issued for (case-sensitive).
    public let levelName: String
    private let baseURL: String
    /// The path part of `baseURL` ("" for Sumsub itself), which prefixes every signed target.
    private let basePath: String
    private let signer: SumsubRequestSigner
    private let http: ResilientHTTPClient
    private let now: @Sendable () -> Date
    private let logger: Logger

    public init(
        baseURL: String,
        appToken: String,
        secretKey: String,
        levelName: String = SumsubClient.defaultLevelName,
        http: ResilientHTTPClient,
        now: @escaping @Sendable () -> Date = { Date() },
        logger: Logger = Logger(label: "drop.providers.sumsub")
    ) {
        var trimmed = baseURL
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        self.baseURL = trimmed
        self.basePath = Self.path(of: trimmed)
        self.levelName = levelName
        self.signer = SumsubRequestSigner(appToken: appToken, secretKey: secretKey)
        self.http = http
        self.now = now
        self.logger = logger
    }

    /// Uses `httpClient` with Drop's default retries and a breaker of its own.
    public init(
        baseURL: String,
        appToken: String,
        secretKey: String,
        levelName: String = SumsubClient.defaultLevelName,
        httpClient: HTTPClient,
        breaker: CircuitBreaker = CircuitBreaker(provider: SumsubClient.providerName),
        now: @escaping @Sendable () -> Date = { Date() },
        logger: Logger = Logger(label: "drop.providers.sumsub")
    ) {
        let http = ResilientHTTPClient(provider: Self.providerName, httpClient: httpClient, breaker: breaker)
        self.init(
            baseURL: baseURL, appToken: appToken, secretKey: secretKey, levelName: levelName,
            http: http, now: now, logger: logger
        )
    }

    // MARK: Applicants

    /// `POST /resources/applicants?levelName=…`. Not retried (a POST); a second create for the same
    /// `externalUserId` fails with `SumsubError.isConflict`, so after a failed start look the
    /// applicant up with `applicant(byExternalUserId:)` instead of creating again.
    public func createApplicant(
        externalUserId: String, fixedInfo: SumsubFixedInfo, email: String? = nil, phone: String? = nil
    ) async throws -> SumsubApplicant {
        struct Body: Encodable {
            let externalUserId: String
            let email: String?
            let phone: String?
            let fixedInfo: SumsubFixedInfo
        }
        let body = try SumsubJSON.encode(Body(externalUserId: externalUserId, email: email, phone: phone, fixedInfo: fixedInfo))
        let response = try await send(.post, "/resources/applicants?levelName=\(SumsubPercentEncoding.encode(levelName))", body: body)
        let applicant = try decode(SumsubApplicant.self, from: response, answerTo: "create applicant")
        logger.info("sumsub applicant created", metadata: ["applicant_id": "\(applicant.id)"])
        return applicant
    }

    /// `GET /resources/applicants/-;externalUserId=…/one`; nil when Sumsub has no such applicant.
    public func applicant(byExternalUserId externalUserId: String) async throws -> SumsubApplicant? {
        do {
            let response = try await send(
                .get, "/resources/applicants/-;externalUserId=\(SumsubPercentEncoding.encode(externalUserId))/one"
            )
            return try decode(SumsubApplicant.self, from: response, answerTo: "applicant by external user id")
        } catch let error as SumsubError where error.isNotFound {
            return nil
        }
    }

    /// `GET /resources/applicants/{id}/one`: the applicant with its review and `tags` (e.g. `PEP`).
    public func applicant(id applicantId: String) async throws -> SumsubApplicant {
        let response = try await send(.get, "/resources/applicants/\(SumsubPercentEncoding.encode(applicantId))/one")
        return try decode(SumsubApplicant.self, from: response, answerTo: "applicant")
    }

    /// `GET /resources/applicants/{id}/status`: where the review stands and, once completed, its result.
    public func applicantStatus(applicantId: String) async throws -> SumsubReview {
        let response = try await send(.get, "/resources/applicants/\(SumsubPercentEncoding.encode(applicantId))/status")
        return try decode(SumsubReview.self, from: response, answerTo: "applicant status")
    }

    /// `PATCH /resources/applicants/{id}/presence/deactivated`: Sumsub's way for a client to forget an applicant
    /// (documents, selfie and liveness video with it): no one at Sumsub or Drop can read or act on the profile
    /// again, and it no longer counts in duplicate checks. Sumsub refuses it while a review is running (pending,
    /// queued, prechecked). Repeating it is harmless, so it may be retried; an applicant Sumsub no longer has
    /// (404) is already forgotten.
    public func deactivateApplicant(applicantId: String) async throws {
        do {
            _ = try await send(.patch, "/resources/applicants/\(SumsubPercentEncoding.encode(applicantId))/presence/deactivated",
                               idempotent: true)
            logger.info("sumsub applicant deactivated", metadata: ["applicant_id": "\(applicantId)"])
        } catch let error as SumsubError where error.isNotFound {
            return
        }
    }

    // MARK: WebSDK

    /// `POST /resources/accessTokens/sdk`: a token for the WebSDK of the user with this external id.
    /// Issuing another token is harmless, so this POST may be retried.
    public func sdkAccessToken(userId: String, ttlSeconds: Int = 600) async throws -> SumsubAccessToken {
        struct Body: Encodable {
            let userId: String
            let levelName: String
            let ttlInSecs: Int
        }
        let body = try SumsubJSON.encode(Body(userId: userId, levelName: levelName, ttlInSecs: ttlSeconds))
        let response = try await send(.post, "/resources/accessTokens/sdk", body: body, idempotent: true)
        return try decode(SumsubAccessToken.self, from: response, answerTo: "sdk access token")
    }

    /// The sandbox's WebSDK page for `accessToken` (`{baseURL}/websdk?accessToken=…&returnUrl=…`),
    /// which returns the browser to `returnURL` after submitting. Against real Sumsub the app embeds
    /// Sumsub's WebSDK with the token instead.
    public func webSDKURL(accessToken: String, returnURL: String? = nil) -> String {
        var url = "\(baseURL)/websdk?accessToken=\(SumsubPercentEncoding.encode(accessToken))"
        if let returnURL { url += "&returnUrl=\(SumsubPercentEncoding.encode(returnURL))" }
        return url
    }

    // MARK: Transport

    private enum Method: String {
        case get = "GET"
        case post = "POST"
        case patch = "PATCH"
    }

    /// Signs and sends one request; Sumsub's 4xx answers become `SumsubError`.
    private func send(
        _ method: Method, _ pathWithQuery: String, body: [UInt8]? = nil, idempotent: Bool? = nil
    ) async throws -> ProviderResponse {
        var request = HTTPClientRequest(url: baseURL + pathWithQuery)
        request.method = switch method {
        case .get: .GET
        case .post: .POST
        case .patch: .PATCH
        }
        let timestamp = Int(now().timeIntervalSince1970.rounded(.down))
        let signed = signer.headers(
            timestamp: timestamp, method: method.rawValue, pathWithQuery: basePath + pathWithQuery, body: body ?? []
        )
        for header in signed { request.headers.add(name: header.name, value: header.value) }
        request.headers.add(name: "Accept", value: "application/json")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(body)
        }
        do {
            return try await http.execute(request, idempotent: idempotent)
        } catch ProviderError.http(_, let status, let text) {
            let error = SumsubError(status: status, body: text)
            logger.notice("sumsub refused a request", metadata: [
                "status": "\(status)", "code": "\(error.code.map { String($0) } ?? "-")",
                "correlation_id": "\(error.correlationId ?? "-")",
            ])
            throw error
        }
    }

    private func decode<T: Decodable>(_ type: T.Type, from response: ProviderResponse, answerTo call: String) throws -> T {
        do {
            return try SumsubJSON.decode(type, from: response.body)
        } catch {
            throw ProviderError.decoding(provider: Self.providerName, reason: "\(call): \(error)")
        }
    }

    /// The path of an absolute URL without its trailing slash: "/sandbox/sumsub" or "".
    static func path(of url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return "" }
        let afterScheme = url[schemeEnd.upperBound...]
        guard let slash = afterScheme.firstIndex(of: "/") else { return "" }
        var path = String(afterScheme[slash...])
        if let query = path.firstIndex(where: { $0 == "?" || $0 == "#" }) { path = String(path[..<query]) }
        while path.hasSuffix("/") { path.removeLast() }
        return path
    }
}
