import DropProviders
import DropStore
import Foundation
import Logging

/// When the retention purge deletes what Drop kept of a customer, Sumsub forgets their applicant too: the
/// passport or ID card images, the selfie and liveness video Drop's KYC had Sumsub collect are Drop's records
/// as controller, kept by its processor, and end when Drop's do (GDPR art. 5(1)(e), 28(3)(g)). Not at erasure:
/// until then they are part of the customer due diligence hvitvaskingsloven § 30 keeps (ADR 0027).
///
/// A job queued in the purge's own transaction, so a crash can't purge the customer and lose the request. It
/// retries through a Sumsub outage (the queue's backoff, capped at an hour, for about a day) and raises
/// `kyc_applicant_not_deleted` on its last failed attempt; a review still running at Sumsub (it refuses then)
/// is waited out the same way.
enum KYCApplicantDeletion {
    static let jobKind = "privacy.forget-kyc-applicant"
    /// About 24 hours of attempts: 10 s doubling to the one-hour cap, then hourly.
    static let maxAttempts = 34

    /// Only Sumsub's id: the customer's row may be gone by the time the job runs.
    struct Payload: Codable, Sendable {
        let applicantId: String
    }

    /// Queued in the purge's DB transaction; once per applicant however often the purge meets them.
    static func queue(applicantId: String, at now: Date, on db: DatabaseConnection) async throws {
        try await JobQueue.enqueue(kind: jobKind, payload: String(decoding: try JSON.encoder.encode(Payload(applicantId: applicantId)), as: UTF8.self), runAt: now,
                                   maxAttempts: maxAttempts, dedupeKey: "\(jobKind):\(applicantId)", now: now, on: db)
    }

    static func run(_ job: Job, services: AppServices) async throws {
        let payload = try JSONDecoder().decode(Payload.self, from: Data(job.payload.utf8))
        do {
            try await services.identityVerification.wrapped.deactivateApplicant(applicantId: payload.applicantId)
        } catch {
            if job.attempts >= job.maxAttempts {
                let now = services.clock()
                try await services.database.transaction { db in
                    try await OperationsAlertRepository.raise(
                        .kycApplicantNotDeleted, entityType: "kyc_applicant", entityId: payload.applicantId,
                        details: NotDeleted(job: job.id, attempts: job.attempts, error: String(describing: type(of: error))),
                        dedupeKey: "kyc_applicant_not_deleted:\(payload.applicantId)", at: now, on: db)
                }
            }
            throw error
        }
    }

    /// The alert's details: the job to re-queue once Sumsub takes the request, and what the last attempt met.
    struct NotDeleted: Encodable {
        let job: String
        let attempts: Int
        let error: String
    }
}
