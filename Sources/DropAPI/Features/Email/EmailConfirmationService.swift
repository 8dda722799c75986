import DropCore
import DropStore
import Foundation

/// Confirming a customer's email address: the link goes out when the address is set or changed
/// (or the person asks again), and opening it marks the address confirmed. Drop mails nothing
/// else to an address until then, so a mistyped address never gets someone else's transfers.
public struct EmailConfirmationService: Sendable {
    let database: Database
    let publicBaseURL: PublicBaseURL
    let config: AppConfig
    let clock: @Sendable () -> Date

    /// The job that sends the confirmation email; its payload names the user, never the address.
    public static let jobKind = "email.confirm-address"

    var links: EmailVerification { EmailVerification(secret: config.secrets.jwtSecret) }

    /// Queues the confirmation email in the caller's transaction. Asking again for the same address
    /// within the same minute queues nothing more, so a held-down button can't flood an inbox; a
    /// corrected address gets its link at once. The key holds a hash of the address, not the address.
    /// Each email queued counts against the day's `ConfirmationMailBudget` (429 past it).
    static func queue(userId: String, address: String, at now: Date, on db: DatabaseConnection) async throws {
        let slot = Int(now.timeIntervalSince1970 / 60)
        guard try await JobQueue.enqueue(kind: jobKind, payload: #"{"userId":"\#(userId)"}"#, runAt: now, maxAttempts: 8,
                                         dedupeKey: "\(jobKind):\(userId):\(Hex.sha256(of: address.lowercased()).prefix(16)):\(slot)", now: now, on: db)
        else { return }
        try await ConfirmationMailBudget.spend(userId: userId, address: address, at: now, on: db)
    }

    /// Sends the link again. 409 when there is no address, or it is confirmed already.
    public func resend(userId: String, requestID: String) async throws {
        let now = clock()
        try await database.transaction { db in
            guard let user = try await UserRepository.find(id: userId, on: db) else { throw AppError.unauthenticated }
            guard let email = user.email else { throw AppError.conflict("Add an email address first.", code: "NO_EMAIL") }
            guard user.emailVerifiedAt == nil else { throw AppError.conflict("This address is already confirmed.", code: "EMAIL_ALREADY_CONFIRMED") }
            try await Self.queue(userId: userId, address: email, at: now, on: db)
        }
    }

    /// The link in the confirmation email for the user's current address.
    public func link(userId: String, address: String) -> String {
        let token = links.token(userId: userId, address: address, expiresAt: clock().addingTimeInterval(EmailVerification.validity))
        return publicBaseURL.url + "/email/confirm?token=" + token
    }

    /// Opens a link: the address it was sent to is confirmed, if it is still the customer's.
    /// Opening it twice is fine. Errors: 400 `LINK_INVALID`, 410 `LINK_EXPIRED`, 409 `EMAIL_CHANGED`.
    @discardableResult
    public func confirm(token: String, requestID: String) async throws -> UserRecord {
        let now = clock()
        let claim: EmailVerification.Claim
        do {
            claim = try links.verify(token, now: now)
        } catch .expired {
            throw AppError(.gone, code: "LINK_EXPIRED", message: "This link has expired. Ask for a new one on your profile.")
        } catch {
            throw AppError(.badRequest, code: "LINK_INVALID", message: "This link is not valid. Copy the whole link from the email.")
        }
        return try await database.transaction { db in
            guard var user = try await UserRepository.find(id: claim.userId, on: db), let email = user.email, claim.isFor(email),
                  try await UserRepository.confirmEmail(userId: user.id, email: email, at: now, on: db) else {
                throw AppError.conflict("The address on your profile has changed since this link was sent. Use the link in the newest email.",
                                        code: "EMAIL_CHANGED")
            }
            if user.emailVerifiedAt == nil {
                try await AuditLog.append(AuditEntry(actor: .user(id: user.id), action: "user.email_confirmed", entityType: "user",
                                                     entityId: user.id, requestId: requestID), at: now, on: db)
                user.emailVerifiedAt = now
            }
            return user
        }
    }
}
