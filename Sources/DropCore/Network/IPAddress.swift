import Foundation

/// An IPv4 or IPv6 address as bytes, so that spellings of one address (`::ffff:10.0.0.1`,
/// `10.0.0.1`, `[::1]`, `0:0::1`) compare equal and print the same way.
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    /// 4 bytes (IPv4, including IPv4-mapped IPv6) or 16 bytes (IPv6).
    public let bytes: [UInt8]

    /// Reads an address as proxies write it: optional `[…]`, a port after an IPv4 address or
    /// after `]`, an IPv6 zone (`%eth0`); surrounding spaces ignored. nil for anything else.
    public init?(_ text: some StringProtocol) {
        var value = text.trimmingCharacters(in: .whitespaces)
        // inet_pton reads a C string: an embedded NUL would end the address early and let the rest through.
        guard !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else { return nil }
        if value.hasPrefix("[") {
            guard let close = value.firstIndex(of: "]"), Self.isPortSuffix(value[value.index(after: close)...]) else { return nil }
            value = String(value[value.index(after: value.startIndex)..<close])
        } else if value.filter({ $0 == ":" }).count == 1, value.contains(".") {
            let colon = value.firstIndex(of: ":")!
            guard Self.isPortSuffix(value[colon...]) else { return nil }
            value = String(value[..<colon])  // 192.0.2.1:4711
        }
        if let zone = value.firstIndex(of: "%") { value = String(value[..<zone]) }
        guard !value.isEmpty, value.count <= 45 else { return nil }
        var v4 = in_addr()
        if inet_pton(AF_INET, value, &v4) == 1 {
            bytes = withUnsafeBytes(of: v4) { Array($0) }
            return
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, value, &v6) == 1 else { return nil }
        let raw = withUnsafeBytes(of: v6) { Array($0) }
        // IPv4-mapped (::ffff:a.b.c.d) is the IPv4 address: one client, one rate-limit bucket.
        bytes = raw.prefix(10).allSatisfy { $0 == 0 } && raw[10] == 0xff && raw[11] == 0xff ? Array(raw.suffix(4)) : raw
    }

    public var isIPv4: Bool { bytes.count == 4 }

    /// Nothing, or `:` and a port of 1 to 5 digits: what may follow an address in brackets or an IPv4 address.
    private static func isPortSuffix(_ rest: Substring) -> Bool {
        guard let colon = rest.first else { return true }
        let digits = rest.dropFirst().utf8
        return colon == ":" && (1...5).contains(digits.count) && digits.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    public var description: String {
        var buffer = [CChar](repeating: 0, count: 64)
        let ok: Bool = bytes.withUnsafeBytes { raw in
            buffer.withUnsafeMutableBufferPointer { out in
                inet_ntop(isIPv4 ? AF_INET : AF_INET6, raw.baseAddress, out.baseAddress, socklen_t(out.count)) != nil
            }
        }
        guard ok else { return "unknown" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// A network in CIDR notation (`10.0.0.0/8`, `fd00::/8`); a bare address is a network of one.
public struct IPNetwork: Sendable, Hashable, CustomStringConvertible {
    public let address: IPAddress
    public let prefixLength: Int

    public init?(_ text: some StringProtocol) {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: "/", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let address = IPAddress(parts[0]) else { return nil }
        let width = address.bytes.count * 8
        if parts.count == 2 {
            guard let length = Int(parts[1]), (0...width).contains(length) else { return nil }
            // An IPv4-mapped IPv6 network (::ffff:10.0.0.0/104) is the IPv4 network /8.
            prefixLength = address.isIPv4 && parts[0].contains(":") ? length - 96 : length
            guard prefixLength >= 0 else { return nil }
        } else {
            prefixLength = width
        }
        self.address = address
    }

    public func contains(_ other: IPAddress) -> Bool {
        guard other.bytes.count == address.bytes.count else { return false }
        var remaining = prefixLength
        for (mine, theirs) in zip(address.bytes, other.bytes) where remaining > 0 {
            let bits = min(8, remaining)
            let mask = UInt8(truncatingIfNeeded: 0xff << (8 - bits))
            if mine & mask != theirs & mask { return false }
            remaining -= bits
        }
        return true
    }

    public var description: String { "\(address)/\(prefixLength)" }
}

extension IPNetwork {
    /// The network of `prefixLength` bits around `address` (the rest of its bits cleared).
    public init(masking address: IPAddress, to prefixLength: Int) {
        let width = address.bytes.count * 8
        let length = max(0, min(prefixLength, width))
        var bytes = address.bytes
        for index in bytes.indices {
            let kept = max(0, min(8, length - index * 8))
            bytes[index] &= UInt8(truncatingIfNeeded: 0xff << (8 - kept))
        }
        self.address = IPAddress(bytes: bytes)
        self.prefixLength = length
    }
}

extension IPAddress {
    init(bytes: [UInt8]) { self.bytes = bytes }

    /// What one customer's line holds, so limits count it as one caller: the address itself for
    /// IPv4, its /64 for IPv6. A provider gives each home or phone at least a /64 (RFC 6177), and a
    /// device may take any address in it (privacy addresses change daily), so counting IPv6 by
    /// address would give one caller 2⁶⁴ budgets.
    public var subscriberNetwork: IPNetwork { IPNetwork(masking: self, to: isIPv4 ? 32 : 64) }
}
