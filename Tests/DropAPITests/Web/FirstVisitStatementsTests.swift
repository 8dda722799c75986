import DropKit
import Foundation
import Testing
@testable import DropAPI

/// What a process that holds nothing of a customer asks of the database for their dashboard, read from each
/// request's trace: each part is read with the number it is kept under, in one statement, beside the overview
/// and not after it (ADR 0024). On two cores a restart's first visits wait for those rounds of reads
/// (bench/README.md), so one added back shows here.
@Suite("First visits: each answer read with its number")
struct FirstVisitStatementsTests {
    /// The accounts and the newest payments as read when not held; each number alone, as read to check what is held.
    static let accountsRead = "FROM bank_accounts WHERE user_id", balanceNumber = "SELECT user_id, version FROM balance_versions"
    static let newestRead = "AS page_key", listNumber = "SELECT user_id, version FROM transaction_list_versions"

    /// The statements of one request, traced under a trace of its own (the session's check left out).
    static func statements(_ server: LiveServer, _ receiver: TelemetryReceiver, _ path: String, _ credential: (String, String),
                           trace: Int) async throws -> [String] {
        try await allStatements(server, receiver, path, credential, trace: trace).filter { !$0.contains("FROM sessions") }
    }

    static func allStatements(_ server: LiveServer, _ receiver: TelemetryReceiver, _ path: String, _ credential: (String, String),
                              trace: Int) async throws -> [String] {
        let traceId = String(TelemetryTests.callerTrace.dropLast(2)) + String(format: "%02x", trace)
        let reply = try await server.request(.GET, path, headers: [credential, ("traceparent", "00-\(traceId)-\(TelemetryTests.callerSpan)-01")])
        #expect(reply.status == 200, "\(path)")
        await server.services.telemetry.flush()
        return try TelemetryTests.spans(receiver, trace: traceId)
            .filter { $0.kind == .client && $0.attribute("db.system.name") != nil }
            .compactMap { $0.attribute("db.query.text") }
    }

    /// A session's first use on a process reads the session and its customer in one statement, and
    /// `/v1/me` answers from that row; from then on the session is held and the customer read alone.
    @Test func aFirstProfileReadsTheCustomerWithTheSession() async throws {
        try await TelemetryReceiver.run { receiver in
            try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon), environment: TelemetryTests.environment(receiver)) { server in
                // On PostgreSQL a process holds sessions only once it hears their changes (LISTEN is up).
                for _ in 0..<500 where !server.services.database.hearsSessionChanges { try await Task.sleep(for: .milliseconds(10)) }
                let kari = try await server.bearer("15039010043")
                let first = try await Self.allStatements(server, receiver, "/v1/me", kari, trace: 1)
                #expect(first.count == 1, "\(first)")
                #expect(first.first.map { $0.contains("FROM sessions s JOIN users u") && $0.contains("u.kyc_status") } == true, "\(first)")
                // Held from then on. (A session change elsewhere on the database, another test's sign-in on
                // PostgreSQL, makes the process read a session again rather than keep what it read before the
                // change: the next request then reads it anew, in the same single statement.)
                var held: [String] = []
                for trace in 2..<40 {
                    held = try await Self.allStatements(server, receiver, "/v1/me", kari, trace: trace)
                    #expect(held.count == 1, "\(held)")
                    if !held.contains(where: { $0.contains("FROM sessions") }) { break }
                    try await Task.sleep(for: .milliseconds(20))
                }
                #expect(held.count == 1 && held[0].contains("FROM users WHERE id"), "\(held)")
                // What the customer sees is the same either way: a new session's first answer, from the row
                // read with it, against the held session's.
                let again = try await server.bearer("15039010043")
                let fromSessionRow = try await server.get("/v1/me", headers: [again]), fromUserRead = try await server.get("/v1/me", headers: [kari])
                #expect(fromSessionRow.status == 200 && fromSessionRow.body == fromUserRead.body && fromUserRead.body.contains("kycStatus"))
            }
        }
    }

    @Test func aFirstDashboardReadsEachPartWithItsNumberBesideTheOverview() async throws {
        try await TelemetryReceiver.run { receiver in
            try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon), environment: TelemetryTests.environment(receiver)) { server in
                let kari = try await TransfersTests.sender(server)
                let body = #"{"recipientId":"\#(kari.recipientId)","amountMinor":20000,"bankAccountId":"\#(kari.accountId)"}"#
                #expect(try await TransfersTests.send(server, kari, key: "first-visit", body: body).status == 201)

                // The dashboard: the overview, and beside it the accounts and the newest three, each with its number.
                let cookie = ("cookie", "drop_token=\(kari.auth.1.split(separator: " ").last ?? "")")
                let firstPage = try await Self.statements(server, receiver, "/dashboard", cookie, trace: 1)
                #expect(firstPage.count == 3, "\(firstPage)")
                #expect(firstPage.contains { $0.contains("AS transaction_list_version") && $0.contains("FROM users") })
                #expect(firstPage.contains { $0.contains(Self.accountsRead) && $0.contains("balance_version") })
                #expect(firstPage.contains { $0.contains(Self.newestRead) && $0.contains("list_version") })
                #expect(!firstPage.contains { $0.hasPrefix(Self.listNumber) || $0.hasPrefix(Self.balanceNumber) })
                // The next is the overview alone: both parts were kept under the numbers read with them.
                let heldPage = try await Self.statements(server, receiver, "/dashboard", cookie, trace: 2)
                #expect(heldPage.count == 1 && heldPage[0].contains("FROM users"), "\(heldPage)")
                // The API's balance is the same entry, under the same number: the number alone.
                let heldBalance = try await Self.statements(server, receiver, "/v1/balance", kari.auth, trace: 3)
                #expect(heldBalance.count == 1 && heldBalance[0].hasPrefix(Self.balanceNumber), "\(heldBalance)")
            }
        }
    }
}
