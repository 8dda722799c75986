import Testing
@testable import DropCore

@Suite("Whether a merchant's owner lets it take payments")
struct MerchantOwnerStandingTests {
    @Test(arguments: KYCStatus.allCases)
    func onlyAnApprovedUnsanctionedOwnerStillHereTakesPayments(_ status: KYCStatus) {
        #expect(MerchantOwnerStanding(kycStatus: status, isSanctioned: false, erased: false).takesPayments == (status == .approved))
        #expect(!MerchantOwnerStanding(kycStatus: status, isSanctioned: true, erased: false).takesPayments)
        #expect(!MerchantOwnerStanding(kycStatus: status, isSanctioned: false, erased: true).takesPayments)
    }
}
