import DropStore
import Foundation

/// The merchant as its owner sees it (`POST /v1/merchants`, `GET /v1/merchants/me`).
public struct MerchantView: Codable, Sendable {
    public let id: String
    public let code: String
    public let organisationNumber: String
    public let name: String
    public let mcc: String
    public let city: String
    public let settlementAccount: String
    /// The owner passed the identity check (and may take payments); Enhetsregisteret is not asked
    /// whether the business is theirs.
    public let verified: Bool
    public let createdAt: Date

    public init(_ record: MerchantRecord) {
        id = record.id
        code = record.code
        organisationNumber = record.organisationNumber
        name = record.name
        mcc = record.mcc
        city = record.city
        settlementAccount = record.settlementAccount
        // Verified at registration and still in good standing: a later verdict takes the mark away.
        verified = record.verified && record.takesPayments
        createdAt = record.createdAt
    }
}

/// What anyone may see about a merchant code (`GET /v1/merchants/{code}`, the pay page).
public struct PublicMerchantView: Codable, Sendable {
    public let code: String
    public let name: String
    public let city: String
    /// Public in Enhetsregisteret: the payer can see which business this says it is.
    public let organisationNumber: String
    /// The owner's identity was checked (BankID, then the identity check), not the business:
    /// "verified" never means Drop confirmed the business is the owner's.
    public let verified: Bool

    public init(_ record: MerchantRecord) {
        code = record.code
        name = record.name
        city = record.city
        organisationNumber = record.organisationNumber
        verified = record.verified && record.takesPayments
    }
}

/// A payment link and what it fixes (`GET /v1/merchants/me/qr`).
public struct PaymentLinkView: Codable, Sendable {
    public let url: String
    public let code: String
    public let amountMinor: Int64?
    public let reference: String?
    public let expiresAt: Date?
}
