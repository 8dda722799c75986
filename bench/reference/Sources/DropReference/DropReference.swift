import AsyncHTTPClient
import Crypto
import DropCore
import DropStore
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOPosix
import SQLKit

// drop-reference seed  <users> <tokens-file>   (DATABASE_URL, JWT_SECRET; run after `drop migrate` and `drop seed`)
// drop-reference serve <port>                  (DATABASE_URL, DATABASE_POOL_SIZE; for transfers BANK_URL, the bank sandbox of
//                                                the Drop server measured, OPENBANKING_CLIENT_SECRET, PAYOUT_COLLECTION_ACCOUNT)
// drop-reference crowd <url> <users> <seconds> <tokens-file> [bearer|cookie]   (Crowd.swift)
//
// `serve` is what a hand-written server would do for each of Drop's reads: read the bearer token's
// session id, check the session (one query), then the route's own query, and encode JSON. No
// middleware, no JWT signature check, no logging. A transfer is Transfer.swift.

@main
enum DropReference {
    static func main() async throws {
        let arguments = CommandLine.arguments
        let environment = ProcessInfo.processInfo.environment
        if arguments.count >= 2, arguments[1] == "crowd" { return try await Crowd.run(arguments: Array(arguments.dropFirst(2))) }
        // As Drop does (its ADR 0016), so the two servers differ only in what the bench compares.
        if environment["CONCURRENCY_ON_EVENT_LOOPS"] != "off" {
            _ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        }
        guard arguments.count >= 3, let url = environment["DATABASE_URL"] else {
            FileHandle.standardError.write(Data("usage: drop-reference seed <users> <tokens-file> | serve <port> | crowd <url> <users> <seconds> <tokens-file>\n".utf8))
            exit(2)
        }
        var logger = Logger(label: "drop.reference")
        logger.logLevel = .error
        // Drop's pool: the same DATABASE_POOL_SIZE rule. No session cache, so no LISTEN connection.
        let options = Database.Options(poolSize: environment["DATABASE_POOL_SIZE"].flatMap(Int.init), listensForSessionChanges: false)
        let database = try await Database.connect(try DatabaseURL(parsing: url), options: options, logger: logger)
        do {
            switch arguments[1] {
            case "seed" where arguments.count >= 4:
                guard let secret = environment["JWT_SECRET"] else { throw ReferenceError("JWT_SECRET is required to sign session tokens") }
                try await seed(database, users: Int(arguments[2]) ?? 1000, tokensFile: arguments[3], secret: secret)
            case "serve":
                try await serve(database, port: Int(arguments[2]) ?? 8081, logger: logger)
            default:
                throw ReferenceError("usage: drop-reference seed <users> <tokens-file> | serve <port> | crowd <url> <users> <seconds> <tokens-file>")
            }
        } catch {
            await database.shutdown()
            throw error
        }
        await database.shutdown()
    }
}

struct ReferenceError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

// MARK: - Seeding

