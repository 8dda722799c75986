import DropStore
import Foundation
import NIOConcurrencyHelpers

/// What to do for each kind of job, and which jobs recur. Features register here at start-up.
public final class JobRegistry: Sendable {
    public typealias Handler = @Sendable (Job) async throws -> Void

    public struct Recurring: Sendable {
        public let kind: String
        public let every: TimeInterval
    }

    private let state = NIOLockedValueBox<(handlers: [String: Handler], recurring: [Recurring])>(([:], []))

    public init() {}

    public func register(_ kind: String, handler: @escaping Handler) {
        state.withLockedValue { $0.handlers[kind] = handler }
    }

    /// Runs `kind` every `every` seconds. Each slot is enqueued with a dedupe key, so however many
    /// workers run, each slot runs once.
    public func recurring(_ kind: String, every: TimeInterval, handler: @escaping Handler) {
        state.withLockedValue {
            $0.handlers[kind] = handler
            $0.recurring.append(Recurring(kind: kind, every: every))
        }
    }

    func handler(for kind: String) -> Handler? { state.withLockedValue { $0.handlers[kind] } }
    var recurringJobs: [Recurring] { state.withLockedValue { $0.recurring } }
}
