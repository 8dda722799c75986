import DropKit
import Foundation
import Testing
@testable import DropAPI

extension WebMerchantTests {
    /// Kari's first confirm on a shop's code got no answer from her bank; she changes the amount and
    /// confirms again. That is another payment: the page gives it a key of its own (the first key would
    /// be refused as reused), and the confirm after goes to the bank.
    @Test func aChangedAmountAfterTheBankDidNotAnswerIsConfirmedAsAnotherPayment() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let mona = try await server.registeredMona()
            let kariAPI = try await KYCTests.onboardAndVerify(server, Self.kari).auth
            _ = try await server.connectBank("dnb", auth: kariAPI, as: Self.kari)
            let kari = try await server.webSession(Self.kari)
            let origin = ("origin", server.baseURL)
            let accountId = try await WebSendMoneyTests.mainAccount(server, kari)
            let page = try await server.get("/pay/\(mona.code)", headers: [kari])
            let form = try #require(HTMLForm(html: page.body)).fields.filter { $0.0 != "amount" } + [("bankAccountId", accountId)]

            server.sandboxes.faults.bank.fault = .unavailable
            let unanswered = try await server.postForm("/pay/\(mona.code)", form + [("amount", "45")], headers: [kari, origin])
            #expect(unanswered.status == 503)
            server.sandboxes.faults.bank.fault = nil
            server.clock.advance(61)  // past the breaker's cool-down

            let changed = try await server.postForm("/pay/\(mona.code)", form + [("amount", "99")], headers: [kari, origin])
            #expect(changed.status == 422)
            let firstKey = form.first { $0.0 == "idempotencyKey" }?.1
            let again = try #require(HTMLForm(html: changed.body)).fields
            let newKey = again.first { $0.0 == "idempotencyKey" }?.1
            #expect(newKey != nil && newKey != firstKey)
            let confirmed = try await server.postForm("/pay/\(mona.code)", again.filter { $0.0 != "amount" && $0.0 != "bankAccountId" }
                                                        + [("amount", "99"), ("bankAccountId", accountId)], headers: [kari, origin])
            #expect(confirmed.status == 303 && confirmed.location?.contains("/sandbox/bank") == true, "\(confirmed.status)")
        }
    }
}
