import DropCore
import DropStore
import Foundation

/// Makes a customer an admin, or takes it back, from the operator's shell (`drop admin grant|revoke`):
/// the only way to an admin in production, where no sandbox person is one. The customer is found
/// by the peppered hash of their national identity number; the number itself is neither printed,
/// stored nor logged.
public struct AdminRoleService: Sendable {
    let database: Database
    let pidHasher: PidHasher
    let clock: @Sendable () -> Date

    public enum Failure: Error, CustomStringConvertible {
        case invalidNationalId
        case noSuchCustomer
        case operatorNotNamed
        public var description: String {
            switch self {
            case .operatorNotNamed: OperatorName.missing
            case .invalidNationalId: "That is not a valid national identity number."
            case .noSuchCustomer: "No customer with that national identity number; they must sign in with BankID once first."
            }
        }
    }

    /// Sets the role and audits it; returns the customer's id (nothing personal).
    /// `granted` false gives back the role the customer had without it (merchant when they own one).
    @discardableResult
    public func setAdmin(nationalId: String, granted: Bool, operatorName: String) async throws -> (userId: String, role: UserRole) {
        guard let operatorName = OperatorName.checked(operatorName) else { throw Failure.operatorNotNamed }
        guard let number = try? NationalIdentityNumber(nationalId) else { throw Failure.invalidNationalId }
        let pidHash = pidHasher.hash(number)
        let previousHash = pidHasher.previousHash(number)
        let now = clock()
        return try await database.transaction { db in
            // Mid-rotation the person may still be under the previous pepper (ADR 0034): move them, as sign-in would.
            if let previousHash { try await UserRepository.movePidHash(from: previousHash, to: pidHash, on: db) }
            guard var user = try await UserRepository.find(pidHash: pidHash, on: db), user.deletedAt == nil else { throw Failure.noSuchCustomer }
            let before = user.role
            let ownsMerchant = try await MerchantRepository.find(userId: user.id, on: db) != nil
            user.role = granted ? .admin : ownsMerchant ? .merchant : .user
            user.updatedAt = now
            try await UserRepository.setRole(userId: user.id, to: user.role, at: now, on: db)
            let withdrawn = try await granted ? 0 : HeldTransferService.endProposals(of: user.id, on: db)
            var data = ["from": before.rawValue, "to": user.role.rawValue, "operator": operatorName]
            if withdrawn > 0 { data["releaseProposalsWithdrawn"] = String(withdrawn) }
            try await AuditLog.append(AuditEntry(actor: .system, action: granted ? "user.admin_granted" : "user.admin_revoked",
                                                 entityType: "user", entityId: user.id, data: data), at: now, on: db)
            return (user.id, user.role)
        }
    }
}
