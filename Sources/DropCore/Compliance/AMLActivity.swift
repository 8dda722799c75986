import Foundation

/// The earlier transfers the rules look at, and the small arithmetic they share.
struct AMLActivity {
    /// Earlier transfers of a counted status or whose money left the customer's account (settled after
    /// Drop had ended them), the current transfer itself left out.
    let counted: [AMLPastTransfer]
    let now: Date
    let channel: AMLChannel

    init(_ context: AMLTransferContext, history: AMLCustomerHistory, configuration: AMLConfiguration) {
        counted = history.transfers.filter { transfer in
            (configuration.countedStatuses.contains(transfer.status) || transfer.fundsReceived)
                && (context.transferId == nil || transfer.transferId != context.transferId)
        }
        now = context.time
        channel = context.channel
    }

    /// Only the earlier payments of the current one's channel: what a customer usually does is
    /// per channel (café purchases say nothing about the usual size or country of a remittance).
    var sameChannel: AMLActivity {
        AMLActivity(counted: counted.filter { $0.channel == channel }, now: now, channel: channel)
    }

    private init(counted: [AMLPastTransfer], now: Date, channel: AMLChannel) {
        self.counted = counted
        self.now = now
        self.channel = channel
    }

    /// Transfers created, or whose money left the customer's account, at most `window` before now
    /// (inclusive: exactly 24 h ago is within 24 h). Transfers stamped after now (clock skew) count as
    /// recent. Counted from creation alone, a transfer made 25 hours ago (held for review, released and
    /// paid now) moved its money inside the window without counting in it, as the spending limits once did.
    func within(_ window: TimeInterval) -> [AMLPastTransfer] {
        counted.filter { transfer in
            now.timeIntervalSince(transfer.time) <= window || transfer.moneyLeftAt.map { now.timeIntervalSince($0) <= window } == true
        }
    }

    /// The ids of `transfers`, oldest first: what a pattern finding names (`AMLFinding.transferIds`).
    static func ids(_ transfers: [AMLPastTransfer]) -> [String] {
        transfers.sorted { ($0.time, $0.transferId ?? "") < ($1.time, $1.transferId ?? "") }.compactMap(\.transferId)
    }

    /// Sum of minor units, saturating instead of overflowing.
    static func sum(_ minorUnits: some Sequence<Int64>) -> Int64 {
        var total: Int64 = 0
        for value in minorUnits {
            let (next, overflow) = total.addingReportingOverflow(value)
            total = overflow ? Int64.max : next
        }
        return total
    }

    /// `value × factor`, saturating.
    static func product(_ value: Int64, _ factor: Int64) -> Int64 {
        let (result, overflow) = value.multipliedReportingOverflow(by: factor)
        return overflow ? (value < 0) != (factor < 0) ? Int64.min : Int64.max : result
    }

    /// An amount for a reason: `"25000.00 NOK"`.
    static func nok(_ minorUnits: Int64) -> String {
        Money(minorUnits: minorUnits, currency: .nok).description
    }

    /// A window for a reason: `"24 h"`, `"48 h"`, `"3 days"`, `"30 days"`, `"90 min"`.
    static func duration(_ seconds: TimeInterval) -> String {
        let whole = Int64(seconds.rounded())
        if whole % 86400 == 0 && whole > 2 * 86400 { return "\(whole / 86400) days" }
        if whole % 3600 == 0 { return "\(whole / 3600) h" }
        if whole % 60 == 0 { return "\(whole / 60) min" }
        return "\(whole) s"
    }
}
