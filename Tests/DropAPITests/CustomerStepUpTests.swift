import DropKit
import DropStore
import Foundation
import SQLKit
import Testing
@testable import DropAPI

/// Someone holding Kari's unlocked phone (a week-long app session) must not redirect her next transfer
/// to "Mamma" into their own account, nor take over her email: changing a payee, the email or a phone
/// number already set needs a recent BankID sign-in, a payee change is told to her, and a transfer pays
/// the payee she reviewed or nothing.
@Suite("Step-up sign-in for a customer's payee and contact changes")
struct CustomerStepUpTests {
    static let kari = TransfersTests.kari
    /// Someone else's IBAN (valid, German like Hans's).
    static let strangersIBAN = "DE75512108001245126199"

    static func recipient(_ server: LiveServer, _ id: String, _ auth: (String, String)) async throws -> Recipient {
        try await server.get("/v1/recipients/\(id)", headers: [auth]).decode(Recipient.self)
    }

    static func notifications(_ server: LiveServer, _ auth: (String, String), kind: String) async throws -> [DropNotification] {
        try await server.get("/v1/notifications", headers: [auth]).decode(NotificationList.self).items.filter { $0.kind == kind }
    }

    @Test func anOldSessionCannotChangeWhereARecipientIsPaidAFreshOneCanAndKariIsTold() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let created = try await server.call(.POST, "/v1/recipients", RecipientsTests.germany, auth: kari.auth)
            #expect(created.status == 201)
            let userId = try await server.userId(kari.auth)

