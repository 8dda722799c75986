import Foundation
import Logging

/// The sandbox's memory: applicants, access tokens and the webhook outbox, saved to its own JSON
/// file after every change (atomically: written aside, then renamed) and read back at start.
/// An actor, so route handlers and the webhook deliverer never see half an update.
actor SumsubSandboxStore {
    private var state: SumsubSandboxState
    /// Webhooks being delivered right now; not saved, so a restart retries them.
    private var delivery = SandboxWebhookOutbox<SumsubSandboxOutboxWebhook>()
    private let fileURL: URL
    private let policy: SumsubSandboxReviewPolicy
    private let logger: Logger

    init(stateFilePath: String, policy: SumsubSandboxReviewPolicy, logger: Logger) throws {
        fileURL = URL(fileURLWithPath: stateFilePath)
        self.policy = policy
        self.logger = logger
        state = try Self.load(path: stateFilePath)
    }

    // MARK: Applicants

    func createApplicant(
        externalUserId: String, levelName: String, clientId: String,
        fixedInfo: SumsubSandboxApplicant.FixedInfo?, email: String?, phone: String?, at date: Date
    ) throws -> SumsubSandboxApplicant {
        if let existing = applicant(externalUserId: externalUserId) {
            throw SumsubSandboxStoreError.duplicateExternalUserId(existingApplicantId: existing.id)
        }
        let applicant = SumsubSandboxApplicant(
            id: SumsubSandboxIdentifiers.objectId(at: date),
            inspectionId: SumsubSandboxIdentifiers.objectId(at: date),
            externalUserId: externalUserId, clientId: clientId, createdAt: date,
            fixedInfo: fixedInfo, email: email, phone: phone,
            review: .init(
                reviewId: SumsubSandboxIdentifiers.shortId(), attemptId: SumsubSandboxIdentifiers.shortId(),
                attemptCnt: 0, levelName: levelName, createDate: date, reviewDate: nil,
                reviewStatus: "init", reviewResult: nil
            ),
            tags: []
        )
        state.applicants[applicant.id] = applicant
        try save()
        return applicant
    }

    func applicant(id: String) -> SumsubSandboxApplicant? {
        state.applicants[id]
    }

    func applicant(externalUserId: String) -> SumsubSandboxApplicant? {
        state.applicants.values.first { $0.externalUserId == externalUserId }
    }

    /// Forgets the applicant with everything that names them (tokens, undelivered webhooks); the answer is their
    /// last view, as Sumsub answers the deactivation with the profile. Refused while the review runs.
    func deactivateApplicant(id: String) throws -> SumsubSandboxApplicant {
        guard let applicant = state.applicants[id] else { throw SumsubSandboxStoreError.applicantNotFound }
        guard !["pending", "queued", "prechecked"].contains(applicant.review.reviewStatus) else {
            throw SumsubSandboxStoreError.submissionNotAccepted(reviewStatus: applicant.review.reviewStatus)
        }
        state.applicants[id] = nil
        state.accessTokens = state.accessTokens.filter { $0.value.userId != applicant.externalUserId }
        state.outbox.removeAll { $0.applicantId == id }
        try save()
        logger.info("sumsub sandbox deactivated an applicant", metadata: ["applicant_id": "\(id)"])
        return applicant
    }

    // MARK: Access tokens

    func issueAccessToken(userId: String, levelName: String, ttlSeconds: Int, at date: Date) throws -> SumsubSandboxAccessToken {
        // Forget expired tokens here, so the file does not grow with every start of the WebSDK.
        state.accessTokens = state.accessTokens.filter { $0.value.isValid(at: date) }
        let token = SumsubSandboxAccessToken(
            token: SumsubSandboxIdentifiers.accessToken(), userId: userId, levelName: levelName,
            expiresAt: date.addingTimeInterval(TimeInterval(ttlSeconds))
        )
        state.accessTokens[token.token] = token
        try save()
        return token
    }

    /// The applicant a still-valid token was issued for.
    func applicant(accessToken: String, at date: Date) -> SumsubSandboxApplicant? {
        guard let token = state.accessTokens[accessToken], token.isValid(at: date) else { return nil }
        return applicant(externalUserId: token.userId)
    }

    // MARK: Reviews

    /// The WebSDK's submit: the applicant goes `pending`, is reviewed at once by the sandbox
    /// person rules, and `applicantPending` then `applicantReviewed` are queued.
    func submit(accessToken: String, at date: Date) throws -> SumsubSandboxApplicant {
        guard var applicant = applicant(accessToken: accessToken, at: date) else {
            throw SumsubSandboxStoreError.invalidAccessToken
        }
        guard applicant.acceptsSubmission else {
            throw SumsubSandboxStoreError.submissionNotAccepted(reviewStatus: applicant.review.reviewStatus)
        }
        if applicant.review.attemptCnt > 0 { applicant.review.attemptId = SumsubSandboxIdentifiers.shortId() }
        applicant.review.attemptCnt += 1
        applicant.review.reviewStatus = "pending"
        applicant.review.reviewResult = nil
        applicant.review.reviewDate = nil
        try enqueueWebhook(type: "applicantPending", for: applicant, at: date)

        let decision = policy.decision(for: applicant.fixedInfo)
        applicant.review.reviewStatus = "completed"
        applicant.review.reviewResult = decision.result
        applicant.review.reviewDate = date
        let existingTags = applicant.tags
        applicant.tags = existingTags + decision.tags.filter { !existingTags.contains($0) }
        try enqueueWebhook(type: "applicantReviewed", for: applicant, at: date)

        state.applicants[applicant.id] = applicant
        try save()
        logger.info("sumsub sandbox reviewed an applicant", metadata: [
            "applicant_id": "\(applicant.id)", "answer": "\(decision.result.reviewAnswer)",
        ])
        return applicant
    }

    /// Sumsub's `testCompleted`: finishes the review with the given result and queues `applicantReviewed`.
    func completeReview(applicantId: String, result: SumsubSandboxReviewResult, at date: Date) throws -> SumsubSandboxApplicant {
        guard var applicant = state.applicants[applicantId] else { throw SumsubSandboxStoreError.applicantNotFound }
        applicant.review.attemptCnt = max(applicant.review.attemptCnt, 1)
        applicant.review.reviewStatus = "completed"
        applicant.review.reviewResult = result
        applicant.review.reviewDate = date
        try enqueueWebhook(type: "applicantReviewed", for: applicant, at: date)
        state.applicants[applicant.id] = applicant
        try save()
        return applicant
    }

    // MARK: Webhook outbox

    var undeliveredWebhookCount: Int { state.outbox.count }

    /// Takes the webhooks due at `date`, oldest first per applicant, so Drop sees one applicant's
    /// events in order; `excluding` are those already tried in this round.
    func claimDueWebhooks(at date: Date, excluding attempted: Set<Int>) -> [SumsubSandboxOutboxWebhook] {
        delivery.claimDue(in: state.outbox, at: date, excluding: attempted)
    }

    /// Drop answered 2xx: the webhook leaves the outbox.
    func acknowledge(webhookId: Int) throws {
        delivery.acknowledge(webhookId, in: &state.outbox)
        try save()
    }

    /// Drop did not acknowledge: schedule the next attempt, or give up after the last one.
    /// - Returns: whether another attempt is scheduled.
    @discardableResult
    func recordFailedDelivery(webhookId: Int, at date: Date, retrySchedule: [Duration]) throws -> Bool {
        let failure = delivery.recordFailure(webhookId, in: &state.outbox, at: date, retrySchedule: retrySchedule)
        if case .gaveUp(let webhook) = failure {
            logger.warning("sumsub sandbox gave up on a webhook", metadata: [
                "webhook_id": "\(webhook.id)", "type": "\(webhook.type)", "attempts": "\(webhook.attempts)",
            ])
        }
        try save()
        if case .retryScheduled = failure { return true }
        return false
    }

    private func enqueueWebhook(type: String, for applicant: SumsubSandboxApplicant, at date: Date) throws {
        let body = try SumsubSandboxWebhookPayload(type: type, applicant: applicant, at: date).encoded()
        state.lastWebhookId += 1
        state.outbox.append(SumsubSandboxOutboxWebhook(
            id: state.lastWebhookId, applicantId: applicant.id, type: type, body: body, attempts: 0, nextAttemptAt: date
        ))
    }

    // MARK: Persistence

    private func save() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(state)
        try FileManager.default.createDirectory(at: fileURL.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: fileURL, options: .atomic)
    }

    private static func load(path: String) throws -> SumsubSandboxState {
        guard FileManager.default.fileExists(atPath: path) else { return SumsubSandboxState() }
        let state: SumsubSandboxState
        do {
            state = try JSONDecoder().decode(SumsubSandboxState.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw SumsubSandboxStoreError.unreadableStateFile(reason: "\(error)")
        }
        guard state.version == SumsubSandboxState.currentVersion else {
            throw SumsubSandboxStoreError.unreadableStateFile(reason: "version \(state.version) is not \(SumsubSandboxState.currentVersion)")
        }
        return state
    }
}
