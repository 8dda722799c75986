import NIOConcurrencyHelpers

/// The address people and providers reach Drop at. Set by `PUBLIC_BASE_URL`, or — in development
/// and tests, where the port may be chosen by the OS — filled in once the server is listening.
public final class PublicBaseURL: Sendable {
    private let value: NIOLockedValueBox<String>
    public let isExplicit: Bool

    public init(explicit: String?, host: String, port: Int) {
        isExplicit = explicit != nil
        value = .init(explicit ?? "http://\(host == "0.0.0.0" || host == "127.0.0.1" ? "localhost" : host):\(port)")
    }

    public var url: String { value.withLockedValue { $0 } }

    /// Called when the server is listening; a configured URL is never overridden.
    func serverBound(port: Int) {
        guard !isExplicit else { return }
        value.withLockedValue { $0 = "http://localhost:\(port)" }
    }
}
