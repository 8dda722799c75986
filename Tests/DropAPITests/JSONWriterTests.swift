import Crypto
import DropCore
import Foundation
import NIOCore
import Testing
@testable import DropAPI
@testable import DropStore

/// Answers written by hand (`JSONWriter`) are byte for byte what `JSON.encoder` writes for the
/// same value, so a client can't tell them apart and the two can't drift apart unnoticed.
struct JSONWriterTests {
    private func encoder<T: Encodable>(_ value: T) throws -> [UInt8] {
        Array(try JSON.encoder.encode(value))
    }

    private func writer(_ value: some JSONWritable) -> [UInt8] {
        Array(buffer: JSONWriter.encode(value))
    }

    /// A string as the one member of an object, both ways.
    private struct Text: Encodable, JSONWritable {
        let text: String
        func write(to json: inout JSONWriter) { json.object { $0.member("text", text) } }
    }

    @Test func everyASCIICharacterIsEscapedAsTheEncoderEscapesIt() throws {
        for byte in UInt8(0)...0x7F {
            let character = String(decoding: [byte], as: UTF8.self)
            for text in [character, "a\(character)b", "\(character)\(character)"] {
                #expect(writer(Text(text: text)) == (try encoder(Text(text: text))), "byte \(byte)")
            }
        }
    }

    @Test func unicodeSlashesAndHostileTextAreWrittenAsTheEncoderWritesThem() throws {
        let texts = ["", "Ærlig Åse Øvre", "日本語 🇳🇴 👩🏽‍💻", "\u{2028}\u{2029}\u{FEFF}", "a/b\\c\"d", "'; DROP TABLE users; --",
                     "</script><script>alert(1)</script>", "\u{0}\u{1F}\u{7F}", "line\r\nbreak\ttab", String(repeating: "x\"", count: 500)]
        for text in texts {
            #expect(writer(Text(text: text)) == (try encoder(Text(text: text))), "\(text.debugDescription)")
        }
    }

    @Test func integersToTheEdgesOfInt64() throws {
        for minor: Int64 in [0, 1, -1, 9, 10, -10, 12_345, 1_000_000_000_000, .max, .min, .max - 1, .min + 1] {
            for currency in [Currency.nok, .eur, Currency(rawValue: "JPY")!] {
                let money = Money(minorUnits: minor, currency: currency)
                #expect(writer(money) == (try encoder(money)), "\(minor) \(currency)")
            }
        }
    }

    private struct When: Encodable, JSONWritable {
        let at: Date
        func write(to json: inout JSONWriter) { json.object { $0.member("at", at) } }
    }

