/// How `users.pid_encrypted` is stored: `<key id>.<pepper id>.<sealed box>`. The key id names the
/// `PID_ENCRYPTION_KEY` that sealed the number, so the previous key opens what it sealed during a
/// rotation; the pepper id names the `PID_PEPPER` the row's `pid_hash` was made with, so the rows a
/// rotation hasn't reached are found with one text comparison (ADR 0034). Values from before carry
/// neither (`keyId` and `pepperId` nil): the box alone, which has no dot (base64).
public struct SealedIdentity: Sendable, Equatable {
    public let keyId: String?
    public let pepperId: String?
    public let box: String

    public init(keyId: String, pepperId: String, box: String) {
        self.keyId = keyId
        self.pepperId = pepperId
        self.box = box
    }

    public init(stored: String) {
        let parts = stored.split(separator: ".", omittingEmptySubsequences: false)
        if parts.count == 3, !parts[0].isEmpty, !parts[1].isEmpty {
            keyId = String(parts[0])
            pepperId = String(parts[1])
            box = String(parts[2])
        } else {
            keyId = nil
            pepperId = nil
            box = stored
        }
    }

    public var stored: String {
        guard let keyId, let pepperId else { return box }
        return "\(keyId).\(pepperId).\(box)"
    }

    /// What every value sealed under these keys starts with: a row not starting so is left for rotation.
    public static func prefix(keyId: String, pepperId: String) -> String { "\(keyId).\(pepperId)." }

    public func isCurrent(keyId: String, pepperId: String) -> Bool { self.keyId == keyId && self.pepperId == pepperId }
}
