import Foundation
import Hummingbird

/// The `/resources/...` API: every call signed with an app token, answers in Sumsub's shapes.
extension SumsubSandbox {
    /// Larger bodies are refused before any work: the API only takes small JSON documents.
    static let maximumRequestBytes = 256 * 1024
    private static let maximumTokenLifetimeSeconds = 24 * 3_600

    func createApplicant(_ request: Request) async -> Response {
        struct Body: Decodable {
            let externalUserId: String?
            let email: String?
            let phone: String?
            let fixedInfo: SumsubSandboxApplicant.FixedInfo?
        }
        return await authenticated(request) { bytes in
            guard let levelName = request.uri.queryParameters.get("levelName"), !levelName.isEmpty else {
                return SumsubSandboxResponses.error(.badRequest, "levelName is required")
            }
            guard configuration.levelNames.contains(levelName) else {
                return SumsubSandboxResponses.error(.notFound, "Level '\(levelName)' not found")
            }
            guard let body = try? JSONDecoder().decode(Body.self, from: Data(bytes)) else {
                return SumsubSandboxResponses.error(.badRequest, "Invalid JSON body")
            }
            guard let externalUserId = body.externalUserId, !externalUserId.isEmpty else {
                return SumsubSandboxResponses.error(.badRequest, "externalUserId is required")
            }
            do {
                let applicant = try await store.createApplicant(
                    externalUserId: externalUserId, levelName: levelName, clientId: configuration.clientId,
                    fixedInfo: body.fixedInfo, email: body.email, phone: body.phone, at: now()
                )
                return SumsubSandboxResponses.json(applicant.json, status: .created)
            } catch SumsubSandboxStoreError.duplicateExternalUserId(let existingId) {
                return SumsubSandboxResponses.error(
                    .conflict, "Applicant with external user id '\(externalUserId)' already exists: \(existingId)"
                )
            }
        }
    }

    /// `GET …/{id}/one` and `GET …/-;externalUserId={ext}/one`.
    func applicant(_ request: Request, reference: String) async -> Response {
        await authenticated(request) { _ in
            guard let applicant = await applicant(reference: reference) else {
                return SumsubSandboxResponses.error(.notFound, "Applicant not found")
            }
            return SumsubSandboxResponses.json(applicant.json)
        }
    }

    func applicantStatus(_ request: Request, applicantId: String) async -> Response {
        await authenticated(request) { _ in
            guard let applicant = await applicant(reference: applicantId) else {
                return SumsubSandboxResponses.error(.notFound, "Applicant not found")
            }
            return SumsubSandboxResponses.json(applicant.statusJSON)
        }
    }

    /// `PATCH …/{id}/presence/deactivated`: the applicant, their documents, tokens and undelivered webhooks are
    /// forgotten, so every later read answers 404. Refused while a review is running, as Sumsub refuses it.
    func deactivateApplicant(_ request: Request, applicantId: String) async -> Response {
        await authenticated(request) { _ in
            do {
                let applicant = try await store.deactivateApplicant(id: applicantId.removingPercentEncoding ?? applicantId)
                return SumsubSandboxResponses.json(applicant.deactivatedJSON)
            } catch SumsubSandboxStoreError.applicantNotFound {
                return SumsubSandboxResponses.error(.notFound, "Applicant not found")
            } catch SumsubSandboxStoreError.submissionNotAccepted(let status) {
                return SumsubSandboxResponses.error(.badRequest, "Applicant can't be deactivated while its review is \(status)")
            }
        }
    }

    /// Sumsub's sandbox-only `testCompleted`: sets the review result and fires `applicantReviewed`.
    func completeReviewForTesting(_ request: Request, applicantId: String) async -> Response {
        struct Body: Decodable {
            let reviewAnswer: String?
            let rejectLabels: [String]?
            let reviewRejectType: String?
            let moderationComment: String?
            let clientComment: String?
        }
        struct Answer: Encodable {
            let ok = 1
        }
        return await authenticated(request) { bytes in
            guard let body = try? JSONDecoder().decode(Body.self, from: Data(bytes)) else {
                return SumsubSandboxResponses.error(.badRequest, "Invalid JSON body")
            }
            let result: SumsubSandboxReviewResult
            switch (body.reviewAnswer, body.reviewRejectType) {
            case ("GREEN", _):
                result = SumsubSandboxReviewResult(
                    reviewAnswer: "GREEN", moderationComment: body.moderationComment, clientComment: body.clientComment
                )
            case ("RED", let rejectType?) where rejectType == "FINAL" || rejectType == "RETRY":
                guard let labels = body.rejectLabels, !labels.isEmpty else {
                    return SumsubSandboxResponses.error(.badRequest, "rejectLabels are required for RED")
                }
                result = .red(labels: labels, rejectType: rejectType,
                              moderationComment: body.moderationComment, clientComment: body.clientComment)
            case ("RED", _):
                return SumsubSandboxResponses.error(.badRequest, "reviewRejectType must be FINAL or RETRY for RED")
            default:
                return SumsubSandboxResponses.error(.badRequest, "reviewAnswer must be GREEN or RED")
            }
            do {
                _ = try await store.completeReview(applicantId: applicantId, result: result, at: now())
            } catch SumsubSandboxStoreError.applicantNotFound {
                return SumsubSandboxResponses.error(.notFound, "Applicant not found")
            }
            await deliverIfConfigured()
            return SumsubSandboxResponses.json(Answer())
        }
    }

