import NIOConcurrencyHelpers

/// What a page makes from a kept answer, kept with it: the dashboard's newest payments as HTML, once per
/// language. Made once per answer and gone with it, so it is served exactly while the answer is (the same
/// number, the same lifetime, the same eviction; `AnswerCache`). Three rows were a tenth of the server's
/// CPU on a crowd's dashboards when drawn on every page.
public final class KeptRenderings: Sendable {
    private let made = NIOLockedValueBox<[String: String]>([:])

    public init() {}

    /// The markup made under `key` from this answer, made now if it hasn't been. `key` names everything
    /// the markup depends on besides the answer (the language).
    public func markup(_ key: String, make: () -> String) -> String {
        if let held = made.withLockedValue({ $0[key] }) { return held }
        let fresh = make()
        made.withLockedValue { $0[key] = fresh }
        return fresh
    }

    /// How many markups are kept (tests).
    var count: Int { made.withLockedValue { $0.count } }
}
