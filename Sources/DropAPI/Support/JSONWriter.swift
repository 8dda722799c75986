import DropCore
import Foundation
import NIOCore

/// JSON written straight into a buffer, for the answers a crowd's first visits make most
/// (`GET /v1/transactions`' newest page, `GET /v1/balance`).
///
/// `JSON.encoder` goes through `Encodable`: a box per container, a generic lookup per value and a
/// tree of values it serializes at the end. Under a restart's first visits that was a quarter of
/// Drop's CPU on `/v1/transactions` (bench/README, "Answers written by hand"). A `JSONWritable`
/// type writes the same bytes `JSON.encoder` would, keys in the same sorted order and nil fields
/// left out the way synthesized `Encodable` leaves them out; `JSONWriterTests` holds each one to
/// byte-for-byte equality with `JSON.encoder`, so the two can't drift apart.
///
/// What goes together goes into the buffer in one step (a key with its quotes, comma and colon; a
/// plain string with its quotes): each write to a `ByteBuffer` checks its capacity and uniqueness,
/// and single-byte writes were a tenth of a first visit's CPU (bench/README, "Fewer, larger writes").
struct JSONWriter {
    private(set) var buffer: ByteBuffer
    /// Bit `d` is set once the container open at depth `d` has a member, so the next needs a comma.
    private var hasMember: UInt64 = 0
    private var depth = 0

    init(capacity: Int = 1024) {
        buffer = ByteBufferAllocator().buffer(capacity: capacity)
    }

    /// `value` as JSON, as `JSON.encoder` would write it.
    static func encode(_ value: some JSONWritable, capacity: Int = 1024) -> ByteBuffer {
        var writer = JSONWriter(capacity: capacity)
        value.write(to: &writer)
        return writer.buffer
    }

    // MARK: Containers

    mutating func object(_ members: (inout JSONWriter) -> Void) {
        open(UInt8(ascii: "{"))
        members(&self)
        close(UInt8(ascii: "}"))
    }

    mutating func array<S: Sequence>(_ elements: S, _ write: (S.Element, inout JSONWriter) -> Void) {
        open(UInt8(ascii: "["))
        for element in elements {
            separate()
            write(element, &self)
        }
        close(UInt8(ascii: "]"))
    }

    /// The member's key; its value comes next. Keys are Drop's own camelCase names, written as they are.
    mutating func key(_ name: StaticString) {
        let comma = startsMember()
        name.withUTF8Buffer { name in
            write(upTo: name.count + 4) { out in
                var at = 0
                if comma { at = out.put(UInt8(ascii: ","), at: at) }
                at = out.put(UInt8(ascii: "\""), at: at)
                at = out.put(name, at: at)
                at = out.put(UInt8(ascii: "\""), at: at)
                return out.put(UInt8(ascii: ":"), at: at)
            }
        }
    }

    /// Up to `count` bytes in one write: `fill` puts them and returns how many it put.
    private mutating func write(upTo count: Int, _ fill: (UnsafeMutableRawPointer) -> Int) {
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count) { fill($0.baseAddress!) }
    }

    private mutating func open(_ bracket: UInt8) {
        buffer.writeInteger(bracket)
        depth += 1
        precondition(depth < 64, "JSON nested deeper than JSONWriter tracks")
        hasMember &= ~(1 << UInt64(depth))
    }

    private mutating func close(_ bracket: UInt8) {
        depth -= 1
        buffer.writeInteger(bracket)
    }

    /// A comma before every member or element but a container's first.
    private mutating func separate() {
        if startsMember() { buffer.writeInteger(UInt8(ascii: ",")) }
    }

    /// Counts a member or element of the open container; true when a comma must come before it.
    private mutating func startsMember() -> Bool {
        let bit: UInt64 = 1 << UInt64(depth)
        defer { hasMember |= bit }
        return hasMember & bit != 0
    }

    // MARK: Values

    mutating func null() {
        buffer.writeStaticString("null")
    }

    mutating func bool(_ value: Bool) {
        buffer.writeStaticString(value ? "true" : "false")
    }

    mutating func integer(_ value: Int64) {
        // Digits from the end into a stack buffer: Int64.min has 19 digits and a sign.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var magnitude = value.magnitude
            var start = 20
            repeat {
                start -= 1
                digits[start] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude != 0
            if value < 0 {
                start -= 1
                digits[start] = UInt8(ascii: "-")
            }
            buffer.writeBytes(UnsafeBufferPointer(rebasing: digits[start...]))
        }
    }

    /// A string, escaped as `JSON.encoder` escapes it (`JSONString`).
    mutating func string(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            guard JSONString.isPlain(utf8) else {
                buffer.writeInteger(UInt8(ascii: "\""))
                JSONString.escape(utf8) { buffer.writeBytes($0) }
                buffer.writeInteger(UInt8(ascii: "\""))
                return
            }
            write(upTo: utf8.count + 2) { out in
                let at = out.put(utf8, at: out.put(UInt8(ascii: "\""), at: 0))
                return out.put(UInt8(ascii: "\""), at: at)
            }
        }
    }

    /// A date as every answer writes one (`JSON.rfc3339`), in its quotes.
    mutating func date(_ value: Date) {
        JSON.writeRFC3339(value, quotedTo: &buffer)
    }

    mutating func value(_ value: some JSONWritable) {
        value.write(to: &self)
    }
}

/// A value `JSONWriter` can write: the same JSON its `Encodable` conformance gives through `JSON.encoder`.
protocol JSONWritable {
    func write(to json: inout JSONWriter)
}

extension JSONWriter {
    // Members whose value may be absent: left out when nil, as synthesized `Encodable` does.

    mutating func member(_ name: StaticString, _ value: String?) {
        guard let value else { return }
        key(name)
        string(value)
    }

    mutating func member(_ name: StaticString, _ value: Date?) {
        guard let value else { return }
        key(name)
        date(value)
    }

    mutating func member(_ name: StaticString, _ value: Bool?) {
        guard let value else { return }
        key(name)
        bool(value)
    }

    mutating func member(_ name: StaticString, _ value: (some JSONWritable)?) {
        guard let value else { return }
        key(name)
        value.write(to: &self)
    }

    mutating func member<Case: RawRepresentable<String>>(_ name: StaticString, _ value: Case?) {
        guard let value else { return }
        key(name)
        string(value.rawValue)
    }
}

extension Money: JSONWritable {
    func write(to json: inout JSONWriter) {
        json.object {
            $0.key("amountMinor")
            $0.integer(minorUnits)
            $0.key("currency")
            $0.string(currency.code)
        }
    }
}

private extension UnsafeMutableRawPointer {
    /// Puts `byte` at `offset` and returns the offset after it.
    func put(_ byte: UInt8, at offset: Int) -> Int {
        storeBytes(of: byte, toByteOffset: offset, as: UInt8.self)
        return offset + 1
    }

    /// Puts `bytes` at `offset` and returns the offset after them.
    func put(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> Int {
        if let base = bytes.baseAddress { (self + offset).copyMemory(from: base, byteCount: bytes.count) }
        return offset + bytes.count
    }
}
