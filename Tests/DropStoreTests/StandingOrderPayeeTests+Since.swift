import DropCore
import DropStore
import DropTestSupport
import Foundation
import SQLKit
import Testing

/// When the account a standing transfer pays became its recipient's (migration 31), AML's age of the payee.
extension StandingOrderPayeeTests {
    /// Orders from before the migration: a recipient never edited is as old as itself, one edited before the
    /// order since the edit, and one edited after the order (the copied account's age is lost) since the order.
    @Test func ordersSetUpBeforeMigration31TakeWhenTheirPayeeBecameTheRecipients() async throws {
        try await TestDatabase.with(migrate: false) { database in
            _ = try await Migrator(migrations: Migration.all.filter { $0.version < 31 }).migrate(database)
            try await BalanceVersionTests.seed(database)
            try await BalanceVersionTests.insertAccount("a1", user: "u1", consent: "c1", database)
            let added = Self.now.addingTimeInterval(-365 * 86_400), ordered = Self.now, day: TimeInterval = 86_400
            for (recipient, changed) in [("r-old", nil), ("r-edited-before", ordered - day), ("r-edited-after", ordered + day)] as [(String, Date?)] {
                try await database.run("""
                    INSERT INTO recipients (id, user_id, name, country, currency, iban, created_at, updated_at, payee_changed_at)
                    VALUES (\(bind: recipient), 'u1', 'Zofia Wójcik', 'PL', 'PLN', 'PL61109010140000071219812874', \(bind: added), \(bind: added),
                            \(bind: changed))
                    """)
                try await database.run("""
                    INSERT INTO standing_orders (id, user_id, recipient_id, bank_account_id, amount_minor, fee_minor, total_minor, currency, receive_currency,
                        frequency, day_of_execution, start_date, status, idempotency_key, bank_id, bank_product, bank_request_id, psu_ip_address,
                        created_at, updated_at)
                    VALUES (\(bind: "so-\(recipient)"), 'u1', \(bind: recipient), 'a1', 150000, 750, 150750, 'NOK', 'PLN', 'monthly', 14, '2026-10-14',
                        'active', \(bind: "k-\(recipient)"), 'dnb', 'domestic-credit-transfers', \(bind: "req-\(recipient)"), '127.0.0.1',
                        \(bind: ordered), \(bind: ordered))
                    """)
            }
            #expect(try await Migrator().migrate(database) == Migration.all.filter { $0.version >= 31 }.map(\.version))
            func since(_ recipient: String) async throws -> Date? {
                try await database.withConnection { try await StandingOrderRepository.find(id: "so-\(recipient)", on: $0)?.payeeSince }
            }
            #expect(try await since("r-old") == added)
            #expect(try await since("r-edited-before") == ordered - day)
            #expect(try await since("r-edited-after") == ordered)
        }
    }

    /// A new order is a payee since its recipient's last change of payee; a change of it keeps that.
    @Test func aNewOrderTakesItsRecipientsLastChangeAndAChangeKeepsIt() async throws {
        try await TestDatabase.with { database in
            try await BalanceVersionTests.seed(database)
            try await BalanceVersionTests.insertAccount("a1", user: "u1", consent: "c1", database)
            try await Self.insertRecipient(database)
            let edited = Self.now.addingTimeInterval(3_600)
            try await database.run("UPDATE recipients SET iban = 'PL27114020040000300201355387', payee_changed_at = \(bind: edited) WHERE id = 'r1'")
            let recipient = try await Self.recipient(database)
            let schedule = try StandingOrderSchedule(frequency: .monthly, startDate: CalendarDate(iso: "2026-10-14"), endDate: nil, dayOfExecution: 14)
            func order(_ id: String, payee: PayeeSnapshot? = nil, since: Date? = nil) -> StandingOrderRecord {
                StandingOrderRecord(
                    id: id, userId: "u1", recipient: recipient, payee: payee, payeeSince: since, bankAccountId: "a1", amountMinor: 150_000, feeMinor: 750,
                    totalMinor: 150_750, schedule: schedule, message: nil, replacesId: nil, idempotencyKey: "k-\(id)", bankId: "dnb",
                    bankProduct: "domestic-credit-transfers", bankRequestId: "req-\(id)", psuIpAddress: "127.0.0.1", at: Self.now.addingTimeInterval(7_200))
            }
            let kept = PayeeSnapshot(recipient: recipient)
            try await database.withConnection { db in
                try await StandingOrderRepository.insert(order("so1"), on: db)
                try await StandingOrderRepository.insert(order("so2", payee: kept, since: Self.now), on: db)
            }
            let read = try await database.withConnection { db in
                (try await StandingOrderRepository.find(id: "so1", on: db)?.payeeSince, try await StandingOrderRepository.find(id: "so2", on: db)?.payeeSince)
            }
            #expect(read.0 == edited && read.1 == Self.now)
        }
    }
}
