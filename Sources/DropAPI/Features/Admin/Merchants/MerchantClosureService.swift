import DropCore
import DropStore
import Foundation

/// Compliance closing a business for good: one passing as another (`organisation_already_registered`:
/// the runbook's step once brreg.no shows who owns the number), or one that must stop taking payments.
/// In one DB transaction the business is closed (`closed_at`, with who and why on the row), audited
/// (`merchant.closed`, no free text) and its owner told. From then on its code and links answer 409
/// `MERCHANT_UNAVAILABLE`, payments to it still waiting for the payer's approval are cancelled at the
/// bank by `payments.withdraw-unavailable`, and its organisation number is free for the real business.
/// Payments already made to it are followed to their end, as for an owner who lost standing.
public struct MerchantClosureService: Sendable {
    let database: Database
    let clock: @Sendable () -> Date

    public struct Closed: Codable, Sendable, Equatable {
        public let id: String
        public let closedAt: Date
    }

    /// 403 `OWN_CASE` when the business is the officer's, or they claimed its organisation number (`OwnCase`).
    public func close(merchantId: String, reason: String, by actor: AdminActor) async throws -> Closed {
        try await ownCase.business(merchantId, "close", by: actor)
        let now = clock()
        return try await database.transaction { db in
            guard let merchant = try await MerchantRepository.find(id: merchantId, on: db) else {
                throw AppError.notFound("There is no such business.")
            }
            guard try await MerchantRepository.close(id: merchantId, by: actor.userId, reason: reason, at: now, on: db) else {
                throw AppError.conflict("This business is closed already.", code: "MERCHANT_CLOSED")
            }
            try await AuditLog.append(actor.audit("merchant.closed", "merchant", merchantId), at: now, on: db)
            try await NotificationRepository.insert(NotificationRecord(
                userId: merchant.userId, kind: .merchantClosed, title: "Your business was closed",
                body: "Drop closed your business: it takes no new payments. Contact us if you think this is wrong.", createdAt: now), on: db)
            return Closed(id: merchantId, closedAt: now)
        }
    }
}