/// Users with an approved identity check, one live session each (its bearer token goes to the
/// tokens file, one a line), a valid bank consent and two NOK accounts whose balances stay fresh
/// for the whole run (synced "in the future"), so `/v1/balance` is served from the cache, and a
/// recipient in Poland with 25 paid transfers to them. `<tokens-file>.transfers` has a line per user for transfer creation:
/// token, recipient id, account id.
///
/// The first account pays from an account the bank sandbox knows: the demo data's DNB account
/// (`drop seed` links it), so the bank accepts the payment as it would a real customer's.
/// Seeded users have no national identity number, so Drop names no PSU and the bank checks only
/// that the account exists; the payment is never approved, so nobody's balance moves.
func seed(_ database: Database, users: Int, tokensFile: String, secret: String, history: Int = 25) async throws {
    let payer = try await database.withConnection { db in
        try await db.raw("SELECT bban FROM bank_accounts WHERE bank_id = 'dnb' AND bban IS NOT NULL ORDER BY created_at LIMIT 1").first()
    }.flatMap { try? $0.decode(column: "bban", as: String.self) }
    guard let payer else { throw ReferenceError("no demo DNB account to pay from: run `drop seed` first") }
    let key = SymmetricKey(data: Data(secret.utf8))
    let now = Date()
    let expires = now.addingTimeInterval(86_400)
    let synced = now.addingTimeInterval(4 * 3600)
    var tokens: [String] = []
    var transfers: [String] = []
    tokens.reserveCapacity(users)
    let batch = 200
    for start in stride(from: 0, to: users, by: batch) {
        let made = try await database.transaction { db in
            var made: [(token: String, transfer: String)] = []
            for index in start..<min(users, start + batch) {
                let userId = UUID().uuidString.lowercased(), sessionId = UUID().uuidString.lowercased()
                try await UserRepository.insert(UserRecord(
                    id: userId, pidHash: "bench-\(userId)", name: "Bench User \(index)", givenName: "Bench", familyName: "User \(index)",
                    birthdate: "1990-01-01", phone: "+4790000000", email: nil, role: .user, kycStatus: .approved, kycApplicantId: nil,
                    riskLevel: .low, isPep: false, isSanctioned: false, locale: "nb", createdAt: now, updatedAt: now, deletedAt: nil), on: db)
                try await SessionRepository.insert(SessionRecord(id: sessionId, userId: userId, client: "mobile", createdAt: now, expiresAt: expires), on: db)
                let consentId = UUID().uuidString.lowercased()
                try await db.raw("""
                    INSERT INTO bank_consents (id, user_id, bank_id, provider_consent_id, status, valid_until, created_at, updated_at)
                    VALUES (\(bind: consentId), \(bind: userId), 'dnb', \(bind: "bench-\(consentId)"), 'valid', '2099-01-01', \(bind: now), \(bind: now))
                    """).run()
                let payingAccountId = UUID().uuidString.lowercased()
                for (number, balance) in [("1", Int64(1_234_500)), ("2", Int64(98_700))] {
                    let accountId = number == "1" ? payingAccountId : UUID().uuidString.lowercased()
                    let bban = number == "1" ? payer : "1503001000\(number)"
                    try await db.raw("""
                        INSERT INTO bank_accounts (id, user_id, consent_id, bank_id, provider_account_id, bban, name, currency,
                                                   balance_minor, balance_synced_at, status, created_at, updated_at)
                        VALUES (\(bind: accountId), \(bind: userId), \(bind: consentId), 'dnb', \(bind: "acc-\(number)"),
                                \(bind: bban), \(bind: "Konto \(number)"), 'NOK', \(bind: balance), \(bind: synced), 'active', \(bind: now), \(bind: now))
                        """).run()
                }
                let recipientId = UUID().uuidString.lowercased()
                try await RecipientRepository.insert(RecipientRecord(
                    id: recipientId, userId: userId, name: "Anna Kowalska", country: "PL", currency: "PLN",
                    iban: "PL61109010140000071219812874", accountNumber: nil, bic: "WBKPPLPP", ifsc: nil, routingNumber: nil,
                    bankName: nil, addressStreet: nil, addressPostCode: nil, addressCity: nil, addressCountry: nil,
                    relationship: "family", createdAt: now, updatedAt: now), on: db)
                // A history to list: a page and a bit of paid transfers, one every few days, newest first
                // in `GET /v1/transactions` as a customer of some months sees it, each with its NOK received
                // and paid out in one settled message, as Drop leaves a paid transfer.
                let paid = try PaidHistory(recipient: RecipientDetails(
                    name: "Anna Kowalska", country: try CountryCode("PL"), currency: try Currency(code: "PLN"),
                    iban: "PL61109010140000071219812874", bic: "WBKPPLPP", relationship: "family"), payoutMinor: 54585)
                let paidTransfers = (1...history).map { age in
                    (id: UUID().uuidString.lowercased(), at: now.addingTimeInterval(-Double(age) * 3 * 86_400))
                }
                let payoutId = try await paid.insertPayout(
                    endToEndIds: paidTransfers.map { $0.id.replacingOccurrences(of: "-", with: "").uppercased() },
                    createdAt: paidTransfers.last!.at, settledAt: paidTransfers.first!.at.addingTimeInterval(3600), on: db)
                for (id, at) in paidTransfers {
                    try await db.raw("""
                        INSERT INTO transactions (id, user_id, kind, status, amount_minor, currency, fee_minor, total_minor,
                                                  target_amount_minor, target_currency, rate, recipient_id, bank_account_id, message,
                                                  end_to_end_id, created_at, updated_at, completed_at, payee_name, payee_country,
                                                  payee_currency, payee_iban, payee_bic, funds_received_at, payout_id)
                        VALUES (\(bind: id), \(bind: userId), 'remittance', 'completed', 150000, 'NOK', 750, 150750, 54585, 'PLN',
                                '0.3639', \(bind: recipientId), \(bind: payingAccountId), 'Rent', \(bind: id.replacingOccurrences(of: "-", with: "").uppercased()),
                                \(bind: at), \(bind: at.addingTimeInterval(3600)), \(bind: at.addingTimeInterval(3600)), 'Anna Kowalska', 'PL',
                                'PLN', 'PL61109010140000071219812874', 'WBKPPLPP', \(bind: at.addingTimeInterval(600)), \(bind: payoutId))
                        """).run()
                }
                let token = jwt(sessionId: sessionId, userId: userId, issuedAt: now, expiresAt: expires, key: key)
                made.append((token, "\(token) \(recipientId) \(payingAccountId)"))
            }
            return made
        }
        tokens += made.map(\.token)
        transfers += made.map(\.transfer)
    }
    // A bulk load leaves the planner with the statistics of the tables' first rows until autovacuum
    // analyses them, up to a minute later. Until then PostgreSQL planned a read of a batch of users
    // by their ids as a scan of every user (bench/README.md, "Statistics after the seed").
    // (SQLite is left as Drop leaves it, without statistics, so it plans as a production file does.)
    if database.dialect == .postgres { try await database.withConnection { db in try await db.raw("ANALYZE").run() } }
    try (tokens.joined(separator: "\n") + "\n").write(toFile: tokensFile, atomically: true, encoding: .utf8)
    try (transfers.joined(separator: "\n") + "\n").write(toFile: tokensFile + ".transfers", atomically: true, encoding: .utf8)
    print("seeded \(users) users")
}

