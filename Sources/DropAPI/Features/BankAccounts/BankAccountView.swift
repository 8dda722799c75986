import DropCore
import DropStore
import Foundation

/// A linked account as the app shows it: the last balance the bank gave and how old it is.
struct BankAccountView: Encodable, Sendable {
    struct BankRef: Encodable, Sendable {
        let id: String
        let name: String
    }

    let id: String
    let bank: BankRef
    let name: String?
    let iban: String?
    let bban: String?
    let currency: String
    let balance: Money?
    let balanceSyncedAt: Date?
    /// The balance could not be brought up to date just now (bank down, daily budget spent,
    /// consent expired): it is the last one known, from `balanceSyncedAt`.
    let stale: Bool
    /// `reconnect` when the user must link the bank again.
    let status: BankAccountStatus

    init(_ state: LinkedAccount) {
        let record = state.record
        id = record.id
        bank = BankRef(id: record.bankId, name: BankDirectory.norway.name(of: record.bankId))
        name = record.name
        iban = record.iban
        bban = record.bban
        currency = record.currency
        balance = record.balanceMinor.flatMap { minor in Currency(rawValue: record.currency).map { Money(minorUnits: minor, currency: $0) } }
        balanceSyncedAt = record.balanceSyncedAt
        stale = state.stale
        status = record.status
    }
}

/// `GET /v1/balance`: what the user has across linked accounts.
struct BalanceView: Encodable, Sendable {
    /// Absent when the balances don't add up to an amount Drop can show (`LinkedAccount.nokTotal`).
    let total: Money?
    let accounts: [BankAccountView]
    let stale: Bool
    /// The oldest balance in the total.
    let syncedAt: Date?

    init(_ accounts: [LinkedAccount]) {
        total = LinkedAccount.nokTotal(of: accounts)
        self.accounts = accounts.map(BankAccountView.init)
        stale = accounts.contains { $0.stale }
        syncedAt = accounts.compactMap(\.record.balanceSyncedAt).min()
    }
}
