@testable import DropProviders
import DropCore
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOConcurrencyHelpers
import Testing

/// A bank's answer is used only as Drop can trust it: the SCA page is where Drop sends the customer
/// (a 303, a link), and a payment id goes into the path of Drop's next call with its credentials.
/// Anything else is an unreadable answer, which after a POST leaves the outcome unknown.
@Suite("NextGenPSD2: what Drop takes from a bank's answer")
struct BankAnswerCheckTests {
    /// A bank answering every payment initiation with `paymentId` and `scaRedirect`, and noting every path asked.
    final class StubBank: Sendable {
        let answer = NIOLockedValueBox<(paymentId: String, scaRedirect: String)>(("p-1", "https://bank.example/sca/p-1"))
        let paths = NIOLockedValueBox<[String]>([])

        func run(_ body: @Sendable (NextGenPSD2Client) async throws -> Void) async throws {
            let router = Router()
            let answer = answer, paths = paths
            router.add(middleware: PathLog(paths: paths))
            router.post("dnb/v1/payments/norwegian-domestic-credit-transfers") { _, _ -> Response in
                let (id, page) = answer.withLockedValue { $0 }
                let json = try JSONSerialization.data(withJSONObject: [
                    "paymentId": id, "transactionStatus": "RCVD", "_links": ["scaRedirect": ["href": page]],
                ])
                return Response(status: .created, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: json)))
            }
            let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
            try await app.test(.live) { client in
                let port = try #require(client.port)
                try await body(NextGenPSD2Client(
                    configuration: OpenBankingConfiguration(baseURL: "http://127.0.0.1:\(port)", clientId: "drop", clientSecret: "secret",
                                                            redirectURI: "https://drop.example/v1/bank-accounts/callback"),
                    httpClient: .shared, retryPolicy: RetryPolicy(maxRetries: 0, sleep: { _ in })))
            }
        }
    }

    struct PathLog: RouterMiddleware {
        typealias Context = BasicRequestContext
        let paths: NIOLockedValueBox<[String]>
        func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
            paths.withLockedValue { $0.append(request.uri.path) }
            return try await next(request, context)
        }
    }

    static let payment = OpenBankingPayment(
        debtorAccount: .bban("12345678903"), amount: Money(minorUnits: 20_000, currency: .nok), creditorAccount: .bban("15030010008"),
        creditorName: "Drop Payout Partner AS", endToEndIdentification: "E2E1", remittanceInformationUnstructured: nil)

    static func initiate(_ client: NextGenPSD2Client) async throws -> OpenBankingAuthorisationStart {
        try await client.initiatePayment(bank: "dnb", product: .norwegianDomesticCreditTransfers, payment: payment,
                                         psuIPAddress: "192.0.2.10", requestId: "r-1")
    }

    @Test func aPageThatIsNotTheBanksHttpsPageIsAnUnreadableAnswer() async throws {
        let bank = StubBank()
        try await bank.run { client in
            for page in ["javascript:alert(1)", "http://evil.example/sca/p-1", "//evil.example/sca", "/sca/p-1", "https://bank.example@evil.example/",
                         "https://bank.example/sca\r\nSet-Cookie: a=b", "data:text/html,<script>", "https:///sca", ""] {
                bank.answer.withLockedValue { $0 = ("p-1", page) }
                do {
                    _ = try await Self.initiate(client)
                    Issue.record("took \(page)")
                } catch let error as ProviderError {
                    // As a missing page is: the bank may have made the payment, so it is asked again, never taken.
                    guard case .decoding = error else { Issue.record("\(page): \(error)"); continue }
                }
            }
            // A bank's own https page, on any host (each bank has its own), and the sandbox's plain
            // http page at the very address Drop asks it.
            bank.answer.withLockedValue { $0 = ("p-1", "https://id.bank.example/sca/payments/p-1?lang=nb") }
            #expect(try await Self.initiate(client).scaRedirect == "https://id.bank.example/sca/payments/p-1?lang=nb")
            let sandboxPage = client.configuration.baseURL + "/dnb/sca/payments/p-1"
            bank.answer.withLockedValue { $0 = ("p-1", sandboxPage) }
            #expect(try await Self.initiate(client).scaRedirect == sandboxPage)
        }
    }

    @Test func aPaymentIdThatCouldChangeAPathIsAnUnreadableAnswer() async throws {
        let bank = StubBank()
        try await bank.run { client in
            for id in ["../consents/c-1", "p-1?x=1", "p/1", "p%2F1", "..", ".", "", String(repeating: "p", count: 129), "p 1", "p#1"] {
                bank.answer.withLockedValue { $0 = (id, "https://bank.example/sca") }
                await #expect(throws: ProviderError.self, "\(id)") { _ = try await Self.initiate(client) }
            }
            bank.answer.withLockedValue { $0 = ("Pay_1.a-B", "https://bank.example/sca") }
            let taken = try await Self.initiate(client)
            #expect(taken.id == "Pay_1.a-B")
        }
    }

    @Test func anIdThatCouldChangeAPathIsNeverSent() async throws {
        let bank = StubBank()
        try await bank.run { client in
            let before = bank.paths.withLockedValue { $0.count }
            for id in ["../../consents/c-1", "p-1?withBalance=true", "p-1/status#"] {
                await #expect(throws: ProviderError.self) {
                    _ = try await client.paymentStatus(bank: "dnb", product: .norwegianDomesticCreditTransfers, paymentId: id)
                }
                await #expect(throws: ProviderError.self) {
                    try await client.cancelPayment(bank: "dnb", product: .norwegianDomesticCreditTransfers, paymentId: id)
                }
                await #expect(throws: ProviderError.self) {
                    _ = try await client.periodicPayment(bank: "dnb", product: .norwegianDomesticCreditTransfers, paymentId: id)
                }
                await #expect(throws: ProviderError.self) { _ = try await client.consentStatus(bank: "dnb", consentId: id) }
            }
            #expect(bank.paths.withLockedValue { $0.count } == before)
        }
    }
}
