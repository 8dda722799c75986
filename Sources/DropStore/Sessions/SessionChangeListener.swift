import Foundation
import Logging
import NIOCore
import PostgresKit

/// PostgreSQL only: one connection per process that LISTENs for `SessionChanges.channel` and passes
/// each change to this process's caches. While it is not listening (starting, reconnecting) it is
/// not `live`, and the caches don't serve from memory: every request goes to the database.
final class SessionChangeListener: @unchecked Sendable {
    private let lock = NSLock()
    private var isLive = false
    private var stopped = false
    private var seen: [String] = []
    private var task: Task<Void, Never>?
    private var connection: PostgresConnection?

    private func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    var live: Bool { locked { isLive } }

    func start(configuration: SQLPostgresConfiguration, group: any EventLoopGroup, logger: Logger) {
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
                            self.setLive(true)
                            for try await notification in notifications { self.received(notification.payload) }
                        }
                    })
                    try? await connection.close().get()
                    _ = try outcome.get()
                } catch {
                    if !self.isStopped { logger.warning("session change listener lost its connection; reconnecting") }
                }
                self.setLive(false)
                if self.isStopped { return }
                try? await Task.sleep(for: .seconds(1))
            }
        }
        locked { self.task = task }
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
        setLive(false)
    }

    /// Going live or dropping out: changes may have been missed, so the caches start empty.
    private func setLive(_ value: Bool) {
        locked { isLive = value }
        SessionChanges.hub.publish(nil)
    }

    private func received(_ payload: String) {
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

    /// Waits (briefly) until this process has heard the notification a transaction sent: by then
    /// PostgreSQL has sent it to every listening process.
    func awaitDelivery(of nonce: String, timeout: Duration = .seconds(2)) async {
        let deadline = ContinuousClock.now + timeout
        while live, ContinuousClock.now < deadline {
            if locked({ seen.contains(nonce) }) { return }
            try? await Task.sleep(for: .milliseconds(1))
        }
    }
}