    /// `POST /resources/accessTokens/sdk` `{"userId","levelName","ttlInSecs"}`.
    func issueSDKAccessToken(_ request: Request) async -> Response {
        struct Body: Decodable {
            let userId: String?
            let levelName: String?
            let ttlInSecs: Int?
        }
        return await authenticated(request) { bytes in
            guard let body = try? JSONDecoder().decode(Body.self, from: Data(bytes)) else {
                return SumsubSandboxResponses.error(.badRequest, "Invalid JSON body")
            }
            return await issueAccessToken(userId: body.userId, levelName: body.levelName, ttlSeconds: body.ttlInSecs)
        }
    }

    /// The older `POST /resources/accessTokens?userId=&levelName=&ttlInSecs=`.
    func issueLegacyAccessToken(_ request: Request) async -> Response {
        await authenticated(request) { _ in
            let query = request.uri.queryParameters
            return await issueAccessToken(
                userId: query.get("userId"), levelName: query.get("levelName"),
                ttlSeconds: query.get("ttlInSecs").flatMap { Int($0) }
            )
        }
    }

    private func issueAccessToken(userId: String?, levelName: String?, ttlSeconds: Int?) async -> Response {
        struct Answer: Encodable {
            let token: String
            let userId: String
        }
        guard let userId, !userId.isEmpty else {
            return SumsubSandboxResponses.error(.badRequest, "userId is required")
        }
        guard let levelName, configuration.levelNames.contains(levelName) else {
            return SumsubSandboxResponses.error(.notFound, "Level '\(levelName ?? "")' not found")
        }
        let ttl = ttlSeconds ?? 600
        guard (1...Self.maximumTokenLifetimeSeconds).contains(ttl) else {
            return SumsubSandboxResponses.error(.badRequest, "ttlInSecs must be between 1 and \(Self.maximumTokenLifetimeSeconds)")
        }
        do {
            let token = try await store.issueAccessToken(userId: userId, levelName: levelName, ttlSeconds: ttl, at: now())
            return SumsubSandboxResponses.json(Answer(token: token.token, userId: token.userId))
        } catch {
            return internalError(error)
        }
    }

    // MARK: Helpers

    /// An applicant id, or `-;externalUserId=<ext>` as Sumsub allows in paths.
    private func applicant(reference: String) async -> SumsubSandboxApplicant? {
        let decoded = reference.removingPercentEncoding ?? reference
        let externalPrefix = "-;externalUserId="
        if decoded.hasPrefix(externalPrefix) {
            return await store.applicant(externalUserId: String(decoded.dropFirst(externalPrefix.count)))
        }
        return await store.applicant(id: decoded)
    }

    /// Reads the body, checks the app-token signature over the exact request, then runs `handle`.
    /// Refusals all look the same to the caller, as at Sumsub; the reason goes to the debug log.
    private func authenticated(_ request: Request, _ handle: ([UInt8]) async throws -> Response) async -> Response {
        var request = request
        let body: [UInt8]
        do {
            body = Array(try await request.collectBody(upTo: Self.maximumRequestBytes).readableBytesView)
        } catch {
            return SumsubSandboxResponses.error(.contentTooLarge, "Request body too large")
        }
        if let refusal = authenticator.refusal(
            appToken: request.headers[SumsubSandboxHeaderNames.appToken],
            timestamp: request.headers[SumsubSandboxHeaderNames.timestamp],
            signature: request.headers[SumsubSandboxHeaderNames.signature],
            method: request.method.rawValue,
            target: request.head.path ?? request.uri.string,
            body: body, now: now()
        ) {
            logger.debug("sumsub sandbox refused a request", metadata: ["reason": "\(refusal.rawValue)"])
            return SumsubSandboxResponses.error(.unauthorized, "Invalid signature")
        }
        do {
            return try await handle(body)
        } catch {
            return internalError(error)
        }
    }

    private func internalError(_ error: any Error) -> Response {
        logger.error("sumsub sandbox failed", metadata: ["error": "\(error)"])
        return SumsubSandboxResponses.error(.internalServerError, "Internal error")
    }
}
