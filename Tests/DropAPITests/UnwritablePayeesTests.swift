import DropCore
import DropKit
import DropStore
import Foundation
import SQLKit
import Testing
@testable import DropAPI

/// Recipients saved before payments abroad had to be in Latin letters: Kari is told once, the API shows
/// them not payable, and a standing transfer paying such a payee is stopped rather than left to take
/// money each month for a payout that fails (`UnwritablePayees`).
@Suite(.serialized) struct UnwritablePayeesTests {
    /// Kari's recipient and the order paying it as Drop stored them before the rule: a Ukrainian payee
    /// written in Cyrillic (`UPDATE`d directly, as the validator now refuses it).
    static func makeUkrainianInCyrillic(_ server: LiveServer, recipientId: String, orderId: String?) async throws {
        try await server.services.database.withConnection { db in
            try await db.raw("""
                UPDATE recipients SET name = \(bind: "Олена Коваль"), country = 'UA', currency = 'UAH', iban = 'UA213223130000026007233566001',
                       bic = 'PBANUA2X', address_city = \(bind: "Київ") WHERE id = \(bind: recipientId)
                """).run()
            if let orderId {
                try await db.raw("""
                    UPDATE standing_orders SET payee_name = \(bind: "Олена Коваль"), payee_country = 'UA', payee_currency = 'UAH', receive_currency = 'UAH',
                           payee_iban = 'UA213223130000026007233566001', payee_bic = 'PBANUA2X', payee_address_city = \(bind: "Київ")
                    WHERE id = \(bind: orderId)
                    """).run()
            }
        }
    }

    @Test func kariIsToldOnceHerStandingTransferStopsAndAnEditMakesTheRecipientPayable() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let order = try await StandingOrderIntegrityTests.approvedOrder(server, kari)
            #expect(order.status == .active)
            try await Self.makeUkrainianInCyrillic(server, recipientId: kari.recipientId, orderId: order.id)

            let shown = try await server.call(.GET, "/v1/recipients/\(kari.recipientId)", auth: kari.auth).decode(Recipient.self)
            #expect(shown.payable == false && shown.notPayableReason == "characters" && shown.notPayableField == "name")

            let first = try await server.services.standingOrders.handleUnwritablePayees()
            #expect(first == .init(told: 1, stopped: 1))
            // Once: a second run (another worker, a restart) tells nothing more and stops nothing more.
            #expect(try await server.services.standingOrders.handleUnwritablePayees() == .init(told: 0, stopped: 0))
            let told = try await CustomerStepUpTests.notifications(server, kari.auth, kind: "recipient.needs_latin_letters")
            #expect(told.count == 1 && told.first?.data?["recipientId"] == kari.recipientId && told.first?.data?["recipientName"] == "Олена Коваль")
            let stoppedNotice = try await CustomerStepUpTests.notifications(server, kari.auth, kind: "standing_order.payee_not_writable")
            #expect(stoppedNotice.count == 1 && stoppedNotice.first?.data?["standingOrderId"] == order.id)

            // Stopped at Drop and cancelled at her bank, before its next payment day.
            let stored = try #require(try await server.services.database.withConnection { try await StandingOrderRepository.find(id: order.id, on: $0) })
            #expect(stored.status == .stopped && stored.stopReason == "payee_not_writable")
            #expect(await server.sandboxes.bank?.periodicPayments().map(\.status) == ["CANC"])
            // Noted at once when the bank's answer came in time; on a machine too busy for that, by the reconciler's next run.
            if stored.bankCancelledAt == nil { _ = try await server.services.standingOrders.reconcile() }
            let noted = try await server.services.database.withConnection { try await StandingOrderRepository.find(id: order.id, on: $0) }
            #expect(noted?.bankCancelledAt != nil)
            let view = try await server.call(.GET, "/v1/standing-orders/\(order.id)", auth: kari.auth)
            #expect(view.body.contains(#""stopReason":"payee_not_writable""#), "\(view.body)")

            // Written in Latin letters, as on her bank account: payable, and nothing more is said.
            let edited = try await server.call(.PATCH, "/v1/recipients/\(kari.recipientId)",
                                               #"{"name":"Olena Koval","address":{"street":"vul. Khreshchatyk 1","postCode":"01001","city":"Kyiv"}}"#,
                                               auth: kari.auth)
            #expect(edited.status == 200, "\(edited.body)")
            let fixed = try edited.decode(Recipient.self)
            #expect(fixed.payable == true && fixed.notPayableReason == nil && fixed.notPayableField == nil)
            #expect(try await server.services.standingOrders.handleUnwritablePayees() == .init(told: 0, stopped: 0))
            #expect(try await CustomerStepUpTests.notifications(server, kari.auth, kind: "recipient.needs_latin_letters").count == 1)
        }
    }

    @Test func twoWorkersAtOnceTellKariOnce() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            try await Self.makeUkrainianInCyrillic(server, recipientId: kari.recipientId, orderId: nil)
            let service = server.services.standingOrders
            async let one = service.handleUnwritablePayees()
            async let two = service.handleUnwritablePayees()
            let (a, b) = try await (one, two)
            #expect(a.told + b.told == 1)
            #expect(try await CustomerStepUpTests.notifications(server, kari.auth, kind: "recipient.needs_latin_letters").count == 1)
            // Nor later: the notice is stored under the recipient's own id.
            server.clock.advance(6 * 3600)
            #expect(try await service.handleUnwritablePayees() == .init(told: 0, stopped: 0))
        }
    }

    @Test func aRecipientInLatinLettersIsPayableAndNotToldAbout() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let shown = try await server.call(.GET, "/v1/recipients/\(kari.recipientId)", auth: kari.auth).decode(Recipient.self)
            #expect(shown.payable == true && shown.notPayableField == nil)
            #expect(!(try await server.call(.GET, "/v1/recipients/\(kari.recipientId)", auth: kari.auth).body.contains("notPayable")))
            #expect(try await server.services.standingOrders.handleUnwritablePayees() == .init(told: 0, stopped: 0))
        }
    }
}
