import DropCore
import DropKit
import DropStore
import Foundation
import SQLKit
import Testing
@testable import DropAPI

/// Money to a merchant can't be doubled, redirected or passed off as another order: one-purchase
/// codes pay once, a static payer's text is never an order reference, and QR payments are
/// screened for AML like remittances.
extension MerchantsTests {
    static func staticBody(_ code: String, amountMinor: Int64, reference: String? = nil, from accountId: String) -> String {
        let reference = reference.map { #","reference":"\#($0)""# } ?? ""
        return #"{"merchantCode":"\#(code)","amountMinor":\#(amountMinor),"bankAccountId":"\#(accountId)"\#(reference)}"#
    }

    @Test func aStaticPayersReferenceIsTheirMessageNeverAnOrderReference() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let mona = try await server.registeredMona()
            let kari = try await Self.payer(server)
            let stream = try await server.openEventStream(auth: mona.auth)
            let base = server.services.publicBaseURL.url

            // Order 4711 costs 499 kr; a payer types "Ordre 4711" on the static code and pays 1 kr.
            let url = try await server.get("/v1/merchants/me/qr?amountMinor=49900&reference=Ordre%204711", headers: [mona.auth]).decode(DropKit.PaymentLinkInfo.self).url
            let cheap = try await Self.pay(server, kari.auth, key: "s-1", Self.staticBody(mona.code, amountMinor: 100, reference: "Ordre 4711", from: kari.accountId))
            #expect(cheap.status == 201)
            let cheapTx = try cheap.decode(TransactionCreated.self).transaction
            let cheapId = cheapTx.id
            #expect(cheapTx.reference == nil && cheapTx.message == "Ordre 4711" && cheapTx.paymentLinkSigned == false)
            let signed = try await Self.pay(server, kari.auth, key: "s-2", try Self.body(paying: url, base: base, from: kari.accountId))
            #expect(signed.status == 201)
            let signedTx = try signed.decode(TransactionCreated.self).transaction
            let signedId = signedTx.id
            #expect(signedTx.reference == "Ordre 4711" && signedTx.message == nil && signedTx.paymentLinkSigned == true)

            // The payer's words reach the shop only once they approved at their bank: anyone could
            // otherwise put text on any shop's board with payments they never mean to make.
            func dashboard() async throws -> [DropKit.MerchantPayment] {
                try await server.get("/v1/merchants/me/dashboard", headers: [mona.auth]).decode(MerchantDashboard.self).payments
            }
            #expect(try #require(try await dashboard().first { $0.id == cheapId }).payerMessage == nil)
            #expect(!(try await server.get("/merchant", headers: [try await server.webSession(LiveServer.mona)]).body.contains(#"<td class="payer-message">Ordre 4711</td>"#)))
            let cheapBack = try await server.approveAtBank(try #require(try cheap.decode(TransactionCreated.self).scaRedirect).absoluteString, as: Self.kari)
            _ = try await server.get(try #require(cheapBack.location))

            // The dashboard: only the signed payment carries order 4711; the other is the payer's words.
            let payments = try await dashboard()
            let signedPayment = try #require(payments.first { $0.id == signedId })
            let cheapPayment = try #require(payments.first { $0.id == cheapId })
            #expect(signedPayment.reference == "Ordre 4711" && signedPayment.payerMessage == nil)
            #expect(cheapPayment.reference == nil && cheapPayment.payerMessage == "Ordre 4711")
            // The live events say the same, the words only with the approved payment.
            let events = try await stream.collect(until: { $0.payment?.transactionId == cheapId && $0.payment?.payerMessage != nil })
            stream.close()
            let cheapEvents = events.filter { $0.payment?.transactionId == cheapId }
            #expect(cheapEvents.first?.status == .pendingSCA && cheapEvents.first?.payment?.payerMessage == nil)
            #expect(cheapEvents.allSatisfy { $0.payment?.reference == nil })
            #expect(events.last(where: { $0.payment?.transactionId == signedId })?.payment?.reference == "Ordre 4711")
            // So does the bank statement: Drop's prefix, which no payer can type, tells them apart.
            let texts = try server.bankSandboxPayments().filter { $0.creditor == mona.settlementAccount }.sorted { $0.amountMinor < $1.amountMinor }.map(\.text)
            #expect(texts == ["Drop, fra betaler: Ordre 4711", "Drop ordre Ordre 4711"])
            // And the receipts.
            let cheapReceipt = try await server.get("/v1/transactions/\(cheapId)/receipt", headers: [kari.auth, ("accept-language", "en")]).body
            #expect(cheapReceipt.contains("Payer&#39;s message (not an order reference)") && !cheapReceipt.contains("Order reference (set by the shop)"))
            let signedReceipt = try await server.get("/v1/transactions/\(signedId)/receipt", headers: [kari.auth, ("accept-language", "en")]).body
            #expect(signedReceipt.contains("Order reference (set by the shop)</dt><dd><bdi>Ordre 4711") && !signedReceipt.contains("Payer&#39;s message"))
            // Mona's web page puts them in separate columns.
            let page = try await server.get("/merchant", headers: [try await server.webSession(LiveServer.mona)]).body
            #expect(page.contains(#"<td></td><td class="payer-message">Ordre 4711</td>"#))
            #expect(page.contains(#"<td>Ordre 4711</td><td class="payer-message"></td>"#))
        }
    }

    @Test func aOnePurchaseCodeIsPaidOnceAndFreeAgainWhenNoMoneyMoved() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let mona = try await server.registeredMona()
            let kari = try await Self.payer(server)
            let url = try await server.get("/v1/merchants/me/qr?amountMinor=12950", headers: [mona.auth]).decode(DropKit.PaymentLinkInfo.self).url
            let body = try Self.body(paying: url, base: server.services.publicBaseURL.url, from: kari.accountId)

            // Kari's bank says no at the SCA page: nothing moved, so the code may be tried again.
            let first = try await Self.pay(server, kari.auth, key: "once-1", body)
            #expect(first.status == 201)
            let firstCreated = try first.decode(TransactionCreated.self)
            let denied = try await server.approveAtBank(try #require(firstCreated.scaRedirect?.absoluteString), as: Self.kari, decision: "deny")
            _ = try await server.get(try #require(denied.location))
            // The bank's word comes by the return's status read or its webhook, whichever lands first under load.
            let firstId = firstCreated.transaction.id
            try await server.eventually("the denial") {
                [.failed, .cancelled].contains(try await server.get("/v1/transactions/\(firstId)", headers: [kari.auth]).decode(DropKit.Transaction.self).status)
            }

            let second = try await Self.pay(server, kari.auth, key: "once-2", body)
            #expect(second.status == 201)
            let secondCreated = try second.decode(TransactionCreated.self)
            let secondId = secondCreated.transaction.id
            let approved = try await server.approveAtBank(try #require(secondCreated.scaRedirect?.absoluteString), as: Self.kari)
            _ = try await server.get(try #require(approved.location))
            try await server.eventually("the payment completed") {
                try await server.get("/v1/transactions/\(secondId)", headers: [kari.auth]).decode(DropKit.Transaction.self).status == .completed
            }

            // Paid: a third try, under a new key, is refused before anything is written or asked of the bank.
            let (transactions, bankCalls) = (try await Self.count(server, "transactions"), server.sandboxes.faults.bank.requestCount)
            let third = try await Self.pay(server, kari.auth, key: "once-3", body)
            #expect(third.status == 409 && third.errorCode == "PAYMENT_LINK_USED")
            #expect(try await Self.count(server, "transactions") == transactions && server.sandboxes.faults.bank.requestCount == bankCalls)
            // The same key and body replays the answer; it pays nothing new.
            #expect(try await Self.pay(server, kari.auth, key: "once-2", body).body == second.body)
            // Someone else can't pay it either.
            let ola = try await server.verifiedOwner("01078510133")
            let olas = try await Self.pay(server, ola.auth, key: "once-ola", try Self.body(paying: url, base: server.services.publicBaseURL.url, from: ola.accountId))
            #expect(olas.status == 409 && olas.errorCode == "PAYMENT_LINK_USED")
            // The bank was asked twice (denied, then paid) and paid Mona once.
            let atBank = try server.bankSandboxPayments().filter { $0.creditor == mona.settlementAccount }
            #expect(atBank.count == 2 && atBank.allSatisfy { $0.amountMinor == 12_950 })
        }
    }

    @Test func twoPaymentsOfOneCodeAtOnceMakeOnePayment() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let mona = try await server.registeredMona()
            let kari = try await Self.payer(server)
            let url = try await server.get("/v1/merchants/me/qr?amountMinor=12950&reference=Kasse%201", headers: [mona.auth]).decode(DropKit.PaymentLinkInfo.self).url
            let body = try Self.body(paying: url, base: server.services.publicBaseURL.url, from: kari.accountId)
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for attempt in 1...4 { group.addTask { try await Self.pay(server, kari.auth, key: "race-\(attempt)", body).status } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.sorted() == [201, 409, 409, 409], "\(statuses)")
            #expect(try await Self.count(server, "transactions") == 1)
            #expect(try server.bankSandboxPayments().filter { $0.creditor == mona.settlementAccount }.count == 1)
        }
    }

    /// Two registrations by one owner at once: both find no business yet, and only the first makes
    /// one, whether they name two businesses or are one form sent twice (a double click).
    @Test func twoRegistrationsAtOnceMakeOneBusiness() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            func race(_ auth: (String, String), _ bodies: [String]) async throws -> [LiveServer.Reply] {
                try await withThrowingTaskGroup(of: LiveServer.Reply.self) { group in
                    for body in bodies { group.addTask { try await server.postJSON("/v1/merchants", body, headers: [auth]) } }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
            }
            let mona = try await server.verifiedOwner(LiveServer.mona)
            let settlement = #""settlementBankAccountId":"\#(mona.accountId)""#
            let bakery = #"{"organisationNumber":"931000004","name":"Monas Bakeri","mcc":"5462","city":"Oslo",\#(settlement)}"#
            let ola = try await server.verifiedOwner("01078510133")
            let kiosk = #"{"organisationNumber":"931000012","name":"Olas Kiosk","mcc":"5411","city":"Bergen","settlementBankAccountId":"\#(ola.accountId)"}"#
            for replies in [try await race(mona.auth, [LiveServer.monasCafe(settlement), bakery]), try await race(ola.auth, [kiosk, kiosk])] {
                #expect(replies.map(\.status).sorted() == [201, 409], "\(replies.map(\.body))")
                #expect(replies.first { $0.status == 409 }?.errorCode == "MERCHANT_EXISTS")
            }
            #expect(try await Self.count(server, "merchants") == 2)
        }
    }

