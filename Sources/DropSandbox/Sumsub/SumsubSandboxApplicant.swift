import Foundation

/// An applicant as the sandbox keeps it, and its rendering in Sumsub's JSON shapes.
struct SumsubSandboxApplicant: Codable, Sendable {
    /// What the customer fixed at creation; every field optional, as at Sumsub.
    struct FixedInfo: Codable, Sendable, Hashable {
        var firstName: String?
        var lastName: String?
        var dob: String?
        var country: String?
    }

    struct Review: Codable, Sendable {
        var reviewId: String
        var attemptId: String
        var attemptCnt: Int
        var levelName: String
        var createDate: Date
        var reviewDate: Date?
        /// `init` → `pending` → `completed`.
        var reviewStatus: String
        var reviewResult: SumsubSandboxReviewResult?
    }

    let id: String
    let inspectionId: String
    let externalUserId: String
    let clientId: String
    let createdAt: Date
    var fixedInfo: FixedInfo?
    var email: String?
    var phone: String?
    var review: Review
    var tags: [String]

    /// "First Last" from fixedInfo, for the WebSDK page; nil when neither is known.
    var displayName: String? {
        let parts = [fixedInfo?.firstName, fixedInfo?.lastName].compactMap { $0 }.filter { !$0.isEmpty }
        return parts.isEmpty ? nil : parts.joined(separator: " ")
    }

    /// Whether the WebSDK should offer a (new) submission.
    var acceptsSubmission: Bool {
        switch review.reviewStatus {
        case "init": true
        case "completed": review.reviewResult?.allowsResubmission ?? false
        default: false
        }
    }

    // MARK: Wire shapes

    /// The body of `GET /resources/applicants/{id}/status`.
    struct StatusJSON: Encodable {
        let reviewId: String
        let attemptId: String
        let attemptCnt: Int
        let levelName: String
        let createDate: String
        let reviewDate: String?
        let reviewStatus: String
        let reviewResult: SumsubSandboxReviewResult?
        let priority = 0
    }

    /// The body of `POST /resources/applicants` and `GET …/one`.
    struct ApplicantJSON: Encodable {
        let id: String
        let createdAt: String
        let clientId: String
        let inspectionId: String
        let externalUserId: String
        let fixedInfo: FixedInfo?
        let email: String?
        let phone: String?
        let applicantPlatform = "API"
        let review: StatusJSON
        let type = "individual"
        let tags: [String]
        /// Present in the answer to a deactivation: `true`, the profile is deactivated.
        var deleted: Bool? = nil
    }

    var statusJSON: StatusJSON {
        StatusJSON(
            reviewId: review.reviewId, attemptId: review.attemptId, attemptCnt: review.attemptCnt,
            levelName: review.levelName, createDate: SumsubSandboxTimestamps.secondsWithOffset(review.createDate),
            reviewDate: review.reviewDate.map(SumsubSandboxTimestamps.secondsWithOffset),
            reviewStatus: review.reviewStatus, reviewResult: review.reviewResult
        )
    }

    var json: ApplicantJSON {
        ApplicantJSON(
            id: id, createdAt: SumsubSandboxTimestamps.seconds(createdAt), clientId: clientId,
            inspectionId: inspectionId, externalUserId: externalUserId, fixedInfo: fixedInfo,
            email: email, phone: phone, review: statusJSON, tags: tags
        )
    }

    /// The answer to `PATCH …/presence/deactivated`: the profile, marked deleted.
    var deactivatedJSON: ApplicantJSON {
        var answer = json
        answer.deleted = true
        return answer
    }
}
