import DropCore
import Foundation
import SQLKit
import Testing
@testable import DropAPI

/// A PEP hit that ongoing screening finds on a customer already approved raises an alert at once:
/// enhanced due diligence on the relationship and on what is under way, not only at a next payment.
extension KYCTests {
    @Test func aPEPHitFoundOnAnApprovedCustomerRaisesOneAlertForCompliance() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let kariId = try await server.userId(kari.auth)
            let admin = try await server.bearer(ComplianceAdminTests.anders)
            #expect(try await ComplianceAdminTests.alerts(server, admin, "userId=\(kariId)").isEmpty)

            let found = try await Self.deliverReview(server, userId: kariId, answer: "GREEN", labels: ["PEP"], correlationId: "c-pep-found")
            #expect(found.status == 200, "\(found.body)")
            let alerts = try await ComplianceAdminTests.alerts(server, admin, "userId=\(kariId)")
            #expect(alerts.count == 1)
            let alert = try #require(alerts.first)
            #expect(alert.rule == .pep && alert.decision == .alert && alert.status == .open && alert.transactionId == nil)
            // Her payments go on (enhanced due diligence, not a refusal).
            #expect(try await KYCTests.status(server, kari.auth).status == .approved)

            // Told again, nothing new: she is already known as one.
            let again = try await Self.deliverReview(server, userId: kariId, answer: "GREEN", labels: ["PEP"], correlationId: "c-pep-again")
            #expect(again.status == 200, "\(again.body)")
            #expect(try await ComplianceAdminTests.alerts(server, admin, "userId=\(kariId)").count == 1)
        }
    }
}
