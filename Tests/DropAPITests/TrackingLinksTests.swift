import DropCore
import DropKit
import DropStore
import Foundation
import Testing
@testable import DropAPI

@Suite("Tracking links for the receiver over HTTP")
struct TrackingLinksTests {
    static func token(_ shared: LiveServer.Reply) throws -> String {
        let link = try #require(try? shared.decode(TrackingLink.self), "share: \(shared.status) \(shared.body)")
        return try #require(link.url.absoluteString.components(separatedBy: "/t/").last)
    }

    static func track(_ server: LiveServer, _ token: String) async throws -> LiveServer.Reply {
        try await server.get("/v1/tracking/\(token)")
    }

    @Test func theReceiverFollowsTheMoneyUntilThirtyDaysAfterItArrived() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let transfer = try await PayoutTests.paidTransfer(server, kari, recipient: RecipientsTests.germany, amountMinor: 250_000)
            let id = transfer.id
            let shared = try await server.request(.POST, "/v1/transactions/\(id)/tracking-link", headers: [kari.auth])
            let link = try shared.decode(TrackingLink.self)
            // Under way: no expiry yet, and the field is not sent at all.
            #expect(try shared.status == 201 && link.expiresAt == nil && !shared.fieldNames().contains("expiresAt"))
            let token = try Self.token(shared)
            #expect(ReceiverTracking.isWellFormed(token) && link.url.absoluteString.hasPrefix(server.baseURL + "/t/"))

