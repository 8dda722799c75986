import DropCore
import DropKit
import DropTestSupport
import Foundation
import SQLKit
import Testing

/// What one transfer asks of the database, read from its trace. On two cores the statements a
/// transfer sends are most of what it costs (bench/README.md), so one added without need shows here.
@Suite("Transfers: what one transfer asks of the database")
struct TransferStatementsTests {
    @Test func aTransferFromAnAmountIsOneTransactionAndItsQuoteIsWrittenTakenInsideIt() async throws {
        try await TelemetryReceiver.run { receiver in
            try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon), environment: TelemetryTests.environment(receiver)) { server in
                let kari = try await TransfersTests.sender(server)
                let body = #"{"recipientId":"\#(kari.recipientId)","amountMinor":20000,"bankAccountId":"\#(kari.accountId)"}"#
                let reply = try await server.request(.POST, "/v1/transactions/remittance", headers: [
                    kari.auth, ("content-type", "application/json"), ("Idempotency-Key", "one"),
                    ("traceparent", "00-\(TelemetryTests.callerTrace)-\(TelemetryTests.callerSpan)-01"),
                ], body: body)
                #expect(reply.status == 201)
                let transfer = try reply.decode(TransactionCreated.self).transaction
                await server.services.telemetry.flush()

                let statements = try TelemetryTests.spans(receiver, trace: TelemetryTests.callerTrace)
                    .filter { $0.kind == .client && $0.attribute("db.system.name") != nil }
                    .compactMap { $0.attribute("db.query.text")?.trimmingCharacters(in: .whitespacesAndNewlines) }
                    // The session's read is the sign-in's, not the transfer's, and is there only
                    // while this process's session cache can't answer (PostgreSQL's LISTEN not up yet).
                    .filter { !$0.contains("FROM sessions") }
                // The idempotency key is taken and answered, and the bank's answer stored, by one
                // statement each: the transfer, its quote, history, audit row and notification are
                // the only transaction.
                #expect(statements.filter { $0.hasPrefix("BEGIN") }.count == 1)
                #expect(statements.filter { $0.hasPrefix("COMMIT") }.count == 1)
                // The quote priced for it is written once, already taken: not stored first, read back
                // and marked used.
                #expect(statements.filter { $0.contains("INSERT INTO quotes") }.count == 1)
                #expect(!statements.contains { $0.hasPrefix("UPDATE quotes") || $0.contains("FROM quotes") })
                // The payer's PSU-ID comes with the payment read before the bank is asked, and on
                // PostgreSQL the audit row and the chain's new head are one statement.
                #expect(!statements.contains { $0.contains("SELECT pid_encrypted FROM users WHERE id") })
                if server.services.database.dialect == .postgres {
                    // The quote, the transfer, its history entry and the notification go out as one
                    // statement, before the chain's head is taken (docs/decisions/0022).
                    let inserts = statements.filter { $0.contains("INSERT INTO") && !$0.contains("audit_log") && !$0.contains("idempotency_keys") }
                    #expect(inserts.count == 1)
                    #expect(["quotes", "transactions", "transaction_events", "notifications"].allSatisfy { inserts.first?.contains("INSERT INTO \($0) (") == true })
                    #expect(!statements.contains { $0.hasPrefix("UPDATE audit_chain_head SET hash") })
                    // The chain's head, which every audited write waits for, is taken last and held
                    // for one more statement before COMMIT.
                    let commit = try #require(statements.firstIndex { $0.hasPrefix("COMMIT") })
                    #expect(statements[commit - 2].hasPrefix("UPDATE audit_chain_head SET seq"))
                    #expect(statements[commit - 1].hasPrefix("WITH head AS (UPDATE audit_chain_head SET hash"))
                }
                // SQLite reads the payer again on the transaction (a verdict since the request began is
                // screened, ADR 0037); PostgreSQL's lock on their row, taken anyway, returns it.
                #expect(statements.count <= (server.services.database.dialect == .postgres ? 18 : 22), "\(statements.count) statements:\n\(statements.map { String($0.prefix(80)) }.joined(separator: "\n"))")

                let quote = try #require(try await server.services.database.withConnection { db in
                    try await db.raw("""
                        SELECT q.used_at IS NOT NULL AS used, q.send_minor FROM quotes q JOIN transactions t ON t.quote_id = q.id
                        WHERE t.id = \(bind: transfer.id)
                        """).first()
                })
                #expect(try quote.decode(column: "used", as: Bool.self))
                #expect(try quote.decode(column: "send_minor", as: Int64.self) == 20000)
            }
        }
    }

    /// A block writes no transfer, only its alert (a sanctions hit, often): on the screening's own
    /// transaction, so no crash between the two can leave the refused attempt unrecorded.
    @Test func aBlockedTransferWritesItsAlertInTheScreeningTransaction() async throws {
        try await TelemetryReceiver.run { receiver in
            try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon), environment: TelemetryTests.environment(receiver)) { server in
                let kari = try await TransfersTests.sender(server)
                let kariId = try await server.userId(kari.auth)
                try await server.services.database.run("UPDATE users SET is_sanctioned = TRUE WHERE id = \(bind: kariId)")
                let body = #"{"recipientId":"\#(kari.recipientId)","amountMinor":20000,"bankAccountId":"\#(kari.accountId)"}"#
                let reply = try await server.request(.POST, "/v1/transactions/remittance", headers: [
                    kari.auth, ("content-type", "application/json"), ("Idempotency-Key", "blocked"),
                    ("traceparent", "00-\(TelemetryTests.callerTrace)-\(TelemetryTests.callerSpan)-01"),
                ], body: body)
                #expect(reply.status == 403)
                await server.services.telemetry.flush()

                let statements = try TelemetryTests.spans(receiver, trace: TelemetryTests.callerTrace)
                    .filter { $0.kind == .client && $0.attribute("db.system.name") != nil }
                    .compactMap { $0.attribute("db.query.text")?.trimmingCharacters(in: .whitespacesAndNewlines) }
                #expect(statements.filter { $0.hasPrefix("BEGIN") }.count == 1)
                let begin = try #require(statements.firstIndex { $0.hasPrefix("BEGIN") })
                let commit = try #require(statements.firstIndex { $0.hasPrefix("COMMIT") })
                let alert = try #require(statements.firstIndex { $0.contains("INSERT INTO aml_alerts") })
                #expect(begin < alert && alert < commit)
                #expect(try await TransfersTests.transactionCount(server) == 0)
            }
        }
    }

    @Test func aTransferOverTheLimitWritesNoQuoteAndNamesTheAmount() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            #expect(try await server.call(.PUT, "/v1/spending-limits", #"{"daily":{"amountMinor":500000,"currency":"NOK"}}"#,
                                          auth: kari.auth).status == 200)
            let body = #"{"recipientId":"\#(kari.recipientId)","amountMinor":500001,"bankAccountId":"\#(kari.accountId)"}"#
            let refused = try await TransfersTests.send(server, kari, key: "over", body: body)
            // The field the request named (a quote of its own would say sendAmountMinor).
            #expect(refused.status == 422 && refused.errorCode == "LIMIT_EXCEEDED" && refused.issue("amountMinor") == "daily_limit")
            let quotes = try await server.services.database.withConnection {
                try await $0.raw("SELECT COUNT(*) AS n FROM quotes").first()!.decode(column: "n", as: Int.self)
            }
            #expect(quotes == 0)
        }
    }
}
