/// Where a merchant's owner stands now. A payment to a business is a payment to its owner, so the
/// business takes one only while its owner could: identity check approved, no sanctions hit, not
/// erased. Read when paying, never kept from registration: a later Sumsub verdict or sanctions
/// hit stops the payments at once.
public struct MerchantOwnerStanding: Sendable, Hashable {
    public let kycStatus: KYCStatus
    public let isSanctioned: Bool
    public let erased: Bool

    public init(kycStatus: KYCStatus, isSanctioned: Bool, erased: Bool) {
        self.kycStatus = kycStatus
        self.isSanctioned = isSanctioned
        self.erased = erased
    }

    public var takesPayments: Bool { kycStatus == .approved && !isSanctioned && !erased }
}
