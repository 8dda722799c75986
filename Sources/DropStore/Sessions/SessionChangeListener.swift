import DropCore
import Foundation
import Logging
import NIOCore
import PostgresKit

/// PostgreSQL only: one connection per process that LISTENs for `SessionChanges.channel` and passes
/// each change to this process's caches. It is `live` only while it proves it hears the channel: every
/// `heartbeatInterval` it sends a heartbeat through the pool (another connection), and it is live while
/// one sent within the last two intervals has come back. A connection that LISTENs but hears nothing
/// (behind a transaction-mode pooler, or dropped silently by a NAT or load balancer) thus stops being
/// live within two intervals, and is closed and made again. While it is not live (starting,
/// reconnecting, deaf) the caches don't serve from memory: every request goes to the database.
final class SessionChangeListener: @unchecked Sendable {
    /// How often the listener proves it hears the channel (`Database.Options.sessionChangesHeartbeat`).
    static let heartbeatInterval: Duration = .seconds(2)

    let heartbeatInterval: Duration
    private let lock = NSLock()
    /// LISTEN is up on a connection (not yet proof that anything reaches it).
    private var isListening = false
    /// When the newest heartbeat heard on this connection was sent; nil until one is.
    private var provenAt: ContinuousClock.Instant?
    /// This process's heartbeats not yet heard, by nonce, with when each was sent.
    private var unheard: [String: ContinuousClock.Instant] = [:]
    private var stopped = false
    private var seen: [String] = []
    private var task: Task<Void, Never>?
    private var connection: PostgresConnection?

    init(heartbeatInterval: Duration = SessionChangeListener.heartbeatInterval) {
        self.heartbeatInterval = heartbeatInterval
    }

    private func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    /// Listening, and a heartbeat sent within the last two intervals has been heard. PostgreSQL delivers
    /// notifications in commit order, so every change committed before that heartbeat has been heard too.
    var live: Bool { locked { isProven(at: .now) } }

    /// Under the lock.
    private func isProven(at now: ContinuousClock.Instant) -> Bool {
        guard isListening, let provenAt else { return false }
        return now - provenAt < heartbeatInterval * 2
    }

    /// `heartbeat` sends a heartbeat's payload through the pool (`SessionChanges.sendHeartbeat`).
    func start(configuration: SQLPostgresConfiguration, group: any EventLoopGroup, logger: Logger,
               heartbeat: @escaping @Sendable (String) async throws -> Void) {
        let task = Task { [weak self] in
            while let self, !self.isStopped {
                do {
                    let connection = try await PostgresConnectionSource(sqlConfiguration: configuration)
                        .makeConnection(logger: logger, on: group.any()).get()
                    guard self.keep(connection) else {
                        try? await connection.close().get()
                        return
                    }
                    let outcome = await Result(catching: {
                        try await connection.listen(on: SessionChanges.channel) { notifications in
                            self.startListening()
                            try await withThrowingTaskGroup(of: Void.self) { group in
                                group.addTask { await self.beat(on: connection, logger: logger, send: heartbeat) }
                                for try await notification in notifications { self.received(notification.payload) }
                                group.cancelAll()
                            }
                        }
                    })
                    try? await connection.close().get()
                    _ = try outcome.get()
                } catch {
                    if !self.isStopped { logger.warning("session change listener lost its connection; reconnecting") }
                }
                self.stopListening()
                if self.isStopped { return }
                try? await Task.sleep(for: .seconds(1))
            }
        }
        locked { self.task = task }
    }

    /// Sends a heartbeat every interval while the connection listens, and closes the connection (so the
    /// listener connects again) when one that went out an interval ago has not come back. One that could
    /// not go out (the pool busy or the database away) proves nothing either way: the listener is then
    /// not live, by time, but keeps its connection.
    private func beat(on connection: PostgresConnection, logger: Logger, send: @Sendable (String) async throws -> Void) async {
        while !Task.isCancelled {
            let nonce = RecordID.make()
            locked {
                let now = ContinuousClock.now
                // Sent long ago and never heard: they prove nothing any more.
                unheard = unheard.filter { now - $0.value < heartbeatInterval * 2 }
                unheard[nonce] = now
            }
            let wentOut: Bool
            do {
                try await send(nonce)
                wentOut = true
            } catch {
                wentOut = false
                logger.debug("session change listener could not send its heartbeat", metadata: ["error": "\(type(of: error))"])
            }
            try? await Task.sleep(for: heartbeatInterval)
            if Task.isCancelled { return }
            if wentOut, locked({ unheard[nonce] != nil }) {
                logger.warning("session change listener did not hear its heartbeat; reconnecting")
                // Ends the notification sequence; a dead socket closes without waiting for its peer.
                try? await connection.close().get()
                return
            }
        }
    }

    private var isStopped: Bool { locked { stopped } }

    /// False once stopped: the new connection is not kept.
    private func keep(_ connection: PostgresConnection) -> Bool {
        locked {
            if stopped { return false }
            self.connection = connection
            return true
        }
    }

    func stop() async {
        let (task, connection) = locked { () -> (Task<Void, Never>?, PostgresConnection?) in
            stopped = true
            return (self.task, self.connection)
        }
        task?.cancel()
        // Closing ends the notification sequence, so the task finishes and holds no connection.
        try? await connection?.close().get()
        await task?.value
        stopListening()
    }

    /// LISTEN is up; the listener is live once it hears its first heartbeat.
    private func startListening() {
        locked {
            isListening = true
            provenAt = nil
        }
    }

    /// Dropping out: changes may be missed from now on, so the caches start empty.
    private func stopListening() {
        locked {
            isListening = false
            provenAt = nil
        }
        SessionChanges.hub.publish(nil)
    }

    func received(_ payload: String) {
        if let nonce = SessionChanges.heartbeatNonce(in: payload) {
            heard(heartbeat: nonce)
            return
        }
        let parts = payload.split(separator: " ", maxSplits: 1)
        guard let user = parts.first else { return }
        SessionChanges.hub.publish(String(user))
        if parts.count == 2 {
            locked {
                seen.append(String(parts[1]))
                if seen.count > 256 { seen.removeFirst(seen.count - 256) }
            }
        }
    }

    /// One of this process's heartbeats came back (another process's proves nothing about this one's pool).
    /// Going live: changes may have been missed before, so the caches start empty.
    private func heard(heartbeat nonce: String) {
        let wentLive = locked { () -> Bool in
            guard isListening, let sentAt = unheard.removeValue(forKey: nonce) else { return false }
            let wasProven = isProven(at: .now)
            provenAt = max(provenAt ?? sentAt, sentAt)
            return !wasProven
        }
        if wentLive { SessionChanges.hub.publish(nil) }
    }

    /// Waits (briefly) until this process has heard the notification a transaction sent: by then
    /// PostgreSQL has sent it to every listening process. Not at all while the listener is not live:
    /// it may never hear it.
    func awaitDelivery(of nonce: String, timeout: Duration = .seconds(2)) async {
        let deadline = ContinuousClock.now + timeout
        while live, ContinuousClock.now < deadline {
            if locked({ seen.contains(nonce) }) { return }
            try? await Task.sleep(for: .milliseconds(1))
        }
    }
}
