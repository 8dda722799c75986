/// NOK that reached the partner's collection account for one payout.
public struct PayoutSandboxIncomingPayment: Sendable, Hashable {
    public let amountMinor: Int64
    /// The payer's account (11-digit Norwegian account number).
    public let fromAccount: String

    public init(amountMinor: Int64, fromAccount: String) {
        self.amountMinor = amountMinor
        self.fromAccount = fromAccount
    }
}

/// The partner's NOK collection account as its bank shows it: what arrived for an end-to-end id,
/// and paying NOK back out. The payout sandbox checks a return against it and pays through it.
public protocol PayoutSandboxCollectionAccount: Sendable {
    func incoming(endToEndId: String) async -> PayoutSandboxIncomingPayment?
    func pay(_ amountMinor: Int64, to account: String) async throws
}

/// The collection account held at the bank sandbox (Drop's users pay into it from there).
public struct BankSandboxCollectionAccount: PayoutSandboxCollectionAccount {
    let bank: BankSandbox
    let accountNumber: String

    public init(bank: BankSandbox, accountNumber: String) {
        self.bank = bank
        self.accountNumber = accountNumber
    }

    public func incoming(endToEndId: String) async -> PayoutSandboxIncomingPayment? {
        await bank.executedPayment(to: accountNumber, endToEndId: endToEndId).map {
            PayoutSandboxIncomingPayment(amountMinor: $0.amountMinorUnits, fromAccount: $0.debtorAccount)
        }
    }

    public func pay(_ amountMinor: Int64, to account: String) async throws {
        try await bank.creditIncoming(amountMinor, toAccount: account)
    }
}
