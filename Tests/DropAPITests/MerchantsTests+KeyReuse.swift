import DropKit
import Foundation
import Testing
@testable import DropAPI

extension MerchantsTests {
    /// The bank is down: the payment is written and waits, and the key's record is forgotten (only a
    /// success is remembered). A retry with the key pays that payment; another request under the key
    /// (another amount) is refused instead of being handed it.
    @Test func anotherPaymentUnderTheKeyOfOneTheBankMissedIsRefused() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let mona = try await server.registeredMona()
            let kari = try await Self.payer(server)
            let body = Self.staticBody(mona.code, amountMinor: 4_500, from: kari.accountId)
            server.sandboxes.faults.bank.fault = .unavailable
            #expect(try await Self.pay(server, kari.auth, key: "qr-retry", body).status == 503)
            server.sandboxes.faults.bank.fault = nil
            server.clock.advance(61)  // past the breaker's cool-down

            let other = try await Self.pay(server, kari.auth, key: "qr-retry", Self.staticBody(mona.code, amountMinor: 9_900, from: kari.accountId))
            #expect(other.status == 422 && other.errorCode == "IDEMPOTENCY_KEY_REUSED", "\(other.body)")
            let retried = try await Self.pay(server, kari.auth, key: "qr-retry", body)
            #expect(retried.status == 201, "\(retried.body)")
            #expect(try retried.decode(TransactionCreated.self).transaction.total.amountMinor == 4_500)
        }
    }
}
