import DropCore
import DropStore
import Foundation

/// Tracking links for the receiver of a transfer abroad (docs/flows.md, "Tracking link"): the
/// sender shares one and can stop it; anyone holding it sees the page. Only the token's SHA-256
/// is stored, and every share and stop is audited.
public struct TrackingLinkService: Sendable {
    let database: Database
    let publicBaseURL: PublicBaseURL
    let clock: @Sendable () -> Date

    /// A link as the sender gets it, to pass on by SMS, email or a chat app.
    public struct SharedLink: Encodable, Sendable {
        public let url: String
        /// When it stops working: 30 days after the transfer ended; nil (left out of the JSON) while it is under way.
        public let expiresAt: Date?
    }

    /// What the receiver sees: the payer's first name, the amount, where it is, when it should arrive.
    public struct ReceiverView: Encodable, Sendable {
        public let payer: String?
        public let receive: Money?
        public let status: TransferStatus
        public let steps: [TransferProgress.Entry]
        /// The corridor's usual delivery time while the money is on its way (e.g. "same or next business day").
        public let estimatedDelivery: String?
        public let updatedAt: Date
        public let completedAt: Date?
    }

    /// Shares a new link for the user's transfer; an earlier link stops working.
    public func share(transactionId: String, userId: String, requestID: String?) async throws -> SharedLink {
        let now = clock()
        let transfer = try await ownRemittance(transactionId, userId: userId)
        let ended = transfer.endedAt
        guard ReceiverTracking.isOpen(endedAt: ended, now: now) else {
            throw AppError.conflict("This transfer ended more than 30 days ago; there is nothing left to follow.")
        }
        let token = newToken()
        try await database.transaction { db in
            try await TrackingLinkRepository.replace(transactionId: transactionId, userId: userId, tokenSHA256: Hex.sha256(of: token), at: now, on: db)
            _ = try await AuditLog.append(AuditEntry(actor: .user(id: userId), action: "transaction.tracking_shared",
                                                     entityType: "transaction", entityId: transactionId, requestId: requestID), at: now, on: db)
        }
        return SharedLink(url: publicBaseURL.url + "/t/" + token, expiresAt: ended.map { $0.addingTimeInterval(ReceiverTracking.lifetimeAfterEnd) })
    }

    /// Stops sharing: the link answers 404 from now on. Stopping twice is fine.
    public func stop(transactionId: String, userId: String, requestID: String?) async throws {
        let now = clock()
        _ = try await ownRemittance(transactionId, userId: userId)
        try await database.transaction { db in
            guard try await TrackingLinkRepository.delete(transactionId: transactionId, on: db) else { return }
            _ = try await AuditLog.append(AuditEntry(actor: .user(id: userId), action: "transaction.tracking_stopped",
                                                     entityType: "transaction", entityId: transactionId, requestId: requestID), at: now, on: db)
        }
    }

    /// Whether the user's transfer has a link out, and whether one can still be shared (a transfer
    /// abroad that ended less than 30 days ago, or is under way).
    public func sharing(transactionId: String, userId: String) async throws -> (shareable: Bool, isShared: Bool) {
        guard let transfer = try await database.withConnection({ try await TrackingLinkRepository.transfer(transactionId: transactionId, on: $0) }),
              transfer.userId == userId, transfer.kind == .remittance else { return (false, false) }
        let ended = transfer.endedAt
        let shared = try await database.withConnection { try await TrackingLinkRepository.exists(transactionId: transactionId, on: $0) }
        return (ReceiverTracking.isOpen(endedAt: ended, now: clock()), shared)
    }

    /// The receiver's view of the transfer behind `token`, or nil for an unknown, stopped or expired link.
    public func receiverView(token: String) async throws -> ReceiverView? {
        guard ReceiverTracking.isWellFormed(token) else { return nil }
        guard let transfer = try await database.withConnection({ try await TrackingLinkRepository.transfer(tokenSHA256: Hex.sha256(of: token), on: $0) })
        else { return nil }
        let ended = transfer.endedAt
        guard ReceiverTracking.isOpen(endedAt: ended, now: clock()) else { return nil }
        let progress = TransferProgress(remittance: true, status: transfer.status, wasApproved: transfer.wasApproved)
        let underWay = ended == nil
        let delivery = underWay ? transfer.payeeCountry.flatMap(CountryCode.init(rawValue:)).flatMap { country in
            transfer.receive.flatMap { Corridors.find(country: country, currency: $0.currency)?.estimatedDelivery }
        } : nil
        return ReceiverView(
            payer: ReceiverTracking.payerFirstName(givenName: transfer.payerGivenName, fullName: transfer.payerName),
            receive: transfer.receive, status: transfer.status, steps: progress.steps,
            estimatedDelivery: delivery, updatedAt: transfer.updatedAt, completedAt: transfer.completedAt)
    }

    /// The user's own remittance (others' and unknown ids are 404; a QR payment has no receiver to share with).
    private func ownRemittance(_ id: String, userId: String) async throws -> TrackedTransfer {
        guard let transfer = try await database.withConnection({ try await TrackingLinkRepository.transfer(transactionId: id, on: $0) }),
              transfer.userId == userId else {
            throw AppError.notFound("There is no such transaction.")
        }
        guard transfer.kind == .remittance else {
            throw AppError.validation("Only a transfer abroad has a receiver to share it with.")
        }
        return transfer
    }

    private func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return ReceiverTracking.newToken(using: &generator)
    }
}

extension TrackedTransfer {
    /// When the transfer ended for the receiver, nil while under way (DropCore decides).
    var endedAt: Date? { ReceiverTracking.endedAt(status: status, completedAt: completedAt, updatedAt: updatedAt) }
}
