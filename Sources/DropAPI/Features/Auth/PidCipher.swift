import Crypto
import DropCore
import Foundation

/// Seals a national identity number for `users.pid_encrypted` (AES-256-GCM, key derived from
/// `PID_ENCRYPTION_KEY`), so Drop can name the PSU to the bank without keeping it in clear.
/// The user's id is the additional data: a sealed number copied to another row doesn't open.
public struct PidCipher: Sendable {
    private let key: SymmetricKey

    public init(secret: String) {
        // The secret is text of any length ≥ 32 bytes; AES-256 wants exactly 32.
        key = SymmetricKey(data: SHA256.hash(data: Data(secret.utf8)))
    }

    public func seal(_ number: NationalIdentityNumber, userId: String) throws -> String {
        try AES.GCM.seal(Data(number.digitsForHashing.utf8), using: key, authenticating: Data(userId.utf8)).combined!.base64EncodedString()
    }

    /// Nil when the text doesn't open with this key (another key, another row, tampered).
    public func open(_ sealed: String, userId: String) -> NationalIdentityNumber? {
        guard let data = Data(base64Encoded: sealed), let box = try? AES.GCM.SealedBox(combined: data),
              let plain = try? AES.GCM.open(box, using: key, authenticating: Data(userId.utf8)) else { return nil }
        return try? NationalIdentityNumber(String(decoding: plain, as: UTF8.self))
    }
}
