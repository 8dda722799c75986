import Foundation

/// Everything the payout sandbox remembers, as saved in its state file. It keeps only what a
/// status report needs (ids, statuses, sums), never creditor names or accounts.
struct PayoutSandboxState: Sendable, Codable {
    static let currentVersion = 1

    var version = currentVersion
    /// Accepted messages by `MsgId`.
    var messages: [String: PayoutSandboxMessage] = [:]
    /// `Idempotency-Key` → the message accepted under it and the SHA-256 of its body.
    var idempotencyKeys: [String: PayoutSandboxIdempotencyRecord] = [:]
    /// Returns of collected NOK by the partner's id.
    var returns: [String: PayoutSandboxReturn] = [:]

    init() {}

    // Files written before returns existed have no `returns`.
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        version = try container.decode(Int.self, forKey: .version)
        messages = try container.decode([String: PayoutSandboxMessage].self, forKey: .messages)
        idempotencyKeys = try container.decode([String: PayoutSandboxIdempotencyRecord].self, forKey: .idempotencyKeys)
        returns = try container.decodeIfPresent([String: PayoutSandboxReturn].self, forKey: .returns) ?? [:]
    }
}

/// NOK the partner collected for a payout it won't make, paid back to the account it came from.
struct PayoutSandboxReturn: Sendable, Codable, Hashable {
    let id: String
    /// The client's id for it (its idempotency key).
    let returnId: String
    let endToEndId: String
    let amountMinor: Int64
    let currency: String
    let account: String
    let requestedAt: Date
    let completesAt: Date
    /// When it was due and paid back, or due and could not be.
    var completedAt: Date?
    /// Why the NOK could not be paid back (`AC04`: the account is closed); nil while it could.
    var failureReason: String?

    var status: String { failureReason != nil ? "failed" : completedAt == nil ? "pending" : "completed" }
}

struct PayoutSandboxIdempotencyRecord: Sendable, Codable, Hashable {
    let messageId: String
    let bodySHA256: String
}

/// An accepted pain.001.
struct PayoutSandboxMessage: Sendable, Codable {
    let messageId: String
    let receivedAt: Date
    let numberOfTransactions: Int
    let controlSum: String
    /// The 202 answer's pain.002, repeated verbatim for a repeated `Idempotency-Key`.
    var acceptanceReport: String
    var paymentGroups: [PayoutSandboxPaymentGroup]
}

struct PayoutSandboxPaymentGroup: Sendable, Codable {
    let id: String
    let numberOfTransactions: Int
    let controlSum: String
    var transactions: [PayoutSandboxTransaction]
}

/// One transaction and where it is in its life: `PDNG` → `ACSC` → `ACCC`, or `PDNG` → `RJCT`.
struct PayoutSandboxTransaction: Sendable, Codable {
    let endToEndId: String
    /// `InstdAmt` and its `Ccy` as instructed, repeated in the report's `OrgnlTxRef` (nil in state files from before).
    var amount: String?
    var currency: String?
    var status: ISO20022TransactionStatus
    var reasonCode: String?
    var reasonText: String?
    /// When it settles or is rejected.
    let settlesAt: Date
    /// When the creditor is credited (`ACCC`).
    let creditedAt: Date
    /// Decided at acceptance from the sandbox's test rules; applied at `settlesAt`.
    let plannedRejection: PayoutSandboxRejection?
    var acceptedAt: Date?

    var isFinal: Bool { status == .credited || status == .rejected }
}

struct PayoutSandboxRejection: Sendable, Codable, Hashable {
    let code: String
    let text: String
}
