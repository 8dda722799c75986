import DropProviders
import DropStore
import Foundation
import Logging

/// At erasure Drop gives up its read access at the customer's banks: each AIS consent is deleted there. A bank
/// that can't be reached at that moment is asked again by this job, queued in the erasure's own transaction, so
/// neither an outage nor a crash leaves a bank believing Drop may still read an erased customer's accounts.
/// It retries through the outage for about a day (the queue's backoff, as `KYCApplicantDeletion`); after that
/// the consent lapses at the bank by its end date (at most 180 days) and Drop, which terminated it, never uses it.
enum BankConsentDeletion {
    static let jobKind = "privacy.delete-bank-consent"
    /// About 24 hours of attempts: 10 s doubling to the one-hour cap, then hourly.
    static let maxAttempts = 34

    /// The bank and its own id for the consent, nothing naming the customer.
    struct Payload: Codable, Sendable {
        let bank: String
        let consentId: String
    }

    /// Queued in the erasure's DB transaction; once per consent.
    static func queue(bank: String, consentId: String, at now: Date, on db: DatabaseConnection) async throws {
        let payload = String(decoding: try JSON.encoder.encode(Payload(bank: bank, consentId: consentId)), as: UTF8.self)
        try await JobQueue.enqueue(kind: jobKind, payload: payload, runAt: now, maxAttempts: maxAttempts,
                                   dedupeKey: "\(jobKind):\(bank):\(consentId)", now: now, on: db)
    }

    /// Deletes the consent at the bank. A bank's refusal (`OpenBankingError`: unknown, already terminated,
    /// expired) means there is nothing left to revoke; only transport trouble is tried again.
    static func delete(bank: String, consentId: String, openBanking: any OpenBanking) async throws {
        do {
            try await openBanking.deleteConsent(bank: bank, consentId: consentId)
        } catch is OpenBankingError {
            return
        }
    }

    static func run(_ job: Job, services: AppServices) async throws {
        let payload = try JSONDecoder().decode(Payload.self, from: Data(job.payload.utf8))
        do {
            try await delete(bank: payload.bank, consentId: payload.consentId, openBanking: services.openBanking.wrapped)
        } catch {
            if job.attempts >= job.maxAttempts {
                services.logger.notice("bank consent not deleted after a day of attempts; it lapses at the bank by its end date", metadata: [
                    "bank": .string(payload.bank), "error_type": .string(String(describing: type(of: error))),
                ])
            }
            throw error
        }
    }
}
