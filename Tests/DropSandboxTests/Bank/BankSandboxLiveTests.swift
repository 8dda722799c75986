import DropCore
import DropProviders
import DropSandbox
import Foundation
import NIOCore
import Testing

@Suite("Bank sandbox with the NextGenPSD2 client, over HTTP")
struct BankSandboxLiveTests {
    static let kari = "15039010043"
    /// A valid account number no sandbox person holds.
    static let outsideAccount = "12345678903"

    @Test func kariLinksDNBAndSpareBank1AndReadsBalances() async throws {
        try await BankLive.run { live in
            let dnb = try await live.connect("dnb")
            #expect(try await live.client.consentStatus(bank: "dnb", consentId: dnb) == "valid")
            let dnbAccounts = try await live.client.accounts(bank: "dnb", consentId: dnb, psuIPAddress: "203.0.113.7")
            #expect(Set(dnbAccounts.compactMap(\.balance)) == [Money(minorUnits: 4_235_000, currency: .nok), Money(minorUnits: 12_890_000, currency: .nok)])
            for account in dnbAccounts {
                let bban = try #require(account.bban)
                #expect(NorwegianAccountNumber.isValid(bban))
                #expect(account.iban == (try NorwegianAccountNumber(bban)).iban.electronic)
            }
            let sb1 = try await live.connect("sparebank1")
            let sb1Accounts = try await live.client.accounts(bank: "sparebank1", consentId: sb1, psuIPAddress: "203.0.113.7")
            #expect(sb1Accounts.count == 1)
            let balance = try await live.client.balances(bank: "sparebank1", consentId: sb1, accountId: sb1Accounts[0].resourceId, psuIPAddress: nil)
            #expect(balance == Money(minorUnits: 1_820_050, currency: .nok))
        }
    }

