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

    /// The SHA-256 of the bytes, in hex: what Drop stores instead of a token, code or raw body.
    public static func sha256(of bytes: some DataProtocol) -> String {
        string(of: SHA256.hash(data: bytes))
    }

    /// The SHA-256 of the text's UTF-8, in hex.
    public static func sha256(of text: String) -> String {
        sha256(of: Array(text.utf8))
    }
}
