import DropKit
import DropStore
import Foundation
import SQLKit
import Testing
@testable import DropAPI

/// Drop does not ask Enhetsregisteret who owns an organisation number, so one open business holds
/// each number: someone else naming it is refused and operations is told (it may be someone
/// passing as that business), and the number is free again once its owner erased their account.
extension MerchantsTests {
    static func kiosk(_ organisationNumber: String, settlingTo accountId: String) -> String {
        #"{"organisationNumber":"\#(organisationNumber)","name":"Kiosken","mcc":"5411","city":"Oslo","settlementBankAccountId":"\#(accountId)"}"#
    }

    static func organisationAlerts(_ server: LiveServer) async throws -> [OperationsAlert] {
        try await server.services.database.withConnection { try await OperationsAlertRepository.open(on: $0) }
            .filter { $0.kind == .organisationAlreadyRegistered }
    }

    /// The name and city are shown on the pay page and sent to banks: no control characters (and no
    /// NUL, which PostgreSQL refuses as a 500).
    @Test func aNameOrCityWithAControlCharacterIsRefusedOnItsField() throws {
        let input = MerchantService.Input(organisationNumber: "923456783", name: "Kiosk\u{0}en", mcc: "5411", city: "Os\nlo",
                                          settlementAccount: nil, settlementBankAccountId: UUID().uuidString.lowercased())
        let refused = #expect(throws: AppError.self) { try MerchantService.validate(input) }
        #expect(refused?.details.map(\.field) == ["name", "city"] && refused?.details.allSatisfy { $0.issue == "format" } == true)
    }

    @Test func aBusinessAlreadyRegisteredIsRefusedToAnyoneElseAndOperationsIsTold() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let mona = try await server.registeredMona()
            let monasCafe = try await server.get("/v1/merchants/me", headers: [mona.auth]).decode(DropKit.Merchant.self)
            let kari = try await server.verifiedOwner(Self.kari)
            let kariId = try await server.userId(kari.auth)
            // Kari names Mona's café's number (written as on an invoice): refused, twice, and nothing written.
            for number in ["NO 923 456 783 MVA", "923456783"] {
                let refused = try await server.postJSON("/v1/merchants", Self.kiosk(number, settlingTo: kari.accountId), headers: [kari.auth])
                #expect(refused.status == 409 && refused.errorCode == "ORGANISATION_ALREADY_REGISTERED", "\(refused.body)")
                #expect(refused.issue("organisationNumber") == "already_registered")
            }
            #expect(try await Self.count(server, "merchants") == 1)
            #expect(try await server.get("/v1/me", headers: [kari.auth]).decode(DropKit.User.self).role == .user)
            // Operations hears of it once, about the business that holds the number, with who else named it.
            let alerts = try await Self.organisationAlerts(server)
            #expect(alerts.count == 1 && alerts.first?.entityType == "merchant" && alerts.first?.entityId == monasCafe.id)
            #expect(alerts.first?.details == #"{"claimantUserId":"\#(kariId)"}"#)

            // The pay page says what Drop checked: the owner, not the business; and which business it says it is.
            let page = try await server.get("/pay/\(mona.code)", headers: [("accept-language", "en")])
            #expect(page.body.contains("Owner&#39;s identity checked with BankID"))
            #expect(page.body.contains("Org. no. 923 456 783") && !page.body.contains("Verified business"))

