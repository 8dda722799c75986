import DropCore
import Crypto
import Foundation

/// The server's secrets. In development they are generated once and kept in `data/dev-secrets.json`;
/// in production each must come from the environment and must not be a development value.
public struct Secrets: Sendable {
    /// Signs session JWTs (HS256).
    public var jwtSecret: String
    /// Keys the HMAC that turns a national identity number into `users.pid_hash`.
    public var pidPepper: String
    /// Verifies the bank's payment-status webhooks.
    public var openBankingWebhookSecret: String
    /// Verifies Sumsub's webhooks (X-Payload-Digest).
    public var sumsubWebhookSecret: String
    /// Signs dynamic merchant payment links.
    public var paymentLinkSecret: String
    /// Seals `users.pid_encrypted`, the national identity number Drop names the PSU with at the bank.
    public var pidEncryptionKey: String

    /// The value a secret had before the current one (`JWT_SECRET_PREVIOUS`, …), during a rotation:
    /// still accepted when checking what was signed before the switch (sessions, forms, webhooks,
    /// payment links), never used to sign.
    public var previousJWTSecret: String?
    public var previousOpenBankingWebhookSecret: String?
    public var previousSumsubWebhookSecret: String?
    public var previousPaymentLinkSecret: String?
    /// During an identity-key rotation (ADR 0034): the old pepper still finds a person, the old key
    /// still opens a sealed number, until the rotation job has moved every row to the current ones.
    public var previousPidPepper: String?
    public var previousPidEncryptionKey: String?

    /// Current first, then the previous value when one is set.
    public var jwtSecrets: [String] { [jwtSecret] + (previousJWTSecret.map { [$0] } ?? []) }
    public var openBankingWebhookSecrets: [String] { [openBankingWebhookSecret] + (previousOpenBankingWebhookSecret.map { [$0] } ?? []) }
    public var sumsubWebhookSecrets: [String] { [sumsubWebhookSecret] + (previousSumsubWebhookSecret.map { [$0] } ?? []) }
    public var paymentLinkSecrets: [String] { [paymentLinkSecret] + (previousPaymentLinkSecret.map { [$0] } ?? []) }

    // Key paths into a value type are immutable and safe to share.
    nonisolated(unsafe) static let rotatable: [(env: String, keyPath: WritableKeyPath<Secrets, String?>)] = [
        ("JWT_SECRET_PREVIOUS", \.previousJWTSecret),
        ("OPENBANKING_WEBHOOK_SECRET_PREVIOUS", \.previousOpenBankingWebhookSecret),
        ("SUMSUB_WEBHOOK_SECRET_PREVIOUS", \.previousSumsubWebhookSecret),
        ("PAYMENT_LINK_SECRET_PREVIOUS", \.previousPaymentLinkSecret),
        ("PID_PEPPER_PREVIOUS", \.previousPidPepper),
        ("PID_ENCRYPTION_KEY_PREVIOUS", \.previousPidEncryptionKey),
    ]

    /// Reads the `_PREVIOUS` values; in production they must be as strong as current ones.
    mutating func readPrevious(_ env: [String: String], production: Bool, problems: inout [String]) {
        for (name, keyPath) in Self.rotatable {
            guard let value = env[name], !value.isEmpty else { continue }
            if production && value.hasPrefix(Self.developmentPrefix) {
                problems.append("\(name) is a development secret")
            } else if production && value.utf8.count < Self.minimumLength {
                problems.append("\(name) must be at least \(Self.minimumLength) bytes")
            }
            self[keyPath: keyPath] = value
        }
    }

    // Key paths into a value type are immutable and safe to share.
    nonisolated(unsafe) static let names: [(env: String, keyPath: WritableKeyPath<Secrets, String>)] = [
        ("JWT_SECRET", \.jwtSecret),
        ("PID_PEPPER", \.pidPepper),
        ("OPENBANKING_WEBHOOK_SECRET", \.openBankingWebhookSecret),
        ("SUMSUB_WEBHOOK_SECRET", \.sumsubWebhookSecret),
        ("PAYMENT_LINK_SECRET", \.paymentLinkSecret),
        ("PID_ENCRYPTION_KEY", \.pidEncryptionKey),
    ]

    /// Development values carry this prefix, so production can recognise and refuse them.
    static let developmentPrefix = "dev-"
    static let minimumLength = 32

    static func generateDevelopmentValue() -> String {
        let bytes = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        return developmentPrefix + Hex.string(of: bytes)
    }

    /// Production: every secret from the environment, long enough, and not a development value.
    static func fromEnvironment(_ env: [String: String], problems: inout [String]) -> Secrets {
        var secrets = Secrets(jwtSecret: "", pidPepper: "", openBankingWebhookSecret: "", sumsubWebhookSecret: "", paymentLinkSecret: "", pidEncryptionKey: "")
        for (name, keyPath) in names {
            guard let value = env[name], !value.isEmpty else {
                problems.append("\(name) is not set (production needs every secret from the environment)")
                continue
            }
            if value.hasPrefix(developmentPrefix) {
                problems.append("\(name) is a development secret; generate a real one (e.g. openssl rand -hex 32)")
            } else if value.utf8.count < minimumLength {
                problems.append("\(name) must be at least \(minimumLength) bytes")
            }
            secrets[keyPath: keyPath] = value
        }
        secrets.readPrevious(env, production: true, problems: &problems)
        return secrets
    }

    /// Development and test: environment values win; the rest are generated once and persisted
    /// so sessions and pid hashes survive restarts.
    static func development(_ env: [String: String], dataDirectory: String) throws -> Secrets {
        let file = dataDirectory + "/dev-secrets.json"
        var stored: [String: String] = [:]
        if let data = FileManager.default.contents(atPath: file) {
            stored = (try? JSONDecoder().decode([String: String].self, from: data)) ?? [:]
        }
        var secrets = Secrets(jwtSecret: "", pidPepper: "", openBankingWebhookSecret: "", sumsubWebhookSecret: "", paymentLinkSecret: "", pidEncryptionKey: "")
        var changed = false
        for (name, keyPath) in names {
            if let value = env[name], !value.isEmpty {
                secrets[keyPath: keyPath] = value
            } else if let value = stored[name] {
                secrets[keyPath: keyPath] = value
            } else {
                let value = generateDevelopmentValue()
                stored[name] = value
                secrets[keyPath: keyPath] = value
                changed = true
            }
        }
        var ignored: [String] = []
        secrets.readPrevious(env, production: false, problems: &ignored)
        if changed {
            try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
            let data = try JSONEncoder().encode(stored)
            guard FileManager.default.createFile(atPath: file, contents: data, attributes: [.posixPermissions: 0o600]) else {
                throw ConfigError(problems: ["cannot write development secrets to \(file)"])
            }
        }
        return secrets
    }
}
