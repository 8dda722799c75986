import Crypto
import CryptoExtras
import Foundation
import JWTKit
import NIOConcurrencyHelpers

/// The sandbox's RS256 signing key, kept as PEM in its key directory so ID tokens issued before
/// a restart still verify after it, plus the keys it retired, which stay in the JWKS.
final class BankIDSigningKeys: Sendable {
    struct SigningKey: Sendable {
        let kid: String
        let publicKey: BankIDPublicKey
        let privateKey: JWTKit.Insecure.RSA.PrivateKey
    }

    static let fileName = "bankid-sandbox-key.pem"
    /// Retired keys kept in the JWKS: enough for tokens signed just before a rotation to verify.
    static let retiredKeysKept = 2

    private let keyFile: URL
    private let state: NIOLockedValueBox<(current: SigningKey, retired: [BankIDPublicKey])>

    /// Loads the key from `directory`, or makes one and stores it there (mode 0600).
    init(directory: URL) throws {
        keyFile = directory.appendingPathComponent(Self.fileName)
        let fileManager = FileManager.default
        let key: JWTKit.Insecure.RSA.PrivateKey
        if fileManager.fileExists(atPath: keyFile.path) {
            key = try JWTKit.Insecure.RSA.PrivateKey(pem: String(contentsOf: keyFile, encoding: .utf8))
        } else {
            try fileManager.createDirectory(at: directory, withIntermediateDirectories: true)
            key = try Self.generate()
            try Self.store(key, at: keyFile)
        }
        state = NIOLockedValueBox((try Self.signingKey(key), []))
    }

    var current: SigningKey { state.withLockedValue { $0.current } }

    /// The current key first, then the retired ones.
    var keySet: BankIDKeySet {
        state.withLockedValue { BankIDKeySet(keys: [$0.current.publicKey] + $0.retired) }
    }

    /// Replaces the signing key, as an OP does on a schedule; the old public key stays published.
    @discardableResult
    func rotate() throws -> String {
        let key = try Self.generate()
        let signingKey = try Self.signingKey(key)
        try Self.store(key, at: keyFile)
        state.withLockedValue { state in
            state.retired.insert(state.current.publicKey, at: 0)
            state.retired = Array(state.retired.prefix(Self.retiredKeysKept))
            state.current = signingKey
        }
        return signingKey.kid
    }

    /// A signed JWT with `kid` in its header.
    func sign(_ payload: some JWTPayload) async throws -> String {
        let key = current
        let kid = JWKIdentifier(string: key.kid)
        let collection = JWTKeyCollection()
        await collection.add(rsa: key.privateKey, digestAlgorithm: .sha256, kid: kid)
        return try await collection.sign(payload, kid: kid)
    }

    static func generate() throws -> JWTKit.Insecure.RSA.PrivateKey {
        try JWTKit.Insecure.RSA.PrivateKey(backing: _RSA.Signing.PrivateKey(keySize: .bits2048))
    }

    static func store(_ key: JWTKit.Insecure.RSA.PrivateKey, at file: URL) throws {
        // Written aside and moved into place, so a crash never leaves half a key behind.
        let temporary = file.deletingLastPathComponent()
            .appendingPathComponent(".\(fileName).\(UUID().uuidString).tmp")
        guard FileManager.default.createFile(
            atPath: temporary.path, contents: Data(key.pemRepresentation.utf8), attributes: [.posixPermissions: 0o600]
        ) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: temporary.path])
        }
        guard rename(temporary.path, file.path) == 0 else {
            try? FileManager.default.removeItem(at: temporary)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: file.path])
        }
    }

    private static func signingKey(_ key: JWTKit.Insecure.RSA.PrivateKey) throws -> SigningKey {
        let primitives = try key.publicKey.getKeyPrimitives()
        let n = BankIDBase64URL.encode(primitives.modulus.drop { $0 == 0 })
        let e = BankIDBase64URL.encode(primitives.publicExponent.drop { $0 == 0 })
        // RFC 7638 thumbprint: the same key always gets the same kid, across restarts.
        let canonical = #"{"e":"\#(e)","kty":"RSA","n":"\#(n)"}"#
        let kid = BankIDBase64URL.encode(SHA256.hash(data: Data(canonical.utf8)))
        return SigningKey(kid: kid, publicKey: BankIDPublicKey(kid: kid, n: n, e: e), privateKey: key)
    }
}

extension BankIDSandbox {
    /// A new signing key as PEM. Making a 2048-bit RSA key costs ~0.1 s of CPU, which a test suite
    /// starting hundreds of sandboxes pays once by sharing one key (`installSigningKey`).
    public static func makeSigningKeyPEM() throws -> String {
        try BankIDSigningKeys.generate().pemRepresentation
    }

    /// Puts `pem` where a sandbox keeping its keys in `directory` will load it instead of making one.
    public static func installSigningKey(pem: String, inKeyDirectory directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let key = try JWTKit.Insecure.RSA.PrivateKey(pem: pem)
        try BankIDSigningKeys.store(key, at: directory.appendingPathComponent(BankIDSigningKeys.fileName))
    }
}
