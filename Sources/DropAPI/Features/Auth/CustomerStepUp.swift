import DropCore
import DropStore
import Foundation

/// A customer's change of where their money goes or where Drop reaches them (a recipient's bank
/// details, their email or phone), a raise of their own spending limit, erasing the account or
/// downloading all their data needs a BankID sign-in from the last `CUSTOMER_STEP_UP_MAX_AGE`
/// seconds, as admin writes do (`StepUp`): an app session lasts a week and a browser may be left
/// signed in, and whoever holds it for a minute must not redirect the next transfer, take over the
/// account's mail, close the account for good or carry off every IBAN and payment in it. Asked by the service that knows whether the request changes such a thing, since
/// the same request may change only a nickname.
struct CustomerStepUp: Sendable {
    let policy: StepUpPolicy
    let database: Database

    func isFresh(_ identity: Identity, now: Date) -> Bool {
        policy.isFresh(authenticatedAt: identity.authenticatedAt, now: now)
    }

    /// Returns when the session's BankID sign-in is recent enough at `now`, otherwise `refuse`s.
    func require(_ identity: Identity, for change: Change, requestID: String, now: Date) async throws {
        if isFresh(identity, now: now) { return }
        try await refuse(identity, for: change, requestID: requestID, now: now)
    }

    /// Audits the refusal (`user.step_up_required`: the session and what was asked, no personal data)
    /// in a transaction of its own and throws 401 `STEP_UP_REQUIRED` with the way to BankID.
    func refuse(_ identity: Identity, for change: Change, requestID: String, now: Date) async throws -> Never {
        let data = ["change": change.rawValue, "maxAge": String(policy.maxAge)]
        try await database.transaction { db in
            try await AuditLog.append(AuditEntry(actor: .user(id: identity.userId), action: "user.step_up_required", entityType: "session",
                                                 entityId: identity.sessionId, data: data, requestId: requestID.isEmpty ? nil : requestID),
                                      at: now, on: db)
        }
        throw StepUp.stepUpRequired(maxAge: policy.maxAge, what: change.description)
    }

    /// Thrown inside a transaction that found it needs a step-up, so it rolls back before `refuse` writes.
    struct Needed: Error {}

    enum Change: String, Sendable {
        case recipientPayee = "recipient_payee"
        case contact
        case raisedLimit = "spending_limit_raised"
        case erasure
        case export = "data_export"

        var description: String {
            switch self {
            case .recipientPayee: "Changes to a recipient's name, country, currency or account details"
            case .contact: "Changes to your email address or phone number"
            case .raisedLimit: "Raising a spending limit"
            case .erasure: "Requests to delete your account"
            case .export: "Downloads of all your data"
            }
        }
    }
}
