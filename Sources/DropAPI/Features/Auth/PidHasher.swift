import Crypto
import DropCore
import Foundation

/// Turns a national identity number into `users.pid_hash` = HMAC-SHA256(PID_PEPPER, digits).
/// The raw number is never stored or logged; without the pepper the hash can't be reversed by
/// trying all ~10^10 plausible numbers. During a rotation (ADR 0034) the previous pepper's hash
/// still finds a person, who is then moved to the current one.
public struct PidHasher: Sendable {
    private let key: SymmetricKey
    private let previousKey: SymmetricKey?
    /// Names the pepper in sealed values (`SealedIdentity.pepperId`); reveals nothing of it.
    public let id: String
    /// `PID_PEPPER_PREVIOUS`'s id, nil when no rotation is under way.
    public let previousId: String?

    public init(pepper: String, previous: String? = nil) {
        key = SymmetricKey(data: Data(pepper.utf8))
        previousKey = previous.flatMap { $0.isEmpty || $0 == pepper ? nil : SymmetricKey(data: Data($0.utf8)) }
        id = Self.keyId(key)
        previousId = previousKey.map(Self.keyId)
    }

    public func hash(_ number: NationalIdentityNumber) -> String {
        Self.hash(number, key)
    }

    /// The hash under `PID_PEPPER_PREVIOUS`, nil when no rotation is under way.
    public func previousHash(_ number: NationalIdentityNumber) -> String? {
        previousKey.map { Self.hash(number, $0) }
    }

    public var isRotating: Bool { previousKey != nil }

    private static func hash(_ number: NationalIdentityNumber, _ key: SymmetricKey) -> String {
        Hex.string(of: HMAC<SHA256>.authenticationCode(for: Data(number.digitsForHashing.utf8), using: key))
    }

    /// 12 hex digits of an HMAC of a fixed label: tells keys apart, can't be turned back into one.
    static func keyId(_ key: SymmetricKey) -> String {
        String(Hex.string(of: HMAC<SHA256>.authenticationCode(for: Data("drop key id".utf8), using: key)).prefix(12))
    }
}
