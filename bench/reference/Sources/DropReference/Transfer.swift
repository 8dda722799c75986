import AsyncHTTPClient
import Crypto
import DropCore
import DropStore
import Foundation
import Hummingbird
import NIOCore

/// `POST /v1/transactions/remittance` as a hand-written server would do it: the statements one of
/// Drop's transfers sends (TransferStatementsTests counts them), through Drop's store, and the
/// bank's payment initiation over HTTP, with nothing around them. What it leaves out is what the
/// bench weighs: middleware, the JWT's signature, services, AML rules, tracing, error mapping.
/// A repeated key or any refusal is a 409 or 422 here, not Drop's answers.
///
/// Statements: the session check, the Idempotency-Key claimed, an earlier transfer with the key,
/// recipient, account, rate; then in one transaction the customer's lock, their limits' standing,
/// their recent payments (AML), the quote, the transfer, its history entry and its notification (one
/// statement on PostgreSQL, ADR 0022, as in Drop), and its audit row (written just before COMMIT,
/// as in Drop); then the payment read back, the bank
/// asked, its answer stored, the transfer read with its history, and the answer stored with the key.
struct ReferenceTransfers: Sendable {
    let database: Database
    let bank: ReferenceBank
    /// The account Drop collects remittances in before paying out (PAYOUT_COLLECTION_ACCOUNT).
    let collectionAccount: String

    struct Body: Decodable {
        let recipientId: String
        let amountMinor: Int64
        let bankAccountId: String
    }

    struct Answer: Encodable {
        let transaction: Item
        let history: Int
        let scaRedirect: String
    }

    func create(_ request: Request) async throws -> Response {
        let who = try await caller(request, database)
        guard let key = request.headers[.init("Idempotency-Key")!], !key.isEmpty else { throw HTTPError(.badRequest) }
        let bytes = try await request.body.collect(upTo: 64 * 1024)
        let body = try JSONDecoder().decode(Body.self, from: bytes)
        let now = Date()
        let scope = "remittance:\(who.userId)", owner = RecordID.make()
        let hash = SHA256.hash(data: Data(buffer: bytes)).map { String(format: "%02x", $0) }.joined()
        let keys = IdempotencyStore(database: database)
        guard try await keys.begin(scope: scope, key: key, requestHash: hash, owner: owner, now: now) == .started,
              try await database.withConnection({
                  try await TransactionRepository.bankPayment(userId: who.userId, idempotencyKey: key, on: $0)
              }) == nil
        else { throw HTTPError(.conflict) }

        let (recipient, account, rate) = try await database.withConnection { db in
            let recipient = try await RecipientRepository.find(id: body.recipientId, userId: who.userId, on: db)
            let account = try await BankAccountRepository.find(id: body.bankAccountId, userId: who.userId, on: db)
            let rate = if let recipient { try await ExchangeRateRepository.latest(base: "NOK", quote: recipient.currency, notAfter: OsloCalendar.today(Date()).iso, on: db) } else { nil as ExchangeRateRecord? }
            return (recipient, account, rate)
        }
        guard let recipient, let account, let rate, let fixed = try? FixedPointRate(parsing: rate.rate),
              let country = CountryCode(rawValue: recipient.country), let currency = Currency(rawValue: recipient.currency),
              let corridor = Corridors.find(country: country, currency: currency)
        else { throw HTTPError(.unprocessableContent) }
        let quote = try Pricing.quote(sending: Money(minorUnits: body.amountMinor, currency: .nok), corridor: corridor, rate: fixed,
                                      rateAsOf: rate.asOf, now: Int64(now.timeIntervalSince1970))

        let id = RecordID.make(), quoteId = RecordID.make()
        try await database.transaction { db in
            try await SpendingLimitRepository.lockUser(userId: who.userId, on: db)
            let standing = try await SpendingLimitRepository.standing(userId: who.userId, dayStart: now.addingTimeInterval(-86_400),
                                                                      monthStart: now.addingTimeInterval(-30 * 86_400), on: db)
            guard standing.today + body.amountMinor <= (standing.dailyLimit ?? 10_000_000) else { throw HTTPError(.unprocessableContent) }
            _ = try await ScreeningHistoryRepository.payments(userId: who.userId, since: now.addingTimeInterval(-30 * 86_400), on: db)
            try await QuoteRepository.insert(QuoteRecord(
                id: quoteId, userId: who.userId, country: recipient.country, sendMinor: quote.send.minorUnits, sendCurrency: "NOK",
                feeMinor: quote.fee.minorUnits, totalMinor: quote.total.minorUnits, receiveMinor: quote.receive.minorUnits,
                receiveCurrency: quote.receive.currency.code, rate: quote.rate.description, rateAsOf: quote.rateAsOf,
                createdAt: Date(timeIntervalSince1970: TimeInterval(quote.createdAt)),
                expiresAt: Date(timeIntervalSince1970: TimeInterval(quote.expiresAt)), usedAt: now), on: db)
            try await TransactionRepository.open(NewTransaction(
                id: id, userId: who.userId, kind: .remittance, amount: quote.send, fee: quote.fee, total: quote.total, target: quote.receive,
                rate: quote.rate.description, recipientId: recipient.id, payee: PayeeSnapshot(recipient: recipient), bankAccountId: account.id,
                quoteId: quoteId, idempotencyKey: key, endToEndId: try EndToEndId.make(from: id).value, bankRequestId: RecordID.make(),
                bankProduct: "norwegian-domestic-credit-transfers", psuIPAddress: "127.0.0.1", scaExpiresAt: now.addingTimeInterval(1800)),
                standingOrderId: nil, at: now, on: db)
            try await NotificationRepository.insert(NotificationRecord(
                userId: who.userId, kind: .transaction(.pendingSCA), title: "Approve your transfer",
                body: "Approve the transfer to \(recipient.name) in your bank.", link: NotificationLink(transactionId: id), createdAt: now), on: db)
        }

        guard let payment = try await database.withConnection({ try await TransactionRepository.bankPayment(id: id, on: $0) }),
              let requestId = payment.bankRequestId, let debtor = account.bban
        else { throw HTTPError(.internalServerError) }
        let started = try await bank.initiate(bankId: account.bankId, requestId: requestId, debtorBBAN: debtor, amount: payment.total,
                                              creditorBBAN: collectionAccount, endToEndId: payment.endToEndId, psuIPAddress: "127.0.0.1",
                                              returnURL: "http://127.0.0.1/v1/transactions/\(id)/sca-callback")
        _ = try await database.singleWrite {
            try await TransactionRepository.recordInitiation(id: id, paymentId: started.paymentId, scaRedirect: started.scaRedirect, at: now, on: $0)
        }
        guard let (written, history) = try await database.withConnection({ try await CustomerTransactionRepository.find(id: id, userId: who.userId, on: $0) })
        else { throw HTTPError(.internalServerError) }
        let answer = try Encoding.json.encode(Answer(transaction: Item(written), history: history.count, scaRedirect: started.scaRedirect))
        try await keys.complete(scope: scope, key: key, owner: owner, status: 201, body: String(decoding: answer, as: UTF8.self))
        return Response(status: .created, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: answer)))
    }
}

