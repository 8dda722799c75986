/// What the sandbox's store refuses, each with the answer Sumsub would give.
enum SumsubSandboxStoreError: Error, Sendable, Hashable {
    /// Another applicant already has this external user id (409, as at Sumsub).
    case duplicateExternalUserId(existingApplicantId: String)
    case applicantNotFound
    /// Unknown, expired, or for a user with no applicant.
    case invalidAccessToken
    /// The applicant's review is pending or finished for good.
    case submissionNotAccepted(reviewStatus: String)
    /// The state file exists but cannot be read.
    case unreadableStateFile(reason: String)
}
