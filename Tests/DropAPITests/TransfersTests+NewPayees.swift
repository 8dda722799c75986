import DropCore
import DropKit
import Foundation
import Testing
@testable import DropAPI

/// AML's "large first transfer to a new recipient" hold can't be talked out of: a small transfer
/// cancelled first paid no one, and an old recipient edited into someone else is a new payee.
extension TransfersTests {
    static func large(_ kari: Sender) -> String { #"{"recipientId":"\#(kari.recipientId)","amountMinor":3000000,"bankAccountId":"\#(kari.accountId)"}"# }

    /// Sends 30 000 kr and says whether AML held it with the new-recipient rule among its reasons.
    static func heldAsNewPayee(_ server: LiveServer, _ kari: Sender, key: String) async throws -> Bool {
        let reply = try await Self.send(server, kari, key: key, body: Self.large(kari))
        #expect(reply.status == 201, "\(reply.body)")
        let id = try reply.decode(TransactionCreated.self).transaction.id
        let details = try await server.services.database.withConnection { db in
            try await db.raw("SELECT details FROM aml_alerts WHERE transaction_id = \(bind: id)").first()?.decode(column: "details", as: String.self)
        }
        return try reply.decode(TransactionCreated.self).transaction.status == .held && details?.contains("new_recipient_large_amount") == true
    }

    @Test func aSmallTransferCancelledFirstDoesNotMakeARecipientOneAlreadyPaid() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await Self.sender(server)
            let decoy = try await Self.send(server, kari, key: "decoy", body: #"{"recipientId":"\#(kari.recipientId)","amountMinor":10000,"bankAccountId":"\#(kari.accountId)"}"#)
            let decoyId = try decoy.decode(TransactionCreated.self).transaction.id
            #expect(try await server.request(.POST, "/v1/transactions/\(decoyId)/cancel", headers: [kari.auth]).status == 200)
            #expect(try await Self.heldAsNewPayee(server, kari, key: "after-decoy"))
        }
    }

    @Test func anOldRecipientEditedIntoAnotherPayeeIsANewOne() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await Self.sender(server)
            // Zofia is paid, and weeks go by.
            let first = try await Self.send(server, kari, key: "paid", body: #"{"recipientId":"\#(kari.recipientId)","amountMinor":20000,"bankAccountId":"\#(kari.accountId)"}"#)
            let created = try first.decode(TransactionCreated.self)
            _ = try await server.approveAtBank(try #require(created.scaRedirect).absoluteString, as: Self.kari)
            try await server.eventually("the first payment") { try await MoneyIntegrityTests.row(server, created.transaction.id).status == .processing }
            server.clock.advance(30 * 86_400)
            try await server.refreshExchangeRates()
            var auth = try await server.bearer(Self.kari)
            var kariNow = Sender(auth: auth, accountId: kari.accountId, accountNumber: kari.accountNumber, recipientId: kari.recipientId)
            // Only how Kari knows her changes: still the payee already paid.
            #expect(try await server.call(.PATCH, "/v1/recipients/\(kari.recipientId)", #"{"relationship":"family"}"#, auth: auth).status == 200)
            let stillZofia = try await Self.send(server, kariNow, key: "still-zofia", body: Self.large(kariNow))
            #expect(try stillZofia.decode(TransactionCreated.self).transaction.status != .held)
            server.clock.advance(86_400)  // a day's limit further
            try await server.refreshExchangeRates()
            auth = try await server.bearer(Self.kari)
            kariNow = Sender(auth: auth, accountId: kari.accountId, accountNumber: kari.accountNumber, recipientId: kari.recipientId)
            // Then the recipient becomes someone else's account: a new payee.
            let edited = try await server.call(.PATCH, "/v1/recipients/\(kari.recipientId)",
                                               #"{"name":"Mallory Hacker","iban":"PL27114020040000300201355387"}"#, auth: auth)
            #expect(edited.status == 200)
            #expect(try await Self.heldAsNewPayee(server, kariNow, key: "to-mallory"))
        }
    }

    /// Kari with Priya in India paid 200 kr (her money left), a month ago, and a fresh sign-in.
    static func paidPriya(_ server: LiveServer) async throws -> Sender {
        let kari = try await Self.sender(server)
        let priya = try await server.call(.POST, "/v1/recipients", RecipientsTests.india, auth: kari.auth)
        let priyaId = try priya.decode(Recipient.self).id
        let first = try await Self.send(server, kari, key: "paid-priya", body: #"{"recipientId":"\#(priyaId)","amountMinor":20000,"bankAccountId":"\#(kari.accountId)"}"#)
        let created = try first.decode(TransactionCreated.self)
        _ = try await server.approveAtBank(try #require(created.scaRedirect).absoluteString, as: Self.kari)
        try await server.eventually("the payment to Priya") { try await MoneyIntegrityTests.row(server, created.transaction.id).status == .processing }
        server.clock.advance(30 * 86_400)
        try await server.refreshExchangeRates()
        return Sender(auth: try await server.bearer(Self.kari), accountId: kari.accountId, accountNumber: kari.accountNumber, recipientId: priyaId)
    }

    @Test func anAccountNumberAtAnotherBankIsANewPayee() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            var kari = try await Self.paidPriya(server)
            // Priya's account as it was paid: already paid.
            let stillPriya = try await Self.send(server, kari, key: "still-priya", body: Self.large(kari))
            #expect(try stillPriya.decode(TransactionCreated.self).transaction.status != .held)
            server.clock.advance(86_400)  // a day's limit further
            try await server.refreshExchangeRates()
            kari = Sender(auth: try await server.bearer(Self.kari), accountId: kari.accountId, accountNumber: kari.accountNumber, recipientId: kari.recipientId)
            // The same digits at another bank are another account.
            #expect(try await server.call(.PATCH, "/v1/recipients/\(kari.recipientId)", #"{"ifsc":"HDFC0000001"}"#, auth: kari.auth).status == 200)
            #expect(try await Self.heldAsNewPayee(server, kari, key: "to-hdfc"))
        }
    }

    @Test func anAccountNumberInAnotherCountryIsANewPayee() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await Self.paidPriya(server)
            let john = try await server.call(.POST, "/v1/recipients", RecipientsTests.usa.replacingOccurrences(of: "000123456789", with: "123456789012"),
                                             auth: kari.auth)
            #expect(john.status == 201, "\(john.body)")
            let toJohn = Sender(auth: kari.auth, accountId: kari.accountId, accountNumber: kari.accountNumber, recipientId: try john.decode(Recipient.self).id)
            #expect(try await Self.heldAsNewPayee(server, toJohn, key: "to-john"))
        }
    }
}