/// The session JWT as Drop issues it: HS256 over `{"sid","sub","iat","exp"}`.
func jwt(sessionId: String, userId: String, issuedAt: Date, expiresAt: Date, key: SymmetricKey) -> String {
    let header = base64URL(Data(#"{"alg":"HS256","typ":"JWT"}"#.utf8))
    let payload = base64URL(Data("""
        {"sid":"\(sessionId)","sub":"\(userId)","iat":\(Int(issuedAt.timeIntervalSince1970)),"exp":\(Int(expiresAt.timeIntervalSince1970))}
        """.utf8))
    let signature = HMAC<SHA256>.authenticationCode(for: Data("\(header).\(payload)".utf8), using: key)
    return "\(header).\(payload).\(base64URL(Data(signature)))"
}

func base64URL(_ data: Data) -> String {
    data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        .replacingOccurrences(of: "=", with: "")
}

// MARK: - Serving

struct Caller { let userId: String }

/// The session id from the token's payload (not verified: the reference only pays for the query).
func sessionId(_ request: Request) -> String? {
    guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else { return nil }
    let parts = header.dropFirst(7).split(separator: ".")
    guard parts.count == 3 else { return nil }
    var payload = String(parts[1]).replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
    while payload.count % 4 != 0 { payload += "=" }
    guard let data = Data(base64Encoded: payload),
          let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
    return object["sid"] as? String
}

/// The same session check Drop does per request.
func caller(_ request: Request, _ database: Database) async throws -> Caller {
    guard let sid = sessionId(request) else { throw HTTPError(.unauthorized) }
    let now = Date()
    let row = try await database.withConnection { db in
        try await db.raw("""
            SELECT s.user_id, u.role FROM sessions s JOIN users u ON u.id = s.user_id
            WHERE s.id = \(bind: sid) AND s.revoked_at IS NULL AND s.expires_at > \(bind: now) AND u.deleted_at IS NULL
            """).first()
    }
    guard let row else { throw HTTPError(.unauthorized) }
    return Caller(userId: try row.decode(column: "user_id", as: String.self))
}

enum Encoding {
    static let json: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()
}

func json(_ value: some Encodable) throws -> Response {
    Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
             body: .init(byteBuffer: ByteBuffer(bytes: try Encoding.json.encode(value))))
}

/// A transaction with every field Drop's answer has, so both encode about the same JSON.
struct Item: Encodable {
    let id, kind, status, currency: String
    let amountMinor, feeMinor, totalMinor: Int64
    let receiveMinor: Int64?
    let receiveCurrency, rate, recipientId, recipientName, recipientCountry, merchantId, merchantName, bankAccountId: String?
    let message, reference, paymentLinkId, standingOrderId, scaRedirect, failureReason: String?
    let endToEndId: String
    let createdAt, updatedAt: Date
    let completedAt, returnRequestedAt, returnedAt: Date?

    init(_ t: TransactionRecord) {
        id = t.id; kind = t.kind.rawValue; status = t.status.rawValue; currency = t.amount.currency.rawValue
        amountMinor = t.amount.minorUnits; feeMinor = t.fee.minorUnits; totalMinor = t.total.minorUnits
        receiveMinor = t.receive?.minorUnits; receiveCurrency = t.receive?.currency.rawValue; rate = t.rate
        recipientId = t.recipientId; recipientName = t.recipientName; recipientCountry = t.recipientCountry
        merchantId = t.merchantId; merchantName = t.merchant?.name; bankAccountId = t.bankAccountId
        message = t.message; reference = t.reference; paymentLinkId = t.paymentLinkId; standingOrderId = t.standingOrderId
        scaRedirect = t.scaRedirect; failureReason = t.failureReason; endToEndId = t.endToEndId
        createdAt = t.createdAt; updatedAt = t.updatedAt; completedAt = t.completedAt
        returnRequestedAt = t.returnRequestedAt; returnedAt = t.returnedAt
    }
}

struct Balance: Encodable {
    let totalMinor: Int64
    let accounts: [BankAccountRecord]
}

func serve(_ database: Database, port: Int, logger: Logger) async throws {
    let router = Router()
    // The same constant answer Drop gives: /health measures the framework and the middleware chain.
    let alive = ByteBuffer(string: #"{"status":"ok"}"#)
    router.get("/health") { _, _ in
        Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: alive))
    }
    // The same answer with the headers Drop puts on a JSON answer (a request id of the same length,
    // the security headers): /health against this is the middleware's cost without those bytes.
    let asDrop: HTTPFields = [
        .contentType: "application/json; charset=utf-8",
        .init("x-request-id")!: "00000000-0000-4000-8000-000000000000",
        .init("content-security-policy")!: "default-src 'none'; frame-ancestors 'none'",
        .init("x-content-type-options")!: "nosniff",
        .init("x-frame-options")!: "DENY",
        .init("cache-control")!: "no-store",
    ]
    router.get("/health/with-drop-headers") { _, _ in
        Response(status: .ok, headers: asDrop, body: .init(byteBuffer: alive))
    }
    router.get("/v1/me") { request, _ in
        let who = try await caller(request, database)
        guard let user = try await database.withConnection({ try await UserRepository.find(id: who.userId, on: $0) }) else {
            throw HTTPError(.unauthorized)
        }
        return try json(user)
    }
    router.get("/v1/transactions") { request, _ in
        let who = try await caller(request, database)
        // Drop's own query and row decoding (its repository), one page of 20 plus the one that says more follow.
        let records = try await database.withConnection {
            try await CustomerTransactionRepository.list(userId: who.userId, status: nil, kind: nil, from: nil, to: nil, after: nil, limit: 20, on: $0)
        }
        return try json(records.prefix(20).map(Item.init))
    }
    router.get("/v1/balance") { request, _ in
        let who = try await caller(request, database)
        let accounts = try await database.withConnection { try await BankAccountRepository.all(userId: who.userId, on: $0) }
        return try json(Balance(totalMinor: accounts.compactMap(\.balanceMinor).reduce(0, +), accounts: accounts))
    }
    let environment = ProcessInfo.processInfo.environment
    if let bankURL = environment["BANK_URL"] {
        let transfers = ReferenceTransfers(
            database: database,
            bank: ReferenceBank(baseURL: bankURL, clientId: environment["OPENBANKING_CLIENT_ID"] ?? "drop-dev",
                                clientSecret: environment["OPENBANKING_CLIENT_SECRET"] ?? "", http: .shared),
            collectionAccount: environment["PAYOUT_COLLECTION_ACCOUNT"] ?? "15030010008")
        router.post("/v1/transactions/remittance") { request, _ in try await transfers.create(request) }
    }
    let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)), logger: logger)
    try await app.runService()
}
