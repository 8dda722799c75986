import DropCore
import Testing

@Suite("A returning person's compliance standing")
struct ComplianceStandingTests {
    @Test func aPersonWithNoEarlierAccountStartsAfresh() {
        #expect(ComplianceStanding.carriedOver(from: []) == .newCustomer)
    }

    @Test func hitsTheHighestRatingAndAFinalRejectionCarryOverAnApprovalDoesNot() {
        let approvedPEP = ComplianceStanding(kycStatus: .approved, isPEP: true, isSanctioned: false, riskLevel: .medium)
        #expect(ComplianceStanding.carriedOver(from: [approvedPEP])
                == ComplianceStanding(kycStatus: .none, isPEP: true, isSanctioned: false, riskLevel: .medium))
        let rejectedSanctioned = ComplianceStanding(kycStatus: .rejected, isPEP: false, isSanctioned: true, riskLevel: .high)
        #expect(ComplianceStanding.carriedOver(from: [approvedPEP, rejectedSanctioned])
                == ComplianceStanding(kycStatus: .rejected, isPEP: true, isSanctioned: true, riskLevel: .high))
        // A rejection that asked for a retry is not final.
        let retry = ComplianceStanding(kycStatus: .retry, isPEP: false, isSanctioned: false, riskLevel: .low)
        #expect(ComplianceStanding.carriedOver(from: [retry]) == .newCustomer)
    }
}
