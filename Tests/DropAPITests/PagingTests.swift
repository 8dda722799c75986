import DropKit
import DropStore
import DropTestTools
import Foundation
import Testing

/// Newest-first lists hand out a cursor; walking them at any page size must give every row
/// exactly once, also when rows share a timestamp or differ by less than a millisecond (a
/// cursor that rounded `created_at` repeated rows, lost others and, at limit 1, never ended).
@Suite("Paging: every cursor is exact")
struct PagingTests {
    /// Times close together: equal, a microsecond, a fraction of a millisecond or of a microsecond apart.
    static func times(_ count: Int, around base: Date, using random: inout SeededGenerator) -> [Date] {
        let steps: [TimeInterval] = [0, 0, 1e-7, 3e-7, 1e-6, 2.5e-4, 4e-4, 9.99e-4, 1e-3, 0.0015]
        var at = base
        return (0..<count).map { _ in
            at = at.addingTimeInterval(steps.randomElement(using: &random)!)
            // Now and then one of the earlier times again.
            return Bool.random(using: &random) ? at : base.addingTimeInterval(steps.randomElement(using: &random)! * 2)
        }
    }

    /// Any of the lists (transfers, notifications, recipients …) as far as paging reads it.
    struct Listed: Decodable {
        struct Item: Decodable { let id: String }
        let items: [Item]
        let nextCursor: String?
    }

    /// Follows `nextCursor` from the first page; fails rather than loop when a cursor never ends.
    static func walk(_ server: LiveServer, _ path: String, limit: Int, auth: (String, String)) async throws -> [String] {
        var ids: [String] = []
        var cursor: String?
        for _ in 0..<200 {
            let separator = path.contains("?") ? "&" : "?"
            let page = try await server.get(path + "\(separator)limit=\(limit)" + (cursor.map { "&cursor=\($0)" } ?? ""), headers: [auth])
                .decode(Listed.self)
            ids += page.items.map(\.id)
            guard let next = page.nextCursor else { return ids }
            cursor = next
        }
        Issue.record("\(path) at limit \(limit) did not end after 200 pages")
        return ids
    }

    @Test func everyLimitFromOneToFiveReturnsEachRowOnceOnTransactionsNotificationsAndAdminLists() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await server.bearer(TransfersTests.kari)
            let kariId = try await server.userId(kari)
            let admin = try await server.bearer(ComplianceAdminTests.anders)
            let recipient = try await server.call(.POST, "/v1/recipients", RecipientsTests.germany, auth: kari)
            let recipientId = try recipient.decode(Recipient.self).id
            var random = SeededGenerator(seed: 0x5EED_D40F)
            let base = LiveServer.wednesdayNoon.addingTimeInterval(-3600 + 0.123_456_789)

            for round in 0..<3 {
                let transactions = Self.times(12, around: base.addingTimeInterval(Double(round) * 60), using: &random)
                let notifications = Self.times(12, around: base.addingTimeInterval(Double(round) * 60), using: &random)
                try await server.services.database.transaction { db in
                    for (index, at) in transactions.enumerated() {
                        try await db.raw("""
                            INSERT INTO transactions (id, user_id, kind, status, amount_minor, currency, fee_minor, total_minor,
                                                      recipient_id, end_to_end_id, created_at, updated_at)
                            VALUES (\(bind: UUID().uuidString.lowercased()), \(bind: kariId), 'remittance', 'held', 100, 'NOK', 1, 101,
                                    \(bind: recipientId), \(bind: "E2E-PAGING-\(round)-\(index)"), \(bind: at), \(bind: at))
                            """).run()
                    }
                    for at in notifications {
                        try await db.raw("""
                            INSERT INTO notifications (id, user_id, kind, title, body, created_at)
                            VALUES (\(bind: UUID().uuidString.lowercased()), \(bind: kariId), 'bank.reconnect', 'Test', 'Test', \(bind: at))
                            """).run()
                    }
                }
                let expected = try await server.services.database.withConnection { db in
                    (try await db.raw("SELECT id FROM transactions WHERE user_id = \(bind: kariId)").all().map { try $0.decode(column: "id", as: String.self) },
                     try await db.raw("SELECT id FROM notifications WHERE user_id = \(bind: kariId)").all().map { try $0.decode(column: "id", as: String.self) })
                }
                for limit in 1...5 {
                    for (path, auth, rows) in [("/v1/transactions", kari, expected.0), ("/v1/admin/transactions?status=held", admin, expected.0),
                                               ("/v1/notifications", kari, expected.1)] {
                        let walked = try await Self.walk(server, path, limit: limit, auth: auth)
                        #expect(walked.count == rows.count && Set(walked) == Set(rows), "\(path) limit \(limit), round \(round): \(walked.count) of \(rows.count)")
                    }
                }
            }

            // The GDPR export pages the same way: every transaction once.
            let exported = try await server.get("/v1/gdpr/export", headers: [kari]).decode(DataExport.self).transactions.map(\.id)
            #expect(exported.count == 36 && Set(exported).count == 36)
        }
    }
}
