import Crypto
import DropCore
import Foundation

/// Seals a national identity number for `users.pid_encrypted` (AES-256-GCM, key derived from
/// `PID_ENCRYPTION_KEY`), so Drop can name the PSU to the bank without keeping it in clear.
/// The user's id is the additional data: a sealed number copied to another row doesn't open.
/// The stored text names the key that sealed it (`SealedIdentity`); during a rotation
/// `PID_ENCRYPTION_KEY_PREVIOUS` still opens what it sealed (ADR 0034).
public struct PidCipher: Sendable {
    private let key: SymmetricKey
    private let previousKey: SymmetricKey?
    public let id: String
    /// `PID_ENCRYPTION_KEY_PREVIOUS`'s id, nil when no rotation is under way.
    public let previousId: String?

    public init(secret: String, previous: String? = nil) {
        key = Self.derive(secret)
        id = PidHasher.keyId(key)
        let previousKey = previous.flatMap { $0.isEmpty || $0 == secret ? nil : Self.derive($0) }
        self.previousKey = previousKey
        previousId = previousKey.map(PidHasher.keyId)
    }

    // The secret is text of any length ≥ 32 bytes; AES-256 wants exactly 32.
    private static func derive(_ secret: String) -> SymmetricKey { SymmetricKey(data: SHA256.hash(data: Data(secret.utf8))) }

    public var isRotating: Bool { previousKey != nil }

    /// `pepperId`: the pepper (`PidHasher.id`) the row's `pid_hash` is made with, written alongside.
    public func seal(_ number: NationalIdentityNumber, userId: String, pepperId: String) throws -> String {
        let box = try AES.GCM.seal(Data(number.digitsForHashing.utf8), using: key, authenticating: Data(userId.utf8)).combined!.base64EncodedString()
        return SealedIdentity(keyId: id, pepperId: pepperId, box: box).stored
    }

    /// Nil when the text doesn't open with this key or the previous one (another key, another row, tampered).
    public func open(_ stored: String, userId: String) -> NationalIdentityNumber? {
        let sealed = SealedIdentity(stored: stored)
        let keys: [SymmetricKey] = switch sealed.keyId {
        case id: [key]
        case .some(let other) where other == previousId: previousKey.map { [$0] } ?? []
        case .some: []
        // Sealed before values named their key: whichever of the two opens it.
        case nil: [key] + (previousKey.map { [$0] } ?? [])
        }
        for key in keys {
            if let number = Self.open(sealed.box, userId: userId, key: key) { return number }
        }
        return nil
    }

    private static func open(_ box: String, userId: String, key: SymmetricKey) -> NationalIdentityNumber? {
        guard let data = Data(base64Encoded: box), let box = try? AES.GCM.SealedBox(combined: data),
              let plain = try? AES.GCM.open(box, using: key, authenticating: Data(userId.utf8)) else { return nil }
        return try? NationalIdentityNumber(String(decoding: plain, as: UTF8.self))
    }
}