            // An edit within minutes of signing in needs no step-up.
            let renamed = try await server.call(.PATCH, "/v1/recipients/\(try created.decode(Recipient.self).id)",
                                                #"{"name":"Hans Meier","bankName":"Commerzbank"}"#, auth: kari.auth)
            #expect(renamed.status == 200)
            let mamma = try renamed.decode(Recipient.self)

            // A day later the same phone: the IBAN, the name or the country can't be changed.
            server.clock.advance(24 * 3600)
            for body in [#"{"iban":"\#(Self.strangersIBAN)"}"#, #"{"name":"Mamma","iban":"\#(Self.strangersIBAN)"}"#,
                         #"{"name":"Hans Other"}"#, #"{"country":"NL","iban":"NL91ABNA0417164300"}"#] {
                let refused = try await server.call(.PATCH, "/v1/recipients/\(mamma.id)", body, auth: kari.auth)
                #expect(refused.status == 401 && refused.errorCode == "STEP_UP_REQUIRED", "\(body): \(refused.body)")
                #expect(refused.apiError.details.contains { $0.issue == "step_up" && $0.message?.contains("step_up=true") == true })
                #expect(refused.headers.first(name: "www-authenticate")?.contains("max_age=300") == true)
            }
            // Nothing changed, nobody was told, and each refusal is audited without personal data.
            let still = try await Self.recipient(server, mamma.id, kari.auth)
            #expect(still.iban == "DE89370400440532013000" && still.name == "Hans Meier" && still.payeeVersion == mamma.payeeVersion)
            #expect(try await Self.notifications(server, kari.auth, kind: "recipient.payee_changed").isEmpty)
            let refusals = try await StepUpTests.auditActions(server, "user.step_up_required")
            #expect(refusals.count == 4 && refusals.allSatisfy { $0.actor == userId && $0.data.contains("recipient_payee") })
            #expect(!refusals.contains { $0.data.contains(Self.strangersIBAN) || $0.data.contains("Hans") })

            // A description is not where the money goes: no step-up and no notice.
            let described = try await server.call(.PATCH, "/v1/recipients/\(mamma.id)",
                                                  #"{"relationship":"family","bankName":"Deutsche Bank","address":{"city":"Berlin"}}"#, auth: kari.auth)
            #expect(described.status == 200, "\(described.body)")
            // Setting a field to what it is already is no change either.
            #expect(try await server.call(.PATCH, "/v1/recipients/\(mamma.id)", #"{"iban":"DE89 3704 0044 0532 0130 00"}"#, auth: kari.auth).status == 200)
            #expect(try await Self.notifications(server, kari.auth, kind: "recipient.payee_changed").isEmpty)

            // After BankID again (step-up), the change goes through and Kari is told which recipient it was.
            let fresh = try await server.bearer(Self.kari, stepUp: true)
            let changed = try await server.call(.PATCH, "/v1/recipients/\(mamma.id)", #"{"name":"Mamma","iban":"\#(Self.strangersIBAN)"}"#, auth: fresh)
            #expect(changed.status == 200, "\(changed.body)")
            let now = try changed.decode(Recipient.self)
            #expect(now.iban == Self.strangersIBAN && now.payeeVersion != nil && now.payeeVersion != mamma.payeeVersion)
            let told = try await Self.notifications(server, kari.auth, kind: "recipient.payee_changed")
            #expect(told.count == 1)
            #expect(told.first?.title == "Bank details of Hans Meier changed" && told.first?.body.contains("were changed") == true)
            #expect(told.first?.data?["recipientId"] == mamma.id)
            #expect(told.first.map { !$0.body.contains(Self.strangersIBAN) } == true)
        }
    }

    @Test func aTransferPaysThePayeeKariReviewedOrNothing() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let shown = try await Self.recipient(server, kari.recipientId, kari.auth)
            let version = try #require(shown.payeeVersion)
            #expect(version.count == 64)

            // The recipient is edited after Kari saw it (here by Kari's own fresh session, as a stand-in).
            let edited = try await server.call(.PATCH, "/v1/recipients/\(kari.recipientId)",
                                               #"{"iban":"PL27114020040000300201355387","bic":"BREXPLPW"}"#, auth: kari.auth)
            #expect(edited.status == 200, "\(edited.body)")

            // Confirming what she saw: refused, nothing written, the bank never asked.
            let body = #"{"recipientId":"\#(kari.recipientId)","amountMinor":100000,"bankAccountId":"\#(kari.accountId)","payeeVersion":"\#(version)"}"#
            let refused = try await TransfersTests.send(server, kari, key: "pinned-1", body: body)
            #expect(refused.status == 409 && refused.errorCode == "RECIPIENT_CHANGED", "\(refused.body)")
            #expect(try await TransfersTests.transactionCount(server) == 0)
            #expect(try server.bankSandboxPayments().isEmpty)

            // With the version she is shown now it goes through, paying that payee.
            let current = try #require(try await Self.recipient(server, kari.recipientId, kari.auth).payeeVersion)
            let sent = try await TransfersTests.send(server, kari, key: "pinned-2", body: body.replacingOccurrences(of: version, with: current))
            #expect(sent.status == 201, "\(sent.body)")
            let payee = try await server.services.database.withConnection { db in
                try await db.raw("SELECT payee_iban FROM transactions").first()?.decode(column: "payee_iban", as: String?.self)
            }
            #expect(payee == "PL27114020040000300201355387")
            // An app that sends no version (before this field) is served as before.
            let unpinned = try await TransfersTests.send(server, kari, key: "pinned-3",
                                                         body: #"{"recipientId":"\#(kari.recipientId)","amountMinor":100000,"bankAccountId":"\#(kari.accountId)"}"#)
            #expect(unpinned.status == 201, "\(unpinned.body)")
        }
    }

    @Test func anOldSessionCannotChangeTheEmailOrAPhoneNumberAlreadySet() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            server.clock.advance(6 * 60)
            for body in [#"{"email":"thief@example.com"}"#, #"{"phone":"+47 987 65 432"}"#] {
                let refused = try await server.call(.PATCH, "/v1/me", body, auth: kari.auth)
                #expect(refused.status == 401 && refused.errorCode == "STEP_UP_REQUIRED", "\(body): \(refused.body)")
            }
            // The same phone as before, or the language, is no change of contact.
            let me = try await server.get("/v1/me", headers: [kari.auth]).decode(DropKit.User.self)
            #expect(me.email == nil && me.phone == "+4791234567")
            #expect(try await server.call(.PATCH, "/v1/me", #"{"phone":"912 34 567","locale":"en"}"#, auth: kari.auth).status == 200)
            let refusals = try await StepUpTests.auditActions(server, "user.step_up_required")
            #expect(refusals.count == 2 && refusals.allSatisfy { $0.data.contains(#""change":"contact""#) && !$0.data.contains("thief") })

            let fresh = try await server.bearer(Self.kari, stepUp: true)
            let saved = try await server.call(.PATCH, "/v1/me", #"{"email":"kari@example.no","phone":"+47 987 65 432"}"#, auth: fresh)
            #expect(saved.status == 200, "\(saved.body)")
            #expect(try saved.decode(DropKit.User.self).phone == "+4798765432")
        }
    }

