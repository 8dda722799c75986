/// What Drop asks of its identity-verification (KYC) provider: an applicant per customer, a token
/// for the provider's document-and-selfie SDK, and the review's outcome with the applicant's tags
/// (`PEP`). The decision itself arrives by signed webhook (`SumsubWebhook`).
///
/// `SumsubClient` is the live one (the Sumsub sandbox in development); `InMemoryIdentityVerification`
/// (`Tests/DropProviderFakes`) keeps applicants in memory for tests.
public protocol IdentityVerification: Sendable {
    /// A second create for the same `externalUserId` fails with `SumsubError.isConflict`.
    func createApplicant(externalUserId: String, fixedInfo: SumsubFixedInfo, email: String?, phone: String?) async throws -> SumsubApplicant
    /// Nil when the provider has no applicant for this customer.
    func applicant(byExternalUserId externalUserId: String) async throws -> SumsubApplicant?
    func applicant(id applicantId: String) async throws -> SumsubApplicant
    func applicantStatus(applicantId: String) async throws -> SumsubReview
    /// Has the provider forget the applicant and its documents, when Drop's own records of them end (the retention
    /// purge). One the provider no longer has counts as forgotten.
    func deactivateApplicant(applicantId: String) async throws
    func sdkAccessToken(userId: String, ttlSeconds: Int) async throws -> SumsubAccessToken
    /// Where the browser does the check with `accessToken`, coming back to `returnURL`.
    func webSDKURL(accessToken: String, returnURL: String?) -> String
}

extension SumsubClient: IdentityVerification {}
