import Foundation

/// Drop's account at the payout partner, which every payout is paid from (`Dbtr`, `DbtrAcct`, `DbtrAgt`).
public struct PayoutDebtor: Sendable, Hashable {
    public let name: String
    public let iban: IBAN
    public let bic: BIC

    public init(name: String, iban: IBAN, bic: BIC) {
        self.name = name
        self.iban = iban
        self.bic = bic
    }
}

/// One pain.001 message to the payout partner: a group header and the payouts, which the
/// writer groups into one `PmtInf` per currency and rail.
///
/// `messageId` is the message's `MsgId` and the `Idempotency-Key` it is submitted with, so it
/// must be unique per batch, forever: the partner refuses a MsgId it has seen before.
public struct PayoutBatch: Sendable, Hashable {
    /// Payouts of one currency over one rail: one `PmtInf`.
    public struct PaymentGroup: Sendable, Hashable {
        /// `PmtInfId`: the message id (shortened if needed) and the group's 1-based position.
        public let id: String
        public let currency: Currency
        public let rail: Rail
        public let instructions: [PayoutInstruction]
        /// The group's `CtrlSum`.
        public let controlSum: Money
    }

    /// `MsgId` is Max35Text; Drop also keeps it URL- and header-safe.
    public static let maximumMessageIdLength = 35
    /// A sanity cap on one message; partners accept far more, but a smaller file fails smaller.
    public static let maximumTransactions = 9_999

    public let messageId: String
    public let creationTime: Date
    /// `InitgPty/Nm`: who sends the instruction (Drop).
    public let initiatingPartyName: String
    public let debtor: PayoutDebtor
    public let requestedExecutionDate: CalendarDate
    public let instructions: [PayoutInstruction]
    public let paymentGroups: [PaymentGroup]

    /// - Parameters:
    ///   - messageId: 1–35 characters of `[A-Za-z0-9-]`, unique per batch (e.g. a UUID without hyphens).
    ///   - initiatingPartyName: defaults to the debtor's name.
    /// - Throws: `ValidationIssue` for a bad message id, no or too many payouts, a repeated
    ///   end-to-end id, or totals that do not fit in 64 bits.
    public init(
        messageId: String, creationTime: Date, initiatingPartyName: String? = nil, debtor: PayoutDebtor,
        requestedExecutionDate: CalendarDate, instructions: [PayoutInstruction]
    ) throws(ValidationIssue) {
        let idBytes = Array(messageId.utf8)
        guard (1...Self.maximumMessageIdLength).contains(idBytes.count),
              idBytes.allSatisfy({ ASCII.isAlphanumeric($0) || $0 == UInt8(ascii: "-") }) else {
            throw ValidationIssue(field: "messageId", issue: ValidationIssue.Code.format,
                                  message: "A message id is 1 to 35 letters, digits and hyphens.")
        }
        guard !instructions.isEmpty, instructions.count <= Self.maximumTransactions else {
            throw ValidationIssue(field: "instructions", issue: ValidationIssue.Code.length,
                                  message: "A batch holds 1 to \(Self.maximumTransactions) payouts.")
        }
        var seen: Set<String> = []
        for instruction in instructions where !seen.insert(instruction.endToEndId.value).inserted {
            throw ValidationIssue(field: "instructions", issue: "duplicate",
                                  message: "Every payout in a batch needs its own end-to-end id.")
        }
        self.messageId = messageId
        self.creationTime = creationTime
        self.initiatingPartyName = initiatingPartyName ?? debtor.name
        self.debtor = debtor
        self.requestedExecutionDate = requestedExecutionDate
        self.instructions = instructions
        self.paymentGroups = try Self.group(instructions, messageId: messageId)
        _ = try Self.decimalSum(of: paymentGroups.map(\.controlSum))
    }

    public var numberOfTransactions: Int { instructions.count }

    /// The group header's `CtrlSum`: all amounts added as plain decimals, whatever their
    /// currency (ISO 20022's definition), with as many decimals as the most precise currency.
    public var controlSum: String {
        (try? Self.decimalSum(of: paymentGroups.map(\.controlSum))) ?? "0"
    }

    /// The payment group (`PmtInf`) an end-to-end id is in.
    public func paymentGroup(containing endToEndId: String) -> PaymentGroup? {
        paymentGroups.first { $0.instructions.contains { $0.endToEndId.value == endToEndId } }
    }

    /// One group per (currency, rail), in order of first appearance; payouts keep their order.
    private static func group(_ instructions: [PayoutInstruction], messageId: String) throws(ValidationIssue) -> [PaymentGroup] {
        struct Key: Hashable {
            let currency: Currency
            let rail: Rail
        }
        var order: [Key] = []
        var members: [Key: [PayoutInstruction]] = [:]
        for instruction in instructions {
            let key = Key(currency: instruction.amount.currency, rail: instruction.rail)
            if members[key] == nil { order.append(key) }
            members[key, default: []].append(instruction)
        }
        var groups: [PaymentGroup] = []
        for (index, key) in order.enumerated() {
            let payouts = members[key] ?? []
            let sum: Money
            do {
                sum = try Money.sum(payouts.map(\.amount), in: key.currency)
            } catch {
                throw ValidationIssue(field: "instructions", issue: "overflow", message: "The batch total is too large.")
            }
            let suffix = "-\(index + 1)"
            groups.append(PaymentGroup(
                id: String(messageId.prefix(maximumMessageIdLength - suffix.count)) + suffix,
                currency: key.currency, rail: key.rail, instructions: payouts, controlSum: sum
            ))
        }
        return groups
    }

    /// Amounts in any currencies added as decimals: `10.00 EUR + 1.250 KWD = "11.250"`.
    static func decimalSum(of amounts: [Money]) throws(ValidationIssue) -> String {
        let exponent = amounts.map(\.currency.exponent).max() ?? 0
        var total: Int64 = 0
        for amount in amounts {
            var scaled = amount.minorUnits
            for _ in amount.currency.exponent..<exponent {
                let (product, overflow) = scaled.multipliedReportingOverflow(by: 10)
                guard !overflow else { throw ValidationIssue(field: "instructions", issue: "overflow", message: "The batch total is too large.") }
                scaled = product
            }
            let (sum, overflow) = total.addingReportingOverflow(scaled)
            guard !overflow else { throw ValidationIssue(field: "instructions", issue: "overflow", message: "The batch total is too large.") }
            total = sum
        }
        let (whole, fraction) = Money.split(total.magnitude, exponent: exponent)
        return (total < 0 ? "-" : "") + String(whole) + (fraction.map { "." + $0 } ?? "")
    }
}
