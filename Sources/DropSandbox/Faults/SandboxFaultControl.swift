import Foundation

/// A switchboard tests (or the dev admin UI) flip to make a sandbox misbehave.
///
/// `fault` applies to every request until cleared; `failNext(_:with:)` queues faults for the next
/// requests only (e.g. two 503s, then normal answers) and takes precedence. Also counts requests,
/// so tests can see how many attempts a client made.
/// `@unchecked Sendable`: all state is behind `lock`.
public final class SandboxFaultControl: @unchecked Sendable {
    private let lock = NSLock()
    private var persistentFault: SandboxFault?
    private var queuedFaults: [SandboxFault] = []
    private var requests = 0
    private var holdingWebhooks = false

    public init(fault: SandboxFault? = nil) {
        persistentFault = fault
    }

    /// The fault applied to every request; `nil` means behave normally.
    public var fault: SandboxFault? {
        get { locked { persistentFault } }
        set { locked { persistentFault = newValue } }
    }

    /// While true the sandbox sends none of its webhooks (they wait in its outbox): a provider
    /// whose notifications are late, so Drop must ask instead of waiting.
    public var webhooksHeld: Bool {
        get { locked { holdingWebhooks } }
        set { locked { holdingWebhooks = newValue } }
    }

    /// Makes the next `count` requests fail with `fault`, then fall back to `self.fault`.
    public func failNext(_ count: Int, with fault: SandboxFault) {
        locked { queuedFaults.append(contentsOf: Array(repeating: fault, count: max(0, count))) }
    }

    /// Requests seen since creation or the last `reset()`.
    public var requestCount: Int { locked { requests } }

    /// Back to normal behaviour and a zero request count.
    public func reset() {
        locked {
            persistentFault = nil
            holdingWebhooks = false
            queuedFaults.removeAll()
            requests = 0
        }
    }

    /// Counts one request and says how it should misbehave, if at all. Called by sandboxes.
    public func nextFault() -> SandboxFault? {
        locked {
            requests += 1
            return queuedFaults.isEmpty ? persistentFault : queuedFaults.removeFirst()
        }
    }

    private func locked<T>(_ body: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body()
    }
}