            // A stranger with the link, no account: the payer's first name, the amount, where it is.
            let onTheWay = try await Self.track(server, token)
            #expect(onTheWay.status == 200)
            let tracked = try onTheWay.decode(TrackedTransfer.self)
            #expect(tracked.payer == "Kari" && tracked.status == .processing && tracked.receive?.currency == "EUR")
            #expect(tracked.steps.map(\.state) == [.done, .done, .current, .upcoming])
            #expect(tracked.estimatedDelivery != nil)
            // Nothing else about anyone: no surname, no account, no recipient, no ids.
            for secret in ["Nordmann", "Hans", "DE89", id, kari.accountId] { #expect(!onTheWay.body.contains(secret), "\(secret) in \(onTheWay.body)") }

            // Paid out: arrived, and the link lives 30 days more.
            let payouts = server.services.payouts()
            _ = try await payouts.submitDue()
            server.clock.advance(31)
            _ = try await payouts.pollReports()
            let arrived = try await Self.track(server, token).decode(TrackedTransfer.self)
            #expect(arrived.status == .completed && arrived.estimatedDelivery == nil)
            #expect(arrived.steps.allSatisfy { $0.state == .done })
            server.clock.advance(29 * 86_400)
            #expect(try await Self.track(server, token).status == 200)
            server.clock.advance(86_400 + 1)
            #expect(try await Self.track(server, token).status == 404)
            // Kari's 7-day sign-in has lapsed too: she signs in again to try.
            let again = try await server.bearer(TransfersTests.kari)
            let late = try await server.request(.POST, "/v1/transactions/\(id)/tracking-link", headers: [again])
            #expect(late.status == 409)

            let audited = try await server.services.database.withConnection { db in
                try await db.raw("SELECT action FROM audit_log WHERE entity_id = \(bind: id) AND action LIKE 'transaction.tracking%'").all()
                    .map { try $0.decode(column: "action", as: String.self) }
            }
            #expect(audited == ["transaction.tracking_shared"])
        }
    }

    @Test func sharingAgainReplacesTheLinkStoppingEndsItAndOnlyTheSenderCanDoEither() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let sent = try await TransfersTests.send(server, kari, key: "track", body: #"{"recipientId":"\#(kari.recipientId)","amountMinor":20000,"bankAccountId":"\#(kari.accountId)"}"#)
            let id = try sent.decode(TransactionCreated.self).transaction.id
            let first = try Self.token(try await server.request(.POST, "/v1/transactions/\(id)/tracking-link", headers: [kari.auth]))
            #expect(try await Self.track(server, first).decode(TrackedTransfer.self).status == .pendingSCA)
            let second = try Self.token(try await server.request(.POST, "/v1/transactions/\(id)/tracking-link", headers: [kari.auth]))
            #expect(first != second)
            let (replaced, current) = (try await Self.track(server, first), try await Self.track(server, second))
            #expect(replaced.status == 404 && current.status == 200)
            // Only the token's hash is kept.
            let stored = try await server.services.database.withConnection { db in
                try await db.raw("SELECT token_sha256 FROM tracking_links").all().map { try $0.decode(column: "token_sha256", as: String.self) }
            }
            #expect(stored == [Hex.sha256(of: second)])

            // Someone else can't share or stop Kari's transfer; a bad token is just not found.
            let ola = try await server.bearer(DropKitTests.ola)
            #expect(try await server.request(.POST, "/v1/transactions/\(id)/tracking-link", headers: [ola]).status == 404)
            #expect(try await server.request(.DELETE, "/v1/transactions/\(id)/tracking-link", headers: [ola]).status == 404)
            #expect(try await server.request(.POST, "/v1/transactions/\(id)/tracking-link").status == 401)
            for bad in ["x", String(repeating: "A", count: 43), "../../v1/me"] {
                let reply = try await Self.track(server, bad.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? bad)
                #expect(reply.status == 404 && reply.envelope != nil)
            }

            #expect(try await server.request(.DELETE, "/v1/transactions/\(id)/tracking-link", headers: [kari.auth]).status == 204)
            #expect(try await Self.track(server, second).status == 404)
            #expect(try await server.request(.DELETE, "/v1/transactions/\(id)/tracking-link", headers: [kari.auth]).status == 204)
        }
    }

    /// Kari taps "share" twice (PostgreSQL: two requests, no write gate): the second share waited on the
    /// first's new link and then failed on the transfer's one link (500). Each now replaces the link; the
    /// last one shared is the one that works.
    @Test func sharingTwiceAtOnceLeavesOneWorkingLink() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let sent = try await TransfersTests.send(server, kari, key: "track-twice", body: #"{"recipientId":"\#(kari.recipientId)","amountMinor":20000,"bankAccountId":"\#(kari.accountId)"}"#)
            let id = try sent.decode(TransactionCreated.self).transaction.id
            let userId = try await server.userId(kari.auth)
            let second = try await server.services.database.transaction { db -> Task<LiveServer.Reply, any Error> in
                // The first tap's link, not yet committed.
                try await TrackingLinkRepository.replace(transactionId: id, userId: userId, tokenSHA256: String(repeating: "a", count: 64),
                                                         at: server.clock.date, on: db)
                let second = Task.detached { try await server.request(.POST, "/v1/transactions/\(id)/tracking-link", headers: [kari.auth]) }
                try await Task.sleep(for: .seconds(1))
                return second
            }
            let shared = try await second.value
            #expect(shared.status == 201 || shared.status == 200, "\(shared.body)")
            #expect(try await Self.track(server, try Self.token(shared)).status == 200)
            let links = try await server.services.database.withConnection { db in
                try await db.raw("SELECT COUNT(*) AS n FROM tracking_links WHERE transaction_id = \(bind: id)").first()?.decode(column: "n", as: Int.self)
            }
            #expect(links == 1)
        }
    }

    @Test func erasureStopsTheLinksAtOnce() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let sent = try await TransfersTests.send(server, kari, key: "erase", body: #"{"recipientId":"\#(kari.recipientId)","amountMinor":20000,"bankAccountId":"\#(kari.accountId)"}"#)
            let id = try sent.decode(TransactionCreated.self).transaction.id
            let token = try Self.token(try await server.request(.POST, "/v1/transactions/\(id)/tracking-link", headers: [kari.auth]))
            #expect(try await server.request(.POST, "/v1/transactions/\(id)/cancel", headers: [kari.auth]).status == 200)
            #expect(try await Self.track(server, token).decode(TrackedTransfer.self).status == .cancelled)
            #expect(try await server.request(.POST, "/v1/gdpr/erasure", headers: [kari.auth]).status == 202)
            #expect(try await Self.track(server, token).status == 404)
        }
    }
}
