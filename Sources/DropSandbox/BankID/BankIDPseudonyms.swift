import Crypto
import Foundation

/// The identifiers BankID gives a person besides the national id, derived with a keyed hash so
/// they are stable for a person but reveal nothing about the number:
/// - `sub`: pairwise, a different UUID for each client (OpenID Connect Core §8.1);
/// - `bankid_altsub`: the person's BankID PID, the same for every client, e.g. `9578-6000-4-351726`.
///
/// The key lives next to the signing key (`bankid-sandbox-pairwise.key`), so a rotated signing
/// key or a restart does not change anyone's `sub`.
struct BankIDPseudonyms: Sendable {
    static let fileName = "bankid-sandbox-pairwise.key"

    private let key: SymmetricKey

    init(directory: URL) throws {
        let file = directory.appendingPathComponent(Self.fileName)
        if let stored = try? String(contentsOf: file, encoding: .utf8),
           let bytes = Data(base64Encoded: stored.trimmingCharacters(in: .whitespacesAndNewlines)), bytes.count == 32 {
            key = SymmetricKey(data: bytes)
            return
        }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let fresh = SymmetricKey(size: .bits256)
        let encoded = fresh.withUnsafeBytes { Data($0).base64EncodedString() }
        guard FileManager.default.createFile(
            atPath: file.path, contents: Data(encoded.utf8), attributes: [.posixPermissions: 0o600]
        ) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: file.path])
        }
        key = fresh
    }

    /// The pairwise subject of `nationalId` at `clientID`.
    func subject(nationalId: String, clientID: String) -> String {
        var bytes = Array(mac("sub\u{0}\(clientID)\u{0}\(nationalId)").prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x80  // UUID version 8: custom, here an HMAC
        bytes[8] = (bytes[8] & 0x3F) | 0x80  // RFC 9562 variant
        let uuid = UUID(uuid: (
            bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
            bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
        ))
        return uuid.uuidString.lowercased()
    }

    /// A made-up BankID PID in BankID's `9578-6000-4-NNNNNN` form.
    func bankIDPersonalIdentifier(nationalId: String) -> String {
        let value = mac("bankid_altsub\u{0}\(nationalId)").prefix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        let digits = String(value % 1_000_000)
        return "9578-6000-4-" + String(repeating: "0", count: 6 - digits.count) + digits
    }

    private func mac(_ message: String) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: Data(message.utf8), using: key))
    }
}
