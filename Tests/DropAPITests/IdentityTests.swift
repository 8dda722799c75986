@testable import DropAPI
import DropStore
import Foundation
import Testing

/// An identity may carry the customer's record as read with the session (`Identity.userAsChecked`);
/// printed, in a log line or an error report, it names the customer by id only.
@Suite("Identity")
struct IdentityTests {
    @Test func anIdentityReadWithItsCustomerPrintsNoPersonalData() {
        let at = Date(timeIntervalSince1970: 1_796_000_000)
        let kari = UserRecord(id: "u-1", pidHash: "hash-of-the-national-number", name: "Kari Nordmann", givenName: "Kari",
                              familyName: "Nordmann", birthdate: "1990-03-15", phone: "+4791234567", email: "kari@example.no", role: .user,
                              kycStatus: .approved, kycApplicantId: "applicant-1", riskLevel: .low, isPep: false, isSanctioned: false,
                              locale: "nb", createdAt: at, updatedAt: at, deletedAt: nil)
        let identity = Identity(userId: "u-1", sessionId: "s-1", role: .user, transport: .bearer, authenticatedAt: at, userAsChecked: kari)
        for printed in ["\(identity)", String(reflecting: identity), "\([identity])", "\(Optional(identity) as Any)"] {
            #expect(printed.contains("u-1") && printed.contains("s-1"), "\(printed)")
            for personal in ["Kari", "Nordmann", "1990-03-15", "+4791234567", "kari@example.no", "hash-of-the-national-number", "applicant-1"] {
                #expect(!printed.contains(personal), "\(printed)")
            }
        }
    }
}
