import DropStore
import DropCore
import DropKit
import Foundation
import Testing
@testable import DropAPI

/// A release asks the bank for the payment after it commits; the lost-answer reconciler must not ask
/// beside it.
extension ComplianceAdminTests {
    /// A transfer held for minutes is old by the time it is released: the reconciler, looking for
    /// payments whose bank answer was lost, took it at once while the release's own request was still
    /// running, and asked the bank again (a second approval notification; a bank answering the
    /// duplicate with a refusal failed the transfer just released). It waits a minute from the
    /// release, as it does from a new payment's creation.
    @Test func theReconcilerLeavesAJustReleasedTransferToTheRelease() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let recipient = try await server.call(.POST, "/v1/recipients", Self.kenya, auth: kari.auth)
            let sent = try await Self.send(server, kari, recipient: try recipient.decode(Recipient.self).id, amountMinor: 1_200_000, key: "ke-1")
            let created = try sent.decode(TransactionCreated.self).transaction
            #expect(created.status == .held, "\(sent.body)")
            let id = created.id
            server.clock.advance(10 * 60)  // compliance looks at it ten minutes later

            // The release's request reaches the bank and its answer is lost on the way back: the transfer
            // waits for approval without the bank's payment id, as it does while the request runs.
            let admin = try await server.bearer(Self.anders)
            server.sandboxes.faults.bank.failNext(1, with: .lostAnswer)
            let released = try await server.release(id, #"{"reason":"Documented."}"#, approvedBy: admin)
            #expect(released.status == 503, "\(released.body)")
            #expect(try await Self.transaction(server, admin, id).status == .pendingSCA)
            let bankCalls = server.sandboxes.faults.bank.requestCount
            #expect(try await server.services.reconciliation.reconcile() == 0)
            #expect(server.sandboxes.faults.bank.requestCount == bankCalls)
            // Nor does the invariant checker count it as a payment whose bank answer was lost: it counts from the release too.
            let findings = try await server.services.database.withConnection { try await ReconciliationRepository.findings(now: server.clock.date, on: $0) }
            #expect(!findings.contains { $0.problem == .bankPaymentUnknown }, "\(findings)")

            // A minute on it is learnt, with the same request id: one payment, one approval link for Kari.
            server.clock.advance(61)
            #expect(try await server.services.reconciliation.reconcile() == 1)
            let detail = try await server.get("/v1/transactions/\(id)", headers: [kari.auth]).decode(DropKit.Transaction.self)
            #expect(detail.status == .pendingSCA && detail.scaRedirect != nil)
            let notifications = try await server.get("/v1/notifications", headers: [kari.auth]).decode(NotificationList.self).items
            #expect(notifications.filter { $0.data?["scaRedirect"] != nil }.count == 1)
        }
    }
}
