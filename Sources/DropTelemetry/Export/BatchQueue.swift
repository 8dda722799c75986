import Foundation

/// Items waiting to be sent in the background (spans, error events). Adding never waits and
/// never fails the caller: past `capacity` the oldest are dropped and counted, because a slow
/// collector must not slow down or stop a payment.
public final class BatchQueue<Item: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [Item] = []
    private var droppedCount = 0
    /// Batches taken by `takeToSend` and not yet `sent`.
    private var inFlight = 0
    let capacity: Int
    let batchSize: Int

    public init(capacity: Int = 4096, batchSize: Int = 512) {
        self.capacity = capacity
        self.batchSize = batchSize
    }

    private func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    public func add(_ item: Item) {
        locked {
            if items.count >= capacity {
                items.removeFirst()
                droppedCount += 1
            }
            items.append(item)
        }
    }

    /// Up to one batch, oldest first.
    public func take() -> [Item] {
        locked {
            let batch = Array(items.prefix(batchSize))
            items.removeFirst(batch.count)
            return batch
        }
    }

    /// Like `take`, and the batch counts as on its way until `sent()`: so `flush` can wait for a batch
    /// the background task took a moment before (otherwise it would find the queue empty and return
    /// while that batch is still being sent).
    func takeToSend() -> [Item] {
        locked {
            let batch = Array(items.prefix(batchSize))
            items.removeFirst(batch.count)
            if !batch.isEmpty { inFlight += 1 }
            return batch
        }
    }

    func sent() { locked { inFlight -= 1 } }

    var isSending: Bool { locked { inFlight > 0 } }

    public var dropped: Int { locked { droppedCount } }
    public var isEmpty: Bool { locked { items.isEmpty } }

    /// Returns after `interval`, or sooner once a full batch is waiting (checked every 50 ms:
    /// simpler than a wake-up, and cheap).
    func waitForBatch(upTo interval: Duration) async {
        let deadline = ContinuousClock.now + interval
        while ContinuousClock.now < deadline, !Task.isCancelled {
            if locked({ items.count >= batchSize }) { return }
            try? await Task.sleep(for: .milliseconds(50))
        }
    }
}

/// Sends what a `BatchQueue` holds, every `interval` or as soon as a batch is full, until stopped;
/// `stop` sends what is left first.
public final class BatchSender<Item: Sendable>: @unchecked Sendable {
    public let queue: BatchQueue<Item>
    private let interval: Duration
    private let send: @Sendable ([Item]) async -> Void
    private let lock = NSLock()
    private var task: Task<Void, Never>?

    public init(queue: BatchQueue<Item>, interval: Duration, send: @escaping @Sendable ([Item]) async -> Void) {
        self.queue = queue
        self.interval = interval
        self.send = send
    }

    public func start() {
        lock.lock()
        defer { lock.unlock() }
        guard task == nil else { return }
        task = Task { [queue, interval, send] in
            while !Task.isCancelled {
                await queue.waitForBatch(upTo: interval)
                await Self.drain(queue, send)
            }
        }
    }

    /// Sends everything queued now, and waits for a batch the background task is sending (tests, and
    /// before the process exits). Bounded, so a collector that hangs can't hold up a shutdown.
    public func flush(waitingAtMost limit: Duration = .seconds(30)) async {
        await Self.drain(queue, send)
        let deadline = ContinuousClock.now + limit
        while queue.isSending, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(5))
        }
    }

    public func stop() async {
        let running: Task<Void, Never>? = {
            lock.lock()
            defer { lock.unlock() }
            defer { task = nil }
            return task
        }()
        running?.cancel()
        await running?.value
        await flush()
    }

    private static func drain(_ queue: BatchQueue<Item>, _ send: @Sendable ([Item]) async -> Void) async {
        while true {
            let batch = queue.takeToSend()
            if batch.isEmpty { return }
            await send(batch)
            queue.sent()
        }
    }
}
