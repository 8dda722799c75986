import DropProviders

/// Sumsub as an `IdentityVerification` fake for tests at the router: one applicant per customer
/// (a second create for the same customer is refused with 409, as Sumsub refuses it), tokens for
/// its SDK, a review a test decides, the applicant's tags, and a provider that can be unreachable.
public actor InMemoryIdentityVerification: IdentityVerification {
    public struct Applicant: Sendable {
        public let id: String
        public let externalUserId: String
        public let fixedInfo: SumsubFixedInfo
        public var review = SumsubReview(reviewStatus: .initial)
        public var tags: [String] = []
    }

    public private(set) var applicants: [String: Applicant] = [:]
    public private(set) var tokensIssued = 0
    private var reachable = true

    public init() {}

    public func setReachable(_ value: Bool) { reachable = value }

    /// What the reviewer decided, and the tags they put on the applicant (`PEP`).
    public func review(_ applicantId: String, _ review: SumsubReview, tags: [String] = []) {
        applicants[applicantId]?.review = review
        applicants[applicantId]?.tags = tags
    }

    /// The applicant is gone at Sumsub (deleted there, or another environment's id): it answers 404.
    public func forget(_ applicantId: String) {
        applicants[applicantId] = nil
    }

    public func applicant(forCustomer externalUserId: String) -> Applicant? {
        applicants.values.first { $0.externalUserId == externalUserId }
    }

    public func createApplicant(externalUserId: String, fixedInfo: SumsubFixedInfo, email: String?, phone: String?) async throws -> SumsubApplicant {
        try reach()
        guard applicant(forCustomer: externalUserId) == nil else {
            throw SumsubError(status: 409, code: 409, message: "Applicant with external user id already exists")
        }
        let id = "applicant-\(applicants.count + 1)"
        applicants[id] = Applicant(id: id, externalUserId: externalUserId, fixedInfo: fixedInfo)
        return view(applicants[id]!)
    }

    public func applicant(byExternalUserId externalUserId: String) async throws -> SumsubApplicant? {
        try reach()
        return applicant(forCustomer: externalUserId).map(view)
    }

    public func applicant(id applicantId: String) async throws -> SumsubApplicant {
        try reach()
        guard let applicant = applicants[applicantId] else { throw SumsubError(status: 404, message: "Applicant not found") }
        return view(applicant)
    }

    public func applicantStatus(applicantId: String) async throws -> SumsubReview {
        try await applicant(id: applicantId).review ?? SumsubReview(reviewStatus: .initial)
    }

    /// Forgets the applicant, as Sumsub's deactivation does; refused while a review is running, as there.
    public func deactivateApplicant(applicantId: String) async throws {
        try reach()
        guard let applicant = applicants[applicantId] else { return }
        guard ![.pending, .queued, .prechecked].contains(applicant.review.reviewStatus) else {
            throw SumsubError(status: 400, message: "Applicant is being reviewed")
        }
        applicants[applicantId] = nil
    }

    public func sdkAccessToken(userId: String, ttlSeconds: Int) async throws -> SumsubAccessToken {
        try reach()
        guard ttlSeconds > 0 else { throw SumsubError(status: 400, message: "ttlInSecs must be positive") }
        tokensIssued += 1
        return SumsubAccessToken(token: "sdk-\(userId)-\(tokensIssued)", userId: userId)
    }

    public nonisolated func webSDKURL(accessToken: String, returnURL: String?) -> String {
        "https://sumsub.test/websdk?accessToken=\(accessToken)"
    }

    private func view(_ applicant: Applicant) -> SumsubApplicant {
        SumsubApplicant(id: applicant.id, externalUserId: applicant.externalUserId, review: applicant.review, tags: applicant.tags)
    }

    private func reach() throws {
        guard reachable else { throw ProviderError.unavailable(provider: SumsubClient.providerName, retryAfter: nil) }
    }
}
