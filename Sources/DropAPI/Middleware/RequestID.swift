import Foundation
import Hummingbird
import NIOConcurrencyHelpers

/// Every request gets an id (the caller's when it is sane), every log line carries it, and every
/// response echoes it (`EdgeMiddleware`).
enum RequestID {
    /// The caller's `x-request-id` when it is sane, else a new one.
    static func of(_ request: Request) -> String {
        request.headers[.xRequestID].flatMap { isSane($0) ? $0 : nil } ?? newID()
    }

    /// A fresh id in UUID form. Ids only need to be unique, not secret: a random per-process half
    /// and a mixed counter, instead of a system call for randomness on every request.
    static func newID() -> String {
        let count = counter.withLockedValue { value in
            value &+= 1
            return value
        }
        // SplitMix64 is a bijection, so distinct counts give distinct low halves.
        var mixed = count &+ 0x9E37_79B9_7F4A_7C15
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        mixed ^= mixed >> 31
        let high = (processHalf & 0xFFFF_FFFF_FFFF_0FFF) | 0x4000  // version 4
        let low = (mixed & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000  // RFC 4122 variant
        var bytes = [UInt8](repeating: UInt8(ascii: "-"), count: 36)
        var index = 0
        func put(_ value: UInt64, nibbles: Int) {
            for shift in stride(from: (nibbles - 1) * 4, through: 0, by: -4) {
                if index == 8 || index == 13 || index == 18 || index == 23 { index += 1 }
                bytes[index] = hexDigits[Int((value >> UInt64(shift)) & 0xF)]
                index += 1
            }
        }
        put(high, nibbles: 16)
        put(low, nibbles: 16)
        return String(decoding: bytes, as: UTF8.self)
    }

    private static let processHalf = UInt64.random(in: .min ... .max)
    private static let counter = NIOLockedValueBox<UInt64>(UInt64.random(in: .min ... .max))
    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// 1–128 characters of letters, digits and `-_.:` — nothing that could forge a log line.
    static func isSane(_ value: String) -> Bool {
        (1...128).contains(value.utf8.count)
            && value.utf8.allSatisfy { byte in
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                    || byte == 0x2D || byte == 0x5F || byte == 0x2E || byte == 0x3A
            }
    }
}
