import DropCore
import Foundation

/// The person a verified ID token names.
///
/// Personal data: `description`, `debugDescription` and `dump` show none of it (the national id
/// least of all, which `NationalIdentityNumber` redacts on its own as well).
public struct BankIDIdentity: Sendable, Hashable {
    /// From `nnin_altsub` (BankID), `pid` (ID-porten) or `nin` (Signicat, Vipps); checksum-valid.
    public let nationalId: NationalIdentityNumber
    /// The provider's `sub`: opaque and, at BankID, pairwise (per client). Not the national id.
    public let subject: String
    public let name: String?
    public let givenName: String?
    public let familyName: String?
    /// The `birthdate` claim, or the date the national id carries when the claim is absent.
    public let birthdate: CalendarDate
    /// BankID's own person id (`bankid_altsub`, e.g. `9578-6000-4-351726`), when present.
    public let bankIDPersonalIdentifier: String?
    public let issuer: String
    /// Level of assurance, e.g. `urn:bankid:bid;LOA=4`.
    public let acr: String?
    public let amr: [String]
    /// When the person authenticated (`auth_time`), if the provider says.
    public let authenticatedAt: Date?

    public init(
        nationalId: NationalIdentityNumber, subject: String, name: String?, givenName: String?, familyName: String?,
        birthdate: CalendarDate, bankIDPersonalIdentifier: String?, issuer: String, acr: String?, amr: [String],
        authenticatedAt: Date?
    ) {
        self.nationalId = nationalId
        self.subject = subject
        self.name = name
        self.givenName = givenName
        self.familyName = familyName
        self.birthdate = birthdate
        self.bankIDPersonalIdentifier = bankIDPersonalIdentifier
        self.issuer = issuer
        self.acr = acr
        self.amr = amr
        self.authenticatedAt = authenticatedAt
    }
}

extension BankIDIdentity: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String {
        "BankIDIdentity(issuer: \(issuer), acr: \(acr ?? "-"), personal data redacted)"
    }

    public var debugDescription: String { description }

    /// Keeps `dump()` and debugger summaries away from the personal fields.
    public var customMirror: Mirror {
        Mirror(self, children: ["issuer": issuer, "acr": acr as Any], displayStyle: .struct)
    }
}
