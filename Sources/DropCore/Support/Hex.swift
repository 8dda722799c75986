import Crypto
import Foundation

/// Lowercase hexadecimal, the one encoder for digests, HMACs and random ids in every module (the
/// W3C trace context, webhook signatures and stored hashes all want lowercase).
public enum Hex {
    static let digits = Array("0123456789abcdef".utf8)

    /// Two digits per byte, most significant first.
    public static func string(of bytes: some Sequence<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The bytes a hex string spells, in either case; nil for an odd length or a character that
    /// isn't a hex digit. Tolerant of case because signatures arrive in either.
    public static func bytes(from text: String) -> [UInt8]? {
        let characters = Array(text.utf8)
        guard characters.count.isMultiple(of: 2) else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(characters.count / 2)
        var index = 0
        while index < characters.count {
            guard let high = value(of: characters[index]), let low = value(of: characters[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func value(of character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): character - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// The SHA-256 of the bytes, in hex: what Drop stores instead of a token, code or raw body.
    public static func sha256(of bytes: some DataProtocol) -> String {
        string(of: SHA256.hash(data: bytes))
    }

    /// The SHA-256 of the text's UTF-8, in hex.
    public static func sha256(of text: String) -> String {
        sha256(of: Array(text.utf8))
    }
}
