import DropStore
import Foundation

/// The one poller of `merchant_events` in this process: every `pollInterval` it reads the new
/// events of each merchant somebody is watching (one query per merchant, however many streams)
/// and hands them to every stream of that merchant. Events are rows, so a change written by any
/// instance reaches streams on all of them. Also keeps each user to `maxStreamsPerUser` streams:
/// the oldest gives way to a new one (a reloaded page's old stream is usually the one left behind).
actor MerchantEventHub {
    enum Signal: Sendable {
        /// New events of the merchant; a stream skips those it has sent already.
        case events([MerchantEventRecord])
        /// A poll went by: time for the stream to see whether a heartbeat is due.
        case tick
        /// A newer stream of the same user took this one's place.
        case displaced
    }

    struct Subscription: Sendable {
        let id: UUID
        let signals: AsyncStream<Signal>
    }

    private struct Subscriber {
        let userId: String
        let merchantId: String
        let opened: UInt64
        let continuation: AsyncStream<Signal>.Continuation
    }

    /// Reads a merchant's events after a number, oldest first: the database's, or a test's stand-in.
    typealias EventsRead = @Sendable (_ merchantId: String, _ after: Int64) async throws -> [MerchantEventRecord]

    private let readEvents: EventsRead
    private let pollInterval: Duration
    let maxStreamsPerUser: Int
    private var subscribers: [UUID: Subscriber] = [:]
    /// Per merchant watched: the highest seq read so far.
    private var positions: [String: Int64] = [:]
    private var opened: UInt64 = 0
    private var poller: Task<Void, Never>?

    init(database: Database, pollInterval: Duration = .milliseconds(250), maxStreamsPerUser: Int = 3) {
        self.init(pollInterval: pollInterval, maxStreamsPerUser: maxStreamsPerUser) { merchantId, after in
            try await database.withConnection { try await MerchantRepository.events(merchantId: merchantId, after: after, limit: 100, on: $0) }
        }
    }

    init(pollInterval: Duration, maxStreamsPerUser: Int, readEvents: @escaping EventsRead) {
        self.readEvents = readEvents
        self.pollInterval = pollInterval
        self.maxStreamsPerUser = maxStreamsPerUser
    }

    /// Starts delivering `merchantId`'s events after `seq`; closes the user's oldest stream when over the cap.
    func subscribe(userId: String, merchantId: String, after seq: Int64) -> Subscription {
        let mine = subscribers.filter { $0.value.userId == userId }.sorted { $0.value.opened < $1.value.opened }
        for (id, oldest) in mine.prefix(max(0, mine.count - maxStreamsPerUser + 1)) {
            oldest.continuation.yield(.displaced)
            oldest.continuation.finish()
            subscribers[id] = nil
        }
        let (signals, continuation) = AsyncStream.makeStream(of: Signal.self)
        let id = UUID()
        // A stream whose body never ran (the client left first) still lets go of its place.
        continuation.onTermination = { [weak self] _ in Task { await self?.unsubscribe(id) } }
        opened += 1
        subscribers[id] = Subscriber(userId: userId, merchantId: merchantId, opened: opened, continuation: continuation)
        // Reading from the earliest position any stream needs; each skips what it has sent.
        positions[merchantId] = min(positions[merchantId] ?? seq, seq)
        if poller == nil {
            poller = Task { [weak self] in await self?.run() }
        }
        return Subscription(id: id, signals: signals)
    }

    func unsubscribe(_ id: UUID) {
        guard let subscriber = subscribers.removeValue(forKey: id) else { return }
        subscriber.continuation.finish()
        if !subscribers.values.contains(where: { $0.merchantId == subscriber.merchantId }) {
            positions[subscriber.merchantId] = nil
        }
    }

    /// How many streams are open in this process (tests, metrics).
    var streamCount: Int { subscribers.count }

    private func run() async {
        while !subscribers.isEmpty, !Task.isCancelled {
            for (merchantId, after) in positions {
                let events = (try? await readEvents(merchantId, after)) ?? []
                // A stream may have come or gone while reading. One that came wanting earlier events
                // lowered the position: those are read next time, with these, so every stream gets
                // them in order (a stream skips what it has sent, and would skip the earlier ones
                // after these).
                guard let position = positions[merchantId], position >= after else { continue }
                if let newest = events.last {
                    positions[merchantId] = max(position, newest.seq)
                    for subscriber in subscribers.values where subscriber.merchantId == merchantId {
                        subscriber.continuation.yield(.events(events))
                    }
                }
            }
            for subscriber in subscribers.values { subscriber.continuation.yield(.tick) }
            try? await Task.sleep(for: pollInterval)
        }
        poller = nil
    }
}
