import Foundation
#if canImport(Security)
import Security
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the app keeps its session token: the Keychain on Apple platforms, a 0600 file on Linux,
/// memory in tests. `save(nil)` forgets it.
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

/// Keeps the token in a file only its owner can read or write (mode 0600, created that way, never
/// widened), for Linux and command-line tools. The directory is created 0700 when missing.
public actor FileTokenStore: TokenStore {
    public let path: String

    public init(path: String) { self.path = path }

    public func load() -> String? {
        guard let data = FileManager.default.contents(atPath: path),
              let token = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines), !token.isEmpty
        else { return nil }
        return token
    }

    public func save(_ token: String?) {
        guard let token else {
            try? FileManager.default.removeItem(atPath: path)
            return
        }
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty, !FileManager.default.fileExists(atPath: directory) {
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        // Written to a fresh 0600 file beside the old one and renamed over it: the token is never
        // readable by others, not even for a moment, and a crash leaves the old token or the new one.
        let temporary = path + ".\(UUID().uuidString).tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(token.utf8), attributes: [.posixPermissions: 0o600]) else { return }
        if rename(temporary, path) != 0 { try? FileManager.default.removeItem(atPath: temporary) }
    }
}

#if canImport(Security)
/// Keeps the token in the Keychain (this device only, readable after the first unlock).
public struct KeychainTokenStore: TokenStore {
    public let service: String
    public let account: String

    public init(service: String = "no.drop.app", account: String = "session") {
        self.service = service
        self.account = account
    }

    private var query: [String: Any] {
        [kSecClass as String: kSecClassGenericPassword, kSecAttrService as String: service, kSecAttrAccount as String: account]
    }

    public func load() async -> String? {
        var lookup = query
        lookup[kSecReturnData as String] = true
        lookup[kSecMatchLimit as String] = kSecMatchLimitOne
        var result: AnyObject?
        guard SecItemCopyMatching(lookup as CFDictionary, &result) == errSecSuccess, let data = result as? Data else { return nil }
        return String(data: data, encoding: .utf8)
    }

    public func save(_ token: String?) async {
        SecItemDelete(query as CFDictionary)
        guard let token else { return }
        var item = query
        item[kSecValueData as String] = Data(token.utf8)
        item[kSecAttrAccessible as String] = kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly
        SecItemAdd(item as CFDictionary, nil)
    }
}
#endif

/// The platform's store: the Keychain where there is one, else a 0600 file at `path`
/// (default `~/.drop/token`).
public func defaultTokenStore(path: String? = nil) -> any TokenStore {
    #if canImport(Security)
    return KeychainTokenStore()
    #else
    return FileTokenStore(path: path ?? (NSHomeDirectory() + "/.drop/token"))
    #endif
}
