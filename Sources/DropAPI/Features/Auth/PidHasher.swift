import Crypto
import DropCore
import Foundation

/// Turns a national identity number into `users.pid_hash` = HMAC-SHA256(PID_PEPPER, digits).
/// The raw number is never stored or logged; without the pepper the hash can't be reversed by
/// trying all ~10^10 plausible numbers.
public struct PidHasher: Sendable {
    private let key: SymmetricKey

    public init(pepper: String) {
        key = SymmetricKey(data: Data(pepper.utf8))
    }

    public func hash(_ number: NationalIdentityNumber) -> String {
        Hex.string(of: HMAC<SHA256>.authenticationCode(for: Data(number.digitsForHashing.utf8), using: key))
    }
}