    @Test func datesAsEveryAnswerWritesThem() throws {
        let dates = [Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: 1_796_212_882.999), Date(timeIntervalSince1970: -1.5),
                     Date(timeIntervalSince1970: 951_782_400), // 29 Feb 2000
                     Date(timeIntervalSince1970: -62_135_596_800), Date(timeIntervalSince1970: 253_402_300_799),
                     Date(timeIntervalSince1970: 253_402_300_800)] // year 10000: the formatter's path
        for date in dates {
            #expect(writer(When(at: date)) == (try encoder(When(at: date))), "\(date.timeIntervalSince1970)")
        }
        // The values themselves, so that the two agreeing on a wrong date would show.
        #expect(String(decoding: writer(When(at: dates[0])), as: UTF8.self) == #"{"at":"1970-01-01T00:00:00Z"}"#)
        #expect(String(decoding: writer(When(at: dates[3])), as: UTF8.self) == #"{"at":"2000-02-29T00:00:00Z"}"#)
        #expect(String(decoding: writer(When(at: dates[2])), as: UTF8.self) == #"{"at":"1969-12-31T23:59:58Z"}"#)
    }

    // MARK: Transactions

    private static let created = Date(timeIntervalSince1970: 1_796_212_882)

    /// A record with every optional set, or none, with `text` in every free-text field.
    private static func record(kind: TransactionKind = .remittance, status: TransferStatus = .completed, everything: Bool,
                               text: String = "Til mor ❤️ \"alt\" / \\ \n", id: String = "tx_01") -> TransactionRecord {
        let nok = Currency.nok
        return TransactionRecord(
            id: id, kind: kind, status: status, amount: Money(minorUnits: 100_000, currency: nok),
            fee: Money(minorUnits: 500, currency: nok), total: Money(minorUnits: 100_500, currency: nok),
            receive: everything ? Money(minorUnits: 9_123, currency: .eur) : nil, rate: everything ? "0.091230" : nil,
            recipientId: everything ? "rcp_1" : nil, recipientName: everything ? text : nil, recipientCountry: everything ? "DE" : nil,
            merchantId: everything ? "mer_1" : nil,
            merchant: everything ? TransactionRecord.Merchant(code: "KAFE-1", name: text, city: "Tromsø") : nil,
            bankAccountId: everything ? "acc_1" : nil, message: everything ? text : nil, reference: everything ? "ORDER-\(text)" : nil,
            paymentLinkId: everything ? "pl_1" : nil, standingOrderId: everything ? "so_1" : nil, endToEndId: "E2E\(id)",
            scaRedirect: everything ? "https://bank.example/sca?x=1&y=\(text)" : nil, failureReason: everything ? text : nil,
            returnRequestedAt: everything ? created.addingTimeInterval(60) : nil,
            returnedAt: everything ? created.addingTimeInterval(120) : nil,
            fundsReceivedAt: everything ? created.addingTimeInterval(5) : nil, createdAt: created,
            updatedAt: created.addingTimeInterval(30), completedAt: everything ? created.addingTimeInterval(10) : nil)
    }

    /// The names of `value`'s fields that are nil, a level down into its own values.
    private func nilFields(of value: Any, path: String = "") -> [String] {
        Mirror(reflecting: value).children.flatMap { child -> [String] in
            let name = path + (child.label ?? "?")
            let mirror = Mirror(reflecting: child.value)
            if mirror.displayStyle == .optional {
                guard let wrapped = mirror.children.first?.value else { return [name] }
                return path.isEmpty ? nilFields(of: wrapped, path: name + ".") : []
            }
            return []
        }
    }

    @Test func aTransactionWithEveryFieldIsWrittenAsTheEncoderWritesIt() throws {
        let history = [TransactionView.HistoryEntry(status: .pendingSCA, at: Self.created, reason: "created"),
                       TransactionView.HistoryEntry(status: .completed, at: Self.created.addingTimeInterval(9), reason: "bank \"ok\"")]
        let view = TransactionView(record: Self.record(kind: .qrPayment, status: .pendingSCA, everything: true), history: history)
        // Every field set but the one only an ended payment has: a field added to the view but not to its writer would show here.
        #expect(nilFields(of: view) == ["settledAfterEndAt"])
        #expect(writer(view) == (try encoder(view)))
        let paidAfterEnd = TransactionView(record: Self.record(kind: .qrPayment, status: .cancelled, everything: true), history: history)
        #expect(paidAfterEnd.settledAfterEndAt != nil && nilFields(of: paidAfterEnd) == ["scaRedirect"])
        #expect(writer(paidAfterEnd) == (try encoder(paidAfterEnd)))
    }

    @Test func aTransactionWithNoOptionalFieldIsWrittenAsTheEncoderWritesIt() throws {
        let view = TransactionView(record: Self.record(everything: false))
        #expect(nilFields(of: view).count > 10)
        #expect(writer(view) == (try encoder(view)))
    }

    @Test func pagesOfEveryKindAndStatus() throws {
        var records: [TransactionRecord] = []
        for (index, kind) in TransactionKind.allCases.enumerated() {
            for (other, status) in TransferStatus.allCases.enumerated() {
                records.append(Self.record(kind: kind, status: status, everything: (index + other) % 2 == 0, text: "t\(other)", id: "tx_\(index)_\(other)"))
            }
        }
        let views = records.map { TransactionView(record: $0) }
        for page in [Page(items: views, nextCursor: "Y3Vyc29yLzE="), Page(items: views, nextCursor: nil), Page<TransactionView>(items: [])] {
            #expect(writer(page) == (try encoder(page)))
        }
    }

    /// A page kept in the database (ADR 0023) is sent as it is by every later build while its format stands, so a
    /// change to a page's JSON has to change `TransactionService.keptPageFormat` with it. This digest of a page of
    /// both kinds of transaction fails first: change the format and the digest together.
    @Test func aChangeToAPagesJSONChangesTheKeptPageFormat() {
        let page = Page(items: [TransactionView(record: Self.record(kind: .qrPayment, status: .pendingSCA, everything: true)),
                                TransactionView(record: Self.record(everything: false, id: "tx_02"))], nextCursor: "Y3Vyc29yLzE=")
        let digest = SHA256.hash(data: writer(page)).map { String(format: "%02x", $0) }.joined()
        #expect(TransactionService.keptPageFormat == "3/20" && digest == "4d09b483d968f67e29afed526c4129936fdfdf6e537dc7925a1395fa15251b7d",
                "A page's JSON is now \(digest): change TransactionService.keptPageFormat, and this test's format and digest with it")
    }

    // MARK: Balance

    private static func account(id: String, currency: String = "NOK", everything: Bool, status: BankAccountStatus = .active) -> LinkedAccount {
        LinkedAccount(record: BankAccountRecord(
            id: id, userId: "usr_1", consentId: "con_1", bankId: everything ? "dnb" : "no-such-bank", providerAccountId: "p\(id)",
            iban: everything ? "NO9386011117947" : nil, bban: everything ? "86011117947" : nil, bic: nil,
            name: everything ? "Brukskonto \"hverdag\"" : nil, currency: currency, balanceMinor: everything ? -1_234_567 : nil,
            balanceSyncedAt: everything ? created : nil, status: status, createdAt: created, updatedAt: created), stale: !everything)
    }

    @Test func balancesAsTheEncoderWritesThem() throws {
        let full = BalanceView([Self.account(id: "acc_1", everything: true)])
        #expect(nilFields(of: full.accounts[0]) == [])
        let mixes: [[LinkedAccount]] = [
            [], [Self.account(id: "acc_1", everything: true)], [Self.account(id: "acc_1", everything: false)],
            [Self.account(id: "acc_1", everything: true), Self.account(id: "acc_2", currency: "EUR", everything: true, status: .reconnect),
             Self.account(id: "acc_3", currency: "XXX", everything: true), Self.account(id: "acc_4", everything: false)],
        ]
        for accounts in mixes {
            let view = BalanceView(accounts)
            #expect(writer(view) == (try encoder(view)), "\(accounts.map(\.record.id))")
        }
    }

    // MARK: Profile

    @Test func theProfileAsTheEncoderWritesIt() throws {
        let at = Self.created
        let full = UserView(UserRecord(
            id: "usr_1", pidHash: "h", name: "Åse \"Test\" Ødegård", givenName: "Åse", familyName: "Ødegård\n", birthdate: "1990-01-01",
            phone: "+4790000000", email: "ase@example.no", role: .merchant, kycStatus: .approved, kycApplicantId: "a", riskLevel: .low,
            isPep: false, isSanctioned: false, locale: "nb", createdAt: at, updatedAt: at, deletedAt: nil, emailVerifiedAt: at))
        // Every field set: a field added to the view but not to its writer would show here.
        #expect(nilFields(of: full) == [])
        #expect(full.json == ByteBuffer(bytes: try encoder(full)))
        for role in UserRole.allCases {
            for status in KYCStatus.allCases {
                let bare = UserView(UserRecord(
                    id: "usr_2", pidHash: "h", name: nil, givenName: nil, familyName: nil, birthdate: nil, phone: nil, email: nil, role: role,
                    kycStatus: status, kycApplicantId: nil, riskLevel: .low, isPep: false, isSanctioned: false, locale: "en", createdAt: at,
                    updatedAt: at, deletedAt: nil))
                #expect(bare.json == ByteBuffer(bytes: try encoder(bare)), "\(role) \(status)")
            }
        }
    }

    @Test func nestingAndSeparatorsReset() throws {
        // Containers in containers, each first member without a comma after a sibling's last.
        struct Nest: Encodable, JSONWritable {
            let inner: [[String]]
            let after: String
            func write(to json: inout JSONWriter) {
                json.object {
                    $0.member("after", after)
                    $0.key("inner")
                    $0.array(inner) { row, json in json.array(row) { text, json in json.string(text) } }
                }
            }
        }
        let nest = Nest(inner: [[], ["a"], ["b", "c"], []], after: "z")
        #expect(writer(nest) == (try encoder(nest)))
    }
}
