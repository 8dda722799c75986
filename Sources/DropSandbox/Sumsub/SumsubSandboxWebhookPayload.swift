import Foundation

/// The body of an applicant webhook, fields as Sumsub sends them (docs/protocols.md §2). No personal
/// data: Drop fetches the applicant if it needs more.
struct SumsubSandboxWebhookPayload: Encodable {
    let applicantId: String
    let inspectionId: String
    let correlationId: String
    let levelName: String
    let externalUserId: String
    let type: String
    let sandboxMode = true
    let reviewStatus: String
    let createdAtMs: String
    let applicantType = "individual"
    let reviewResult: SumsubSandboxReviewResult?
    let clientId: String

    init(type: String, applicant: SumsubSandboxApplicant, at date: Date) {
        self.applicantId = applicant.id
        self.inspectionId = applicant.inspectionId
        self.correlationId = SumsubSandboxIdentifiers.correlationId()
        self.levelName = applicant.review.levelName
        self.externalUserId = applicant.externalUserId
        self.type = type
        self.reviewStatus = applicant.review.reviewStatus
        self.createdAtMs = SumsubSandboxTimestamps.milliseconds(date)
        self.reviewResult = applicant.review.reviewResult
        self.clientId = applicant.clientId
    }

    func encoded() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}
