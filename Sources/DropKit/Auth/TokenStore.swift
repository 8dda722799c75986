import Foundation

/// Where the app keeps its session token: the Keychain on iOS, memory in tests.
public protocol TokenStore: Sendable {
    func load() async -> String?
    func save(_ token: String?) async
}

/// Keeps the token in memory only (tests, previews, app extensions without a keychain group).
public actor InMemoryTokenStore: TokenStore {
    private var token: String?
    public init(token: String? = nil) { self.token = token }
    public func load() -> String? { token }
    public func save(_ token: String?) { self.token = token }
}