    /// Drop sends no PSU-ID (it keeps no national ids): the PSU signs in on the bank's page,
    /// which binds the consent to them; payments are approved only by the debtor account's holder.
    @Test func thePSUIdentifiesThemselvesAtTheBank() async throws {
        try await BankLive.run { live in
            let consent = try await live.client.createConsent(bank: "dnb", psuIPAddress: "203.0.113.7", validUntil: "9999-12-31")
            let page = try await live.scaPage(consent.scaRedirect)
            #expect(page.contains("All your accounts at") && page.contains(#"name="nationalId""#))
            // Approving without signing in is refused; nothing changes.
            let anonymous = try await live.http.execute(
                uri: try live.path(of: consent.scaRedirect), method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "decision=approve&nationalId=123")
            )
            #expect(anonymous.status == .unprocessableContent)
            #expect(try await live.client.consentStatus(bank: "dnb", consentId: consent.id) == "received")
            // Ola signs in: the consent covers Ola's one DNB account, not Kari's.
            #expect(try await live.decide(consent.scaRedirect, approve: true, as: "01078510133") == "https://drop.test/v1/bank-accounts/callback")
            let accounts = try await live.client.accounts(bank: "dnb", consentId: consent.id, psuIPAddress: "203.0.113.7")
            #expect(accounts.compactMap(\.balance) == [Money(minorUnits: 2_341_575, currency: .nok)])

            // A payment from Kari's account: Ola can't approve it, Kari can.
            let debtor = try #require(try await live.sandbox.accounts(ofPSU: Self.kari, bankId: "dnb").first)
            let start = try await live.client.initiatePayment(
                bank: "dnb", product: .norwegianDomesticCreditTransfers,
                payment: OpenBankingPayment(debtorAccount: .bban(debtor.accountNumber), amount: Money(minorUnits: 10_000, currency: .nok),
                                            creditorAccount: .bban(Self.outsideAccount), creditorName: "Ola Rørlegger AS"),
                psuIPAddress: "203.0.113.7"
            )
            let byOla = try await live.http.execute(
                uri: try live.path(of: start.scaRedirect), method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "decision=approve&nationalId=01078510133")
            )
            #expect(byOla.status == .forbidden)
            #expect(await live.sandbox.balanceMinorUnits(ofAccount: debtor.accountNumber) == debtor.balanceMinorUnits)
            try await live.decide(start.scaRedirect, approve: true)
            #expect(await live.sandbox.balanceMinorUnits(ofAccount: debtor.accountNumber) == debtor.balanceMinorUnits - 10_000)
        }
    }

    @Test func fifthUnattendedReadInADayIsRefused() async throws {
        try await BankLive.run { live in
            let consent = try await live.connect("dnb")
            for _ in 1...4 { _ = try await live.client.accounts(bank: "dnb", consentId: consent, psuIPAddress: nil) }
            // Attended reads do not count.
            _ = try await live.client.accounts(bank: "dnb", consentId: consent, psuIPAddress: "203.0.113.7")
            await #expect(throws: OpenBankingError.accessExceeded) {
                try await live.client.accounts(bank: "dnb", consentId: consent, psuIPAddress: nil)
            }
            live.clock.advance(seconds: 86_400)
            _ = try await live.client.accounts(bank: "dnb", consentId: consent, psuIPAddress: nil)
        }
    }

    @Test func expiredAndUnapprovedConsentsCannotRead() async throws {
        try await BankLive.run { live in
            let consent = try await live.connect("dnb", validUntil: live.clock.osloDay)
            live.clock.advance(seconds: 2 * 86_400)
            await #expect(throws: OpenBankingError.consentExpired) {
                try await live.client.accounts(bank: "dnb", consentId: consent, psuIPAddress: nil)
            }
            #expect(try await live.client.consentStatus(bank: "dnb", consentId: consent) == "expired")
            let pending = try await live.client.createConsent(bank: "dnb", psuId: Self.kari, psuIPAddress: "203.0.113.7", validUntil: "9999-12-31")
            await #expect(throws: OpenBankingError.consentInvalid) {
                try await live.client.accounts(bank: "dnb", consentId: pending.id, psuIPAddress: nil)
            }
            try await live.client.deleteConsent(bank: "dnb", consentId: pending.id)
            #expect(try await live.client.consentStatus(bank: "dnb", consentId: pending.id) == "terminatedByTpp")
        }
    }

    /// 14 whole digits of pounds, the most an amount may have, come to more øre than an Int64
    /// holds: the bank answers 400 FORMAT_ERROR, as for any amount it can't take, to a payment and
    /// to a standing order alike, and goes on answering.
    @Test func anAmountTooLargeToDebitInNOKIsAFormatError() async throws {
        try await BankLive.run(inMemory: true) { live in
            let debtor = try #require(try await live.sandbox.accounts(ofPSU: Self.kari, bankId: "dnb").first)
            let pounds = try Money(decimalString: "99999999999999.99", currency: try #require(Currency(rawValue: "GBP")))
            let payment = OpenBankingPayment(debtorAccount: .bban(debtor.accountNumber), amount: pounds,
                                             creditorAccount: .iban("GB29NWBK60161331926819"), creditorName: "Ola Rørlegger AS")
            let formatError = { (error: any Error) in if case OpenBankingError.formatError = error { true } else { false } }
            await #expect(performing: {
                try await live.client.initiatePayment(bank: "dnb", product: .crossBorderCreditTransfers, payment: payment,
                                                      psuId: Self.kari, psuIPAddress: "203.0.113.7")
            }, throws: formatError)
            let schedule = try StandingOrderSchedule(frequency: .monthly, startDate: try CalendarDate(iso: live.clock.osloDay))
            await #expect(performing: {
                try await live.client.initiatePeriodicPayment(bank: "dnb", product: .crossBorderCreditTransfers,
                                                              order: OpenBankingPeriodicPayment(payment: payment, schedule: schedule),
                                                              psuId: Self.kari, psuIPAddress: "203.0.113.7")
            }, throws: formatError)
            // Still standing: a payment it can take is taken.
            let (start, _) = try await pay(live, amount: 24_900)
            #expect(start.status == "RCVD")
        }
    }

    private func pay(_ live: BankLive, amount: Int64, creditor: String = outsideAccount) async throws -> (OpenBankingAuthorisationStart, String) {
        let debtor = try #require(try await live.sandbox.accounts(ofPSU: Self.kari, bankId: "dnb").first(where: { $0.balanceMinorUnits == 4_235_000 }))
        let payment = OpenBankingPayment(
            debtorAccount: .bban(debtor.accountNumber), amount: Money(minorUnits: amount, currency: .nok),
            creditorAccount: .bban(creditor), creditorName: "Ola Rørlegger AS", endToEndIdentification: "drop-e2e-1",
            remittanceInformationUnstructured: "Faktura 1001"
        )
        let start = try await live.client.initiatePayment(
            bank: "dnb", product: .norwegianDomesticCreditTransfers, payment: payment, psuId: Self.kari, psuIPAddress: "203.0.113.7"
        )
        #expect(start.status == "RCVD")
        return (start, debtor.accountNumber)
    }

    /// The benchmark's bank (`SANDBOX_BANK_STATE=memory`) behaves the same and writes no file.
    @Test func aBankKeptInMemoryPaysTheSameAndWritesNothing() async throws {
        try await BankLive.run(inMemory: true) { live in
            let (start, debtor) = try await pay(live, amount: 24_900)
            _ = try await live.decide(start.scaRedirect, approve: true)
            #expect(await live.sandbox.balanceMinorUnits(ofAccount: debtor) == 4_235_000 - 24_900)
            let status = try await live.client.paymentStatus(bank: "dnb", product: .norwegianDomesticCreditTransfers, paymentId: start.id)
            #expect(status.transactionStatus == "ACSC")
            #expect(!FileManager.default.fileExists(atPath: BankSandboxConfiguration.stateFilePath(inDataDirectory: live.directory.path)))
        }
        // A file-backed bank writes its ledger at once.
        try await BankLive.run { live in
            _ = try await pay(live, amount: 100)
            #expect(FileManager.default.fileExists(atPath: BankSandboxConfiguration.stateFilePath(inDataDirectory: live.directory.path)))
        }
    }

    @Test func approvedPaymentShowsPayeeAndAmountMovesBalanceAndSignsWebhooks() async throws {
        try await BankLive.run { live in
            let (start, debtor) = try await pay(live, amount: 24_900)
            let page = try await live.scaPage(start.scaRedirect)
            #expect(page.contains("Ola Rørlegger AS"))
            #expect(page.contains("249,00 NOK"))
            #expect(page.contains("1234.56.78903"))
            #expect(page.contains("Kari Nordmann"))
            #expect(page.components(separatedBy: "<form").count == 2)
            let location = try await live.decide(start.scaRedirect, approve: true)
            #expect(location == "https://drop.test/v1/bank-accounts/callback")
            #expect(await live.sandbox.balanceMinorUnits(ofAccount: debtor) == 4_235_000 - 24_900)
            let status = try await live.client.paymentStatus(bank: "dnb", product: .norwegianDomesticCreditTransfers, paymentId: start.id)
            #expect(status.transactionStatus == "ACSC")
            #expect(status.fundsAvailable == true)
            #expect(await live.sandbox.deliverPendingWebhooks() == 2)
            let deliveries = live.inbox.deliveries
            #expect(deliveries.count == 2)
            for delivery in deliveries {
                #expect(OpenBankingWebhook.verify(rawBody: delivery.rawBody, signatureHeader: delivery.signature, secret: BankLive.secret, now: live.clock.now()))
            }
            #expect(String(decoding: deliveries[1].rawBody, as: UTF8.self).contains("\"transactionStatus\":\"ACSC\""))
        }
    }

    @Test func deniedPaymentIsRejectedAndNothingMoves() async throws {
        try await BankLive.run { live in
            let (start, debtor) = try await pay(live, amount: 24_900)
            let location = try await live.decide(start.scaRedirect, approve: false)
            #expect(location == "https://drop.test/v1/bank-accounts/failed")
            #expect(try await live.client.paymentStatus(bank: "dnb", product: .norwegianDomesticCreditTransfers, paymentId: start.id).transactionStatus == "RJCT")
            #expect(await live.sandbox.balanceMinorUnits(ofAccount: debtor) == 4_235_000)
        }
    }

    @Test func insufficientFundsIsRejected() async throws {
        try await BankLive.run { live in
            let (start, debtor) = try await pay(live, amount: 5_000_000)
            try await live.decide(start.scaRedirect, approve: true)
            let status = try await live.client.paymentStatus(bank: "dnb", product: .norwegianDomesticCreditTransfers, paymentId: start.id)
            #expect(status.transactionStatus == "RJCT")
            #expect(status.fundsAvailable == false)
            #expect(await live.sandbox.balanceMinorUnits(ofAccount: debtor) == 4_235_000)
        }
    }

    @Test func scaNotDoneInFifteenMinutesIsRejected() async throws {
        try await BankLive.run { live in
            let (start, _) = try await pay(live, amount: 24_900)
            live.clock.advance(seconds: 15 * 60 + 1)
            #expect(try await live.client.paymentStatus(bank: "dnb", product: .norwegianDomesticCreditTransfers, paymentId: start.id).transactionStatus == "RJCT")
        }
    }

    @Test func paymentToASandboxAccountCreditsIt() async throws {
        try await BankLive.run { live in
            let ola = try #require(try await live.sandbox.accounts(ofPSU: "01078510133", bankId: "dnb").first)
            let (start, _) = try await pay(live, amount: 10_000, creditor: ola.accountNumber)
            try await live.decide(start.scaRedirect, approve: true)
            #expect(try await live.client.paymentStatus(bank: "dnb", product: .norwegianDomesticCreditTransfers, paymentId: start.id).transactionStatus == "ACCC")
            #expect(await live.sandbox.balanceMinorUnits(ofAccount: ola.accountNumber) == ola.balanceMinorUnits + 10_000)
        }
    }

    @Test func badPaymentsAreFormatErrorsAndCancelWorksBeforeSCA() async throws {
        try await BankLive.run { live in
            let bad = OpenBankingPayment(debtorAccount: .bban(Self.outsideAccount), amount: Money(minorUnits: 100, currency: .nok), creditorAccount: .bban(Self.outsideAccount), creditorName: "X")
            await #expect(throws: OpenBankingError.self) {
                try await live.client.initiatePayment(bank: "dnb", product: .norwegianDomesticCreditTransfers, payment: bad, psuId: Self.kari, psuIPAddress: "203.0.113.7")
            }
            let (start, _) = try await pay(live, amount: 24_900)
            try await live.client.cancelPayment(bank: "dnb", product: .norwegianDomesticCreditTransfers, paymentId: start.id)
            #expect(try await live.client.paymentStatus(bank: "dnb", product: .norwegianDomesticCreditTransfers, paymentId: start.id).transactionStatus == "CANC")
        }
    }

    /// A bank counts `creditorName` (Max70Text) and the remittance line (Max140Text) in code points,
    /// not in the grapheme clusters `String.count` gives: the sandbox took 70 "characters" of any size.
    @Test func textLengthsAreCountedInCodePoints() async throws {
        try await BankLive.run { live in
            let debtor = try #require(try await live.sandbox.accounts(ofPSU: Self.kari, bankId: "dnb").first(where: { $0.balanceMinorUnits == 4_235_000 }))
            func payment(name: String, message: String?) -> OpenBankingPayment {
                OpenBankingPayment(debtorAccount: .bban(debtor.accountNumber), amount: Money(minorUnits: 100, currency: .nok),
                                   creditorAccount: .bban(Self.outsideAccount), creditorName: name, remittanceInformationUnstructured: message)
            }
            let family = "👨‍👩‍👧" // one Character, five code points
            let tooLong = [payment(name: "Kafe " + String(repeating: family, count: 20), message: nil),
                           payment(name: "Kafe", message: String(repeating: family, count: 29))]
            for bad in tooLong {
                #expect(bad.creditorName.count <= 70 && (bad.remittanceInformationUnstructured?.count ?? 0) <= 140)
                await #expect(throws: OpenBankingError.self) {
                    try await live.client.initiatePayment(bank: "dnb", product: .norwegianDomesticCreditTransfers, payment: bad,
                                                          psuId: Self.kari, psuIPAddress: "203.0.113.7")
                }
            }
            let fits = payment(name: String(repeating: "a", count: 65) + family, message: String(repeating: family, count: 28))
            #expect(try await live.client.initiatePayment(bank: "dnb", product: .norwegianDomesticCreditTransfers, payment: fits,
                                                          psuId: Self.kari, psuIPAddress: "203.0.113.7").status == "RCVD")
        }
    }

    /// Drop's expiry relies on this: once held, the bank sends nothing, not even from a round of
    /// deliveries that was already under way when the hold began.
    @Test func heldWebhooksStayHeldEvenForARoundAlreadySending() async throws {
        try await BankLive.run { live in
            let (first, _) = try await pay(live, amount: 100)
            let (second, _) = try await pay(live, amount: 200)
            try await live.client.cancelPayment(bank: "dnb", product: .norwegianDomesticCreditTransfers, paymentId: first.id)
            // While the first cancellation's webhook is being received, the hold begins and the
            // second payment is cancelled: its webhook waits in the outbox.
            live.inbox.whenNextArrives {
                live.faults.webhooksHeld = true
                try await live.client.cancelPayment(bank: "dnb", product: .norwegianDomesticCreditTransfers, paymentId: second.id)
            }
            #expect(await live.sandbox.deliverPendingWebhooks() == 1)
            #expect(live.inbox.deliveries.count == 1)
            #expect(await live.sandbox.deliverPendingWebhooks() == 0)

            live.faults.webhooksHeld = false
            #expect(await live.sandbox.deliverPendingWebhooks() == 1)
            let bodies = live.inbox.deliveries.map { String(decoding: $0.rawBody, as: UTF8.self) }
            #expect(bodies.count == 2 && bodies[0].contains(first.id) && bodies[1].contains(second.id))
        }
    }

    @Test func threeServerErrorsOpenTheBanksBreaker() async throws {
        try await BankLive.run { live in
            live.faults.failNext(3, with: .serverError)
            for _ in 1...3 {
                await #expect(throws: ProviderError.self) {
                    try await live.client.createConsent(bank: "dnb", psuId: Self.kari, psuIPAddress: "203.0.113.7", validUntil: "9999-12-31")
                }
            }
            let seen = live.faults.requestCount
            do {
                _ = try await live.client.createConsent(bank: "dnb", psuId: Self.kari, psuIPAddress: "203.0.113.7", validUntil: "9999-12-31")
                Issue.record("expected the breaker to be open")
            } catch let error as ProviderError {
                guard case .circuitOpen = error else { Issue.record("expected circuitOpen, got \(error)"); return }
            }
            #expect(live.faults.requestCount == seen)
            // Another bank is unaffected.
            _ = try await live.client.createConsent(bank: "sparebank1", psuId: Self.kari, psuIPAddress: "203.0.113.7", validUntil: "9999-12-31")
        }
    }
}
