import DropCore
import DropStore
import DropTestSupport
import Foundation
import SQLKit
import Testing

/// A standing transfer keeps the payee it was approved for (migration 20): written with the order, read
/// back with it, and copied from the recipient for orders set up before the migration.
@Suite("Standing order payees")
struct StandingOrderPayeeTests {
    static let now = BalanceVersionTests.now

    static func insertRecipient(_ database: Database) async throws {
        try await database.run("""
            INSERT INTO recipients (id, user_id, name, country, currency, iban, bic, bank_name, address_city, created_at, updated_at)
            VALUES ('r1', 'u1', 'Zofia Wójcik', 'PL', 'PLN', 'PL61109010140000071219812874', 'WBKPPLPP', 'Santander Bank Polska', 'Warszawa',
                    \(bind: now), \(bind: now))
            """)
    }

    static func recipient(_ database: Database) async throws -> RecipientRecord {
        try #require(try await database.withConnection { try await RecipientRepository.find(id: "r1", userId: "u1", on: $0) })
    }

    @Test func anOrderSetUpBeforeTheMigrationTakesItsRecipientsDetails() async throws {
        try await TestDatabase.with(migrate: false) { database in
            _ = try await Migrator(migrations: Migration.all.filter { $0.version < 20 }).migrate(database)
            try await BalanceVersionTests.seed(database)
            try await BalanceVersionTests.insertAccount("a1", user: "u1", consent: "c1", database)
            try await Self.insertRecipient(database)
            try await database.run("""
                INSERT INTO standing_orders (id, user_id, recipient_id, bank_account_id, amount_minor, fee_minor, total_minor, currency, receive_currency,
                    frequency, day_of_execution, start_date, status, idempotency_key, bank_id, bank_product, bank_request_id, psu_ip_address,
                    created_at, updated_at)
                VALUES ('so1', 'u1', 'r1', 'a1', 150000, 750, 150750, 'NOK', 'PLN', 'monthly', 14, '2026-10-14', 'active', 'k1', 'dnb',
                    'domestic-credit-transfers', 'req-1', '127.0.0.1', \(bind: Self.now), \(bind: Self.now))
                """)
            // A second order has paid Zofia once; then the recipient was edited, before the upgrade.
            try await database.run("""
                INSERT INTO standing_orders (id, user_id, recipient_id, bank_account_id, amount_minor, fee_minor, total_minor, currency, receive_currency,
                    frequency, day_of_execution, start_date, status, idempotency_key, bank_id, bank_product, bank_request_id, psu_ip_address,
                    created_at, updated_at)
                VALUES ('so2', 'u1', 'r1', 'a1', 150000, 750, 150750, 'NOK', 'PLN', 'monthly', 14, '2026-10-14', 'active', 'k2', 'dnb',
                    'domestic-credit-transfers', 'req-2', '127.0.0.1', \(bind: Self.now), \(bind: Self.now))
                """)
            try await database.run("""
                INSERT INTO transactions (id, user_id, kind, status, amount_minor, currency, fee_minor, total_minor, recipient_id, end_to_end_id,
                    standing_order_id, bank_execution_id, payee_name, payee_country, payee_currency, payee_iban, created_at, updated_at)
                VALUES ('t1', 'u1', 'remittance', 'completed', 150000, 'NOK', 750, 150750, 'r1', 'E2E-T1', 'so2', 'x1', 'Zofia Wójcik', 'PL', 'PLN',
                    'PL61109010140000071219812874', \(bind: Self.now), \(bind: Self.now))
                """)
            try await database.run("UPDATE recipients SET name = 'Mallory Hacker', iban = 'PL27114020040000300201355387', bic = NULL WHERE id = 'r1'")
            #expect(try await Migrator().migrate(database) == Migration.all.filter { $0.version >= 20 }.map(\.version))
            let paid = try #require(try await database.withConnection { try await StandingOrderRepository.find(id: "so2", on: $0) })
            #expect(paid.payee?.name == "Zofia Wójcik" && paid.payee?.iban == "PL61109010140000071219812874" && paid.payee?.bic == nil)

            // One that hasn't paid yet takes the recipient as it reads.
            let order = try #require(try await database.withConnection { try await StandingOrderRepository.find(id: "so1", on: $0) })
            #expect(order.payee == PayeeSnapshot(recipient: try await Self.recipient(database)))
            #expect(order.payee?.name == "Mallory Hacker" && order.payee?.addressCity == "Warszawa")
        }
    }

    @Test func anOrderKeepsThePayeeItWasSetUpWithWhateverTheRecipientBecomes() async throws {
        try await TestDatabase.with { database in
            try await BalanceVersionTests.seed(database)
            try await BalanceVersionTests.insertAccount("a1", user: "u1", consent: "c1", database)
            try await Self.insertRecipient(database)
            let approved = try await Self.recipient(database)
            let schedule = try StandingOrderSchedule(frequency: .monthly, startDate: CalendarDate(iso: "2026-10-14"), endDate: nil, dayOfExecution: 14)
            let order = StandingOrderRecord(
                id: "so1", userId: "u1", recipient: approved, bankAccountId: "a1", amountMinor: 150_000, feeMinor: 750, totalMinor: 150_750,
                schedule: schedule, message: nil, replacesId: nil, idempotencyKey: "k1", bankId: "dnb", bankProduct: "domestic-credit-transfers",
                bankRequestId: "req-1", psuIpAddress: "127.0.0.1", at: Self.now)
            try await database.withConnection { try await StandingOrderRepository.insert(order, on: $0) }
            try await database.run("UPDATE recipients SET name = 'Mallory Hacker', iban = 'PL27114020040000300201355387' WHERE id = 'r1'")

            let read = try #require(try await database.withConnection { try await StandingOrderRepository.find(id: "so1", on: $0) })
            #expect(read.payee == PayeeSnapshot(recipient: approved))
            #expect(read.payee?.name == "Zofia Wójcik" && read.receiveCurrency == "PLN")
        }
    }
}
