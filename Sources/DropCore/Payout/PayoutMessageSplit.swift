import Foundation

/// How a day's payouts in one currency are cut into pain.001 messages the partner will take: at
/// most `PayoutBatch.maximumTransactions` payouts and at most a number of bytes each. Partners cap a
/// message's size (the payout sandbox answers 413 above its cap), and at some 600–900 bytes a
/// transfer a busy day's one message would pass it, so the customers' NOK would wait at the partner.
public enum PayoutMessageSplit {
    /// One message as it will be stored and sent: the items it carries, its batch and its bytes.
    public struct Message<Item> {
        public let items: [Item]
        public let batch: PayoutBatch
        public let xml: String
    }

    /// Cuts `items` into messages of at most `maximumCount` items and `maximumBytes` bytes of UTF-8
    /// XML, keeping their order: a run too big is written, and halved until each half fits.
    /// - Parameters:
    ///   - batch: the batch for a run of items (a fresh message id each call).
    /// - Returns: the messages; one payout alone too big for `maximumBytes` still goes alone (no cap
    ///   Drop accepts is that small).
    public static func messages<Item>(
        _ items: [Item], maximumCount: Int = PayoutBatch.maximumTransactions, maximumBytes: Int,
        batch: ([Item]) throws -> PayoutBatch
    ) rethrows -> [Message<Item>] {
        let count = max(1, min(maximumCount, PayoutBatch.maximumTransactions))
        var messages: [Message<Item>] = []
        var start = 0
        while start < items.count {
            let run = Array(items[start..<min(start + count, items.count)])
            try cut(run, maximumBytes: maximumBytes, batch: batch, into: &messages)
            start += run.count
        }
        return messages
    }

    private static func cut<Item>(_ run: [Item], maximumBytes: Int, batch: ([Item]) throws -> PayoutBatch,
                                  into messages: inout [Message<Item>]) rethrows {
        let built = try batch(run)
        let xml = Pain001Writer().xml(for: built)
        guard xml.utf8.count > maximumBytes, run.count > 1 else {
            messages.append(Message(items: run, batch: built, xml: xml))
            return
        }
        let half = run.count / 2
        try cut(Array(run[..<half]), maximumBytes: maximumBytes, batch: batch, into: &messages)
        try cut(Array(run[half...]), maximumBytes: maximumBytes, batch: batch, into: &messages)
    }
}
