import DropCore
import DropStore
import Foundation

/// The customer as the API shows them (never the pid hash).
public struct UserView: Codable, Sendable, Equatable {
    public let id: String
    public let name: String?
    public let givenName: String?
    public let familyName: String?
    public let birthdate: String?
    public let phone: String?
    public let email: String?
    /// Whether the person has opened the confirmation link sent to `email` (Drop mails only a confirmed address).
    public let emailVerified: Bool
    public let role: UserRole
    public let kycStatus: KYCStatus
    public let locale: String
    public let createdAt: Date

    public init(_ user: UserRecord) {
        id = user.id
        name = user.name
        givenName = user.givenName
        familyName = user.familyName
        birthdate = user.birthdate
        phone = user.phone
        email = user.email
        emailVerified = user.email != nil && user.emailVerifiedAt != nil
        role = user.role
        kycStatus = user.kycStatus
        locale = user.locale
        createdAt = user.createdAt
    }
}