    /// The database itself refuses a second live payment of a code, whatever the service checked.
    @Test func theDatabaseHoldsACodeForOneLivePayment() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let mona = try await server.registeredMona()
            let kari = try await Self.payer(server)
            let (kariId, merchantId) = (try await server.userId(kari.auth),
                                        try await server.get("/v1/merchants/me", headers: [mona.auth]).decode(DropKit.Merchant.self).id)
            let now = server.clock.date
            func payment(_ n: Int) -> NewTransaction {
                let amount = Money(minorUnits: 12_950, currency: .nok)
                return NewTransaction(id: UUID().uuidString.lowercased(), userId: kariId, kind: .qrPayment, amount: amount,
                                      fee: Money(minorUnits: 0, currency: .nok), total: amount, merchantId: merchantId, bankAccountId: kari.accountId,
                                      idempotencyKey: "db-\(n)", paymentLinkId: "link-1", endToEndId: "E2E-DB-\(n)", bankRequestId: UUID().uuidString,
                                      bankProduct: "norwegian-domestic-credit-transfers", psuIPAddress: "127.0.0.1", scaExpiresAt: now)
            }
            func insert(_ payment: NewTransaction) async throws {
                try await server.services.database.transaction { try await TransactionRepository.open(payment, standingOrderId: nil, at: now, on: $0) }
            }
            let first = payment(1)
            try await insert(first)
            await #expect(throws: (any Error).self) { try await insert(payment(2)) }
            // Expired without money moving: the code is free, and the old payment keeps its id as history.
            guard case .success(let expired) = TransferStatus.transition(from: .pendingSCA, on: .scaTimedOut) else { Issue.record("no transition"); return }
            try await server.services.database.transaction { db in
                _ = try await TransactionStatusRepository.apply(expired, to: first.id, actor: .system, at: now, on: db)
            }
            try await insert(payment(3))
            let held = try await server.services.database.withConnection { try await QRPaymentRepository.holder(ofLink: "link-1", on: $0) }
            #expect(held?.status == .pendingSCA && held?.transactionId != first.id)
        }
    }
}