    /// Deleting "Mamma" and adding a "Mamma" who pays someone else is a change of payee too: adding a
    /// recipient needs the same recent sign-in. Deleting one stops the standing transfer paying it.
    @Test func anOldSessionCannotAddARecipientAndDeletingOneStopsItsStandingTransfer() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let created = try await StandingOrdersTests.setUp(server, kari, extra: #","dayOfExecution":20"#)
            try await StandingOrdersTests.approve(server, created)
            #expect(try await StandingOrdersTests.status(server, kari.auth, created.standingOrder.id) == .active)

            server.clock.advance(24 * 3600)
            #expect(try await server.call(.DELETE, "/v1/recipients/\(kari.recipientId)", auth: kari.auth).status == 204)
            #expect(try await StandingOrdersTests.status(server, kari.auth, created.standingOrder.id) == .stopped)
            let recipients = try await server.services.database.withConnection { db in
                try await db.raw("SELECT COUNT(*) AS n FROM recipients WHERE deleted_at IS NULL AND user_id = \(bind: try await server.userId(kari.auth))").first()!
                    .decode(column: "n", as: Int.self)
            }
            let refused = try await server.call(.POST, "/v1/recipients", RecipientsTests.germany.replacingOccurrences(of: "Hans Meier", with: "Mamma"),
                                                auth: kari.auth)
            #expect(refused.status == 401 && refused.errorCode == "STEP_UP_REQUIRED", "\(refused.body)")
            let after = try await server.services.database.withConnection { db in
                try await db.raw("SELECT COUNT(*) AS n FROM recipients WHERE deleted_at IS NULL AND user_id = \(bind: try await server.userId(kari.auth))").first()!
                    .decode(column: "n", as: Int.self)
            }
            #expect(after == recipients)
            // A typing mistake is told before anyone is sent to BankID.
            let invalid = try await server.call(.POST, "/v1/recipients", #"{"name":"Mamma","country":"DE","currency":"EUR","iban":"DE00"}"#, auth: kari.auth)
            #expect(invalid.status == 422)
            // Signed in again: added.
            let fresh = try await server.bearer(Self.kari)
            #expect(try await server.call(.POST, "/v1/recipients", RecipientsTests.germany, auth: fresh).status == 201)
        }
    }

    /// Kari's own limit guards her against whoever holds her session (or talks her into paying): lowering
    /// it is always allowed, raising it needs BankID again, as her bank asks before it raises its own.
    @Test func anOldSessionCanLowerASpendingLimitButNotRaiseIt() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let auth = try await server.bearer(Self.kari)
            let userId = try await server.userId(auth)
            func limits(_ auth: (String, String)) async throws -> SpendingLimits {
                try await server.get("/v1/spending-limits", headers: [auth]).decode(SpendingLimits.self)
            }
            func put(_ body: String, _ auth: (String, String)) async throws -> LiveServer.Reply {
                try await server.request(.PUT, "/v1/spending-limits", headers: [auth, ("content-type", "application/json")], body: body)
            }
            // Fresh from BankID: down and up again.
            #expect(try await put(#"{"daily":{"amountMinor":500000,"currency":"NOK"}}"#, auth).status == 200)
            #expect(try await put(#"{"daily":{"amountMinor":1000000,"currency":"NOK"},"monthly":{"amountMinor":10000000,"currency":"NOK"}}"#, auth).status == 200)

            // Ten minutes later the same session is no longer fresh.
            server.clock.advance(10 * 60)
            // Lowering needs nothing.
            #expect(try await put(#"{"daily":{"amountMinor":200000,"currency":"NOK"}}"#, auth).status == 200)
            // Raising either limit, or both, is refused, audited, and changes nothing.
            for body in [#"{"daily":{"amountMinor":300000,"currency":"NOK"}}"#,
                         #"{"monthly":{"amountMinor":15000000,"currency":"NOK"},"daily":{"amountMinor":100000,"currency":"NOK"}}"#] {
                let refused = try await put(body, auth)
                #expect(refused.status == 401 && refused.errorCode == "STEP_UP_REQUIRED", "\(body): \(refused.body)")
            }
            let kept = try await limits(auth)
            #expect(kept.daily.amountMinor == 200000 && kept.monthly.amountMinor == 10000000)
            let refusals = try await StepUpTests.auditActions(server, "user.step_up_required")
            #expect(refusals.count == 2 && refusals.allSatisfy { $0.actor == userId && $0.data.contains("spending_limit_raised") })

            // BankID again: raised.
            let fresh = try await server.bearer(Self.kari)
            #expect(try await put(#"{"daily":{"amountMinor":300000,"currency":"NOK"}}"#, fresh).status == 200)
            #expect(try await limits(fresh).daily.amountMinor == 300000)
        }
    }
}
