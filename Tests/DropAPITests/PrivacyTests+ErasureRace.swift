import DropKit
import DropStore
import Foundation
import SQLKit
import Testing
@testable import DropAPI

extension PrivacyTests {
    /// Kari asks to be erased while one of her payments is being written. The payment's transaction holds her
    /// row (ADR 0037) and commits after the erasure has started. The erasure read "nothing in flight" before
    /// taking her row, then waited on it, and erased her with the payment live at her bank: on PostgreSQL
    /// (READ COMMITTED) she was gone and her money still about to leave. Now the erasure takes her row first,
    /// waits for the payment's commit, sees it and refuses (409 `PAYMENTS_IN_PROGRESS`). SQLite's write gate
    /// orders the two already; the test runs on both.
    @Test func anErasureRunningIntoAPaymentBeingWrittenWaitsForItAndRefuses() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let kariId = try await server.userId(kari.auth)
            let created = try await TransfersTests.send(server, kari, key: "erase-race",
                                                        body: #"{"recipientId":"\#(kari.recipientId)","amountMinor":50000,"bankAccountId":"\#(kari.accountId)"}"#)
            #expect(created.status == 201)
            let id = try created.decode(TransactionCreated.self).transaction.id
            let database = server.services.database
            let inFlight = try #require(try await database.withConnection { db in
                try await db.raw("SELECT status FROM transactions WHERE id = \(bind: id)").first()?.decode(column: "status", as: String.self)
            })
            // Out of the way until the "payment being written" below puts it back, as its transaction would write it.
            try await database.withConnection { try await $0.raw("UPDATE transactions SET status = 'cancelled' WHERE id = \(bind: id)").run() }

            let (locked, lockedGo) = AsyncStream<Void>.makeStream()
            let (commit, commitGo) = AsyncStream<Void>.makeStream()
            let payment = Task {
                defer { lockedGo.finish() }
                try await database.transaction { db in
                    try await UserRepository.lock(id: kariId, on: db)
                    try await db.raw("UPDATE transactions SET status = \(bind: inFlight) WHERE id = \(bind: id)").run()
                    lockedGo.yield()
                    for await _ in commit { break }
                }
            }
            for await _ in locked { break }
            let erasure = Task { try await server.request(.POST, "/v1/gdpr/erasure", headers: [kari.auth]) }
            try await Task.sleep(for: .milliseconds(500))
            commitGo.yield()
            commitGo.finish()
            try await payment.value
            let refused = try await erasure.value

            #expect(refused.status == 409 && refused.errorCode == "PAYMENTS_IN_PROGRESS", "\(refused.status) \(refused.body)")
            #expect(try await server.get("/v1/me", headers: [kari.auth]).decode(User.self).name == "Kari Nordmann")
        }
    }
}
