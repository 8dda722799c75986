import DropCore
import DropStore
import DropTestSupport
import Foundation

/// Kari (u1) with DNB linked (account a1) and Zofia as her recipient (r1), and her remittances to
/// Zofia as `TransactionRepository.open` writes them (`pending_sca`): what store tests about her
/// transfers start from.
enum KariSends {
    static func setUp(_ database: Database) async throws {
        try await BalanceVersionTests.seed(database)
        try await BalanceVersionTests.insertAccount("a1", user: "u1", consent: "c1", database)
        try await StandingOrderPayeeTests.insertRecipient(database)
    }

    /// A remittance of `amountMinor` NOK (fee 0.5 %) from a1 to r1, made at `now`.
    static func transfer(_ id: String, amountMinor: Int64, at now: Date, _ database: Database) async throws {
        let fee = amountMinor / 200
        try await database.transaction { db in
            try await TransactionRepository.open(NewTransaction(
                id: id, userId: "u1", kind: .remittance, amount: Money(minorUnits: amountMinor, currency: .nok), fee: Money(minorUnits: fee, currency: .nok),
                total: Money(minorUnits: amountMinor + fee, currency: .nok), recipientId: "r1", bankAccountId: "a1", idempotencyKey: id,
                endToEndId: "E2E-\(id)", bankRequestId: "req-\(id)", bankProduct: "domestic-credit-transfers", psuIPAddress: "192.0.2.1",
                scaExpiresAt: now), standingOrderId: nil, at: now, on: db)
        }
    }
}
