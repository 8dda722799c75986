import DropKit
import Foundation
import Testing
@testable import DropAPI

/// What a process that holds nothing of a customer asks of the database, read from each request's trace: each
/// answer is read with the number it is kept under, in one statement, not after that number (ADR 0024). On two
/// cores a restart's first visits wait for those rounds of reads (bench/README.md), so one added back shows here.
@Suite("First visits: each answer read with its number")
struct FirstVisitStatementsTests {
    /// A customer's balance is what `GET /v1/balance` reads on a miss; its number alone is what it reads on a hit.
    static let accountsRead = "FROM bank_accounts WHERE user_id", balanceNumber = "SELECT user_id, version FROM balance_versions"
    static let newestRead = "AS page_key", listNumber = "SELECT user_id, version FROM transaction_list_versions"

    /// The statements of one request, traced under a trace of its own.
    static func statements(_ server: LiveServer, _ receiver: TelemetryReceiver, _ path: String, _ credential: (String, String),
                           trace: Int) async throws -> [String] {
        let traceId = String(TelemetryTests.callerTrace.dropLast(2)) + String(format: "%02x", trace)
        let reply = try await server.request(.GET, path, headers: [credential, ("traceparent", "00-\(traceId)-\(TelemetryTests.callerSpan)-01")])
        #expect(reply.status == 200, "\(path)")
        await server.services.telemetry.flush()
        return try TelemetryTests.spans(receiver, trace: traceId)
            .filter { $0.kind == .client && $0.attribute("db.system.name") != nil }
            .compactMap { $0.attribute("db.query.text") }
            .filter { !$0.contains("FROM sessions") }
    }

    @Test func aFirstVisitReadsEachAnswerWithItsNumberAndTheNextOnlyTheNumber() async throws {
        try await TelemetryReceiver.run { receiver in
            try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon), environment: TelemetryTests.environment(receiver)) { server in
                let kari = try await TransfersTests.sender(server)
                let body = #"{"recipientId":"\#(kari.recipientId)","amountMinor":20000,"bankAccountId":"\#(kari.accountId)"}"#
                #expect(try await TransfersTests.send(server, kari, key: "first-visit", body: body).status == 201)

                // The API's balance: the accounts with their number, then the number alone.
                let firstBalance = try await Self.statements(server, receiver, "/v1/balance", kari.auth, trace: 1)
                #expect(firstBalance.count == 1 && firstBalance[0].contains(Self.accountsRead) && firstBalance[0].contains("balance_version"),
                        "\(firstBalance)")
                let heldBalance = try await Self.statements(server, receiver, "/v1/balance", kari.auth, trace: 2)
                #expect(heldBalance.count == 1 && heldBalance[0].hasPrefix(Self.balanceNumber), "\(heldBalance)")

                // The dashboard: the overview, and beside it the newest three with their number; the accounts
                // come from the API's answer under the overview's number.
                let cookie = ("cookie", "drop_token=\(kari.auth.1.split(separator: " ").last ?? "")")
                let firstPage = try await Self.statements(server, receiver, "/dashboard", cookie, trace: 3)
                #expect(firstPage.count == 2, "\(firstPage)")
                #expect(firstPage.contains { $0.contains("AS transaction_list_version") && $0.contains("FROM users") })
                #expect(firstPage.contains { $0.contains(Self.newestRead) && $0.contains("list_version") })
                #expect(!firstPage.contains { $0.contains(Self.accountsRead) || $0.hasPrefix(Self.listNumber) || $0.hasPrefix(Self.balanceNumber) })
                let heldPage = try await Self.statements(server, receiver, "/dashboard", cookie, trace: 4)
                #expect(heldPage.count == 1 && heldPage[0].contains("FROM users"), "\(heldPage)")
            }
        }
    }
}