            // Mona erases her account: her café closes, and its number is free for whoever runs that business now.
            #expect(try await server.request(.POST, "/v1/gdpr/erasure", headers: [mona.auth]).status == 202)
            let registered = try await server.postJSON("/v1/merchants", Self.kiosk("923456783", settlingTo: kari.accountId), headers: [kari.auth])
            #expect(registered.status == 201, "\(registered.body)")
            #expect(try await Self.count(server, "merchants") == 2)
        }
    }

    /// Kari and Ola name one business at the same moment: one registers it, the other is told it is taken.
    @Test func twoPeopleRegisteringOneBusinessAtOnceMakeOne() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await server.verifiedOwner(Self.kari)
            let ola = try await server.verifiedOwner("01078510133")
            let replies = try await withThrowingTaskGroup(of: LiveServer.Reply.self) { group in
                for owner in [kari, ola] {
                    group.addTask { try await server.postJSON("/v1/merchants", Self.kiosk("931000004", settlingTo: owner.accountId), headers: [owner.auth]) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(replies.map(\.status).sorted() == [201, 409], "\(replies.map(\.body))")
            #expect(replies.first { $0.status == 409 }?.errorCode == "ORGANISATION_ALREADY_REGISTERED")
            #expect(try await Self.count(server, "merchants") == 1)
            #expect(try await Self.organisationAlerts(server).count == 1)
        }
    }

    /// brreg.no shows Ola runs the business Mona registered: an officer closes hers from the alert. Its code
    /// takes no more payments, one waiting for the payer's approval is cancelled at the bank, Mona is told,
    /// and Ola registers the business under its number.
    @Test func anOfficerClosesABusinessPassingAsAnotherAndItsNumberIsFree() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let mona = try await server.registeredMona()
            let cafe = try await server.get("/v1/merchants/me", headers: [mona.auth]).decode(DropKit.Merchant.self)
            let kari = try await Self.payer(server)
            let waiting = try await Self.pay(server, kari.auth, key: "before-closing", Self.staticBody(mona.code, amountMinor: 4_500, from: kari.accountId))
            #expect(waiting.status == 201, "\(waiting.body)")
            let waitingId = try waiting.decode(TransactionCreated.self).transaction.id
            let ola = try await server.verifiedOwner("01078510133")
            let claimed = try await server.postJSON("/v1/merchants", Self.kiosk("923456783", settlingTo: ola.accountId), headers: [ola.auth])
            #expect(claimed.errorCode == "ORGANISATION_ALREADY_REGISTERED")

            let path = "/v1/admin/merchants/\(cafe.id)/close"
            #expect(try await server.call(.POST, path, #"{"reason":"x"}"#, auth: ola.auth).status == 403)
            let officer = try await server.bearer(ComplianceAdminTests.anders, stepUp: true)
            #expect(try await server.call(.POST, path, "{}", auth: officer).issue("reason") == "required")
            let closed = try await server.call(.POST, path, #"{"reason":"brreg.no: Ola Nordmann is daglig leder, not Mona."}"#, auth: officer)
            #expect(closed.status == 200, "\(closed.body)")
            let again = try await server.call(.POST, path, #"{"reason":"again"}"#, auth: officer)
            #expect(again.status == 409 && again.errorCode == "MERCHANT_CLOSED")
            #expect(try await server.call(.POST, "/v1/admin/merchants/\(UUID().uuidString)/close", #"{"reason":"x"}"#, auth: officer).status == 404)
            let officerId = try await server.userId(officer)
            #expect(try await ComplianceAdminTests.auditRows(server, entityId: cafe.id).contains { $0.action == "merchant.closed" && $0.actor == officerId })
            let kept = try await server.services.database.withConnection { db in
                try await db.raw("SELECT closed_by, closure_reason FROM merchants WHERE id = \(bind: cafe.id)").first()
            }
            #expect(try kept?.decode(column: "closed_by", as: String?.self) == officerId)
            #expect(try kept?.decode(column: "closure_reason", as: String?.self) == "brreg.no: Ola Nordmann is daglig leder, not Mona.")

            // Its code takes no more payments; the one waiting for Kari's approval is cancelled at her bank.
            #expect(try await server.get("/v1/merchants/\(mona.code)").errorCode == "MERCHANT_UNAVAILABLE")
            let refused = try await Self.pay(server, kari.auth, key: "after-closing", Self.staticBody(mona.code, amountMinor: 4_500, from: kari.accountId))
            #expect(refused.status == 409 && refused.errorCode == "MERCHANT_UNAVAILABLE", "\(refused.body)")
            server.sandboxes.faults.bank.webhooksHeld = true
            #expect(try await server.services.transactions.withdrawWithoutStanding() == 1)
            #expect(try await server.get("/v1/transactions/\(waitingId)", headers: [kari.auth]).decode(DropKit.Transaction.self).status == .cancelled)

            // Mona is told; Ola registers his business.
            let notices = try await server.get("/v1/notifications", headers: [mona.auth]).decode(NotificationList.self).items
            #expect(notices.contains { $0.kind == "merchant.closed" })
            let registered = try await server.postJSON("/v1/merchants", Self.kiosk("923456783", settlingTo: ola.accountId), headers: [ola.auth])
            #expect(registered.status == 201, "\(registered.body)")
        }
    }

    /// The console offers the closing on the alert itself, with the officer's reason.
    @Test func theConsoleClosesABusinessFromItsAlert() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let mona = try await server.registeredMona()
            let cafe = try await server.get("/v1/merchants/me", headers: [mona.auth]).decode(DropKit.Merchant.self)
            let ola = try await server.verifiedOwner("01078510133")
            _ = try await server.postJSON("/v1/merchants", Self.kiosk("923456783", settlingTo: ola.accountId), headers: [ola.auth])
            let officer = try await WebComplianceTests.officer(server)
            let page = "/admin/reconciliation"
            #expect(try await server.get(page, headers: [officer.cookie]).body.contains(#"action="/admin/merchants/\#(cafe.id)/close""#))
            let csrf = try await officer.csrf(page)
            let headers = [officer.cookie, officer.origin, ("referer", server.baseURL + page)]
            let empty = try await server.postForm("/admin/merchants/\(cafe.id)/close", [("csrf", csrf), ("reason", " ")], headers: headers)
            #expect(empty.status == 422 && empty.body.contains(#"id="close-\#(cafe.id)-error""#))
            let done = try await server.postForm("/admin/merchants/\(cafe.id)/close", [("csrf", csrf), ("reason", "Not the owner (brreg.no)")], headers: headers)
            #expect(done.status == 303 && done.location == "/admin/reconciliation?closed=1")
            #expect(try await server.get("/v1/merchants/\(mona.code)").errorCode == "MERCHANT_UNAVAILABLE")
        }
    }
}