/// The bank's payment initiation (NextGenPSD2, the sandbox Drop's server runs) as one plain HTTP
/// call: the headers and body Drop's client sends, no breaker or retries.
struct ReferenceBank: Sendable {
    let baseURL: String
    let clientId: String
    let clientSecret: String
    let http: HTTPClient

    struct Started { let paymentId: String; let scaRedirect: String }

    func initiate(bankId: String, requestId: String, debtorBBAN: String, amount: Money, creditorBBAN: String, endToEndId: String,
                  psuIPAddress: String, returnURL: String) async throws -> Started {
        var request = HTTPClientRequest(url: "\(baseURL)/\(bankId)/v1/payments/norwegian-domestic-credit-transfers")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Basic " + Data("\(clientId):\(clientSecret)".utf8).base64EncodedString())
        request.headers.add(name: "X-Request-ID", value: requestId)
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "PSU-IP-Address", value: psuIPAddress)
        request.headers.add(name: "TPP-Redirect-URI", value: returnURL)
        request.headers.add(name: "TPP-Redirect-Preferred", value: "true")
        let body: [String: Any] = [
            "debtorAccount": ["bban": debtorBBAN], "creditorAccount": ["bban": creditorBBAN], "creditorName": "Drop AS",
            "instructedAmount": ["currency": amount.currency.code, "amount": amount.decimalString],
            "endToEndIdentification": endToEndId, "remittanceInformationUnstructured": "Drop \(endToEndId)",
        ]
        request.body = .bytes(try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys, .withoutEscapingSlashes]))
        let response = try await http.execute(request, timeout: .seconds(10))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        guard response.status == .created || response.status == .ok,
              let json = try JSONSerialization.jsonObject(with: Data(buffer: bytes)) as? [String: Any],
              let paymentId = json["paymentId"] as? String,
              let links = json["_links"] as? [String: Any], let sca = links["scaRedirect"] as? [String: Any], let href = sca["href"] as? String
        else { throw HTTPError(.badGateway, message: "the bank answered \(response.status.code)") }
        return Started(paymentId: paymentId, scaRedirect: href)
    }
}
