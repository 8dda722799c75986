/// The W3C Trace Context `traceparent` header (https://www.w3.org/TR/trace-context/ §3.2):
/// `00-<32 hex trace id>-<16 hex parent span id>-<2 hex flags>`.
///
/// Pure parsing and printing. Drop continues a trace a caller started, starts one otherwise, and
/// sends its own span as the parent to every provider, so one trace id runs through Drop's
/// server, its database calls, the bank's answer and the sandbox's log line.
public struct TraceParent: Sendable, Hashable, CustomStringConvertible {
    /// 16 bytes, never all zero.
    public let traceId: TraceId
    /// 8 bytes, never all zero: the span of the caller (the parent of the next span).
    public let spanId: SpanId
    public static let headerName = "traceparent"

    /// Bit 0: the caller records this trace (sampled).
    public let flags: UInt8

    public var isSampled: Bool { flags & 0x01 == 0x01 }

    public init(traceId: TraceId, spanId: SpanId, sampled: Bool = true) {
        self.traceId = traceId
        self.spanId = spanId
        self.flags = sampled ? 0x01 : 0x00
    }

    /// Nil for anything but a well-formed version-00 header (or a later version's first four
    /// fields, as §3.2.4 asks); an all-zero id is invalid.
    public init?(header: String) {
        let bytes = Array(header.utf8)
        // A later version may append fields after a dash; version 00 is exactly 55 characters.
        guard bytes.count >= 55, bytes[2] == dash, bytes[35] == dash, bytes[52] == dash,
              let version = TraceHex.byte(bytes[0], bytes[1]), version != 0xFF,
              version == 0 ? bytes.count == 55 : (bytes.count == 55 || bytes[55] == dash),
              let trace = TraceId(hex: bytes[3..<35]), let span = SpanId(hex: bytes[36..<52]),
              let flags = TraceHex.byte(bytes[53], bytes[54]) else { return nil }
        self.traceId = trace
        self.spanId = span
        self.flags = flags
    }

    /// The header value, always version 00.
    public var header: String { "00-\(traceId.hex)-\(spanId.hex)-\(Hex.string(of: [flags]))" }
    public var description: String { header }
}

private let dash = UInt8(ascii: "-")

/// A trace id: 16 random bytes, printed as 32 lowercase hex digits.
public struct TraceId: Sendable, Hashable, CustomStringConvertible {
    public let high: UInt64
    public let low: UInt64

    public init?(high: UInt64, low: UInt64) {
        guard high != 0 || low != 0 else { return nil }
        self.high = high
        self.low = low
    }

    public static func random<G: RandomNumberGenerator>(using generator: inout G) -> TraceId {
        while true {
            if let id = TraceId(high: generator.next(), low: generator.next()) { return id }
        }
    }

    public static func random() -> TraceId {
        var generator = SystemRandomNumberGenerator()
        return random(using: &generator)
    }

    init?(hex: ArraySlice<UInt8>) {
        guard hex.count == 32, let high = TraceHex.uint64(hex.prefix(16)), let low = TraceHex.uint64(hex.suffix(16)) else { return nil }
        self.init(high: high, low: low)
    }

    public init?(hex: String) { self.init(hex: ArraySlice(hex.utf8)) }

    public var hex: String { TraceHex.string(of: high) + TraceHex.string(of: low) }
    public var description: String { hex }
}

/// A span id: 8 random bytes, printed as 16 lowercase hex digits.
public struct SpanId: Sendable, Hashable, CustomStringConvertible {
    public let value: UInt64

    public init?(_ value: UInt64) {
        guard value != 0 else { return nil }
        self.value = value
    }

    public static func random<G: RandomNumberGenerator>(using generator: inout G) -> SpanId {
        while true {
            if let id = SpanId(generator.next()) { return id }
        }
    }

    public static func random() -> SpanId {
        var generator = SystemRandomNumberGenerator()
        return random(using: &generator)
    }

    init?(hex: ArraySlice<UInt8>) {
        guard hex.count == 16, let value = TraceHex.uint64(hex) else { return nil }
        self.init(value)
    }

    public init?(hex: String) { self.init(hex: ArraySlice(hex.utf8)) }

    public var hex: String { TraceHex.string(of: value) }
    public var description: String { hex }
}

/// Reading and writing the fixed-width hex fields of `traceparent`; lowercase only, as the spec requires.
private enum TraceHex {
    static let digits = Array("0123456789abcdef".utf8)

    static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        default: nil
        }
    }

    static func byte(_ high: UInt8, _ low: UInt8) -> UInt8? {
        guard let h = nibble(high), let l = nibble(low) else { return nil }
        return h << 4 | l
    }

    static func uint64(_ hex: ArraySlice<UInt8>) -> UInt64? {
        var value: UInt64 = 0
        for byte in hex {
            guard let n = nibble(byte) else { return nil }
            value = value << 4 | UInt64(n)
        }
        return value
    }

    static func string(of value: UInt64) -> String {
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in 0..<16 { bytes[index] = digits[Int((value >> UInt64((15 - index) * 4)) & 0xF)] }
        return String(decoding: bytes, as: UTF8.self)
    }
}
