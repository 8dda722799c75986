import Foundation

/// An address Drop will send mail to. Deliberately narrower than RFC 5321: plain ASCII, one `@`, a
/// dotted domain of letter/digit/hyphen labels, nothing that could end a header line or smuggle a
/// second recipient (no spaces, controls, quotes, brackets, commas). At most 254 characters.
public struct EmailAddress: Sendable, Hashable, Codable, CustomStringConvertible {
    public let value: String

    /// Surrounding spaces are ignored; nil when what is left is not an address Drop can use.
    public init?(_ input: String) {
        let trimmed = input.trimmingCharacters(in: .whitespaces)
        guard let at = trimmed.utf8.lastIndex(of: UInt8(ascii: "@")), trimmed.utf8.count <= 254 else { return nil }
        let local = trimmed.utf8[trimmed.utf8.startIndex..<at]
        let domain = trimmed.utf8[trimmed.utf8.index(after: at)...]
        guard (1...64).contains(local.count), local.allSatisfy(Self.isLocalByte),
              local.first != UInt8(ascii: "."), local.last != UInt8(ascii: "."),
              !String(decoding: local, as: UTF8.self).contains("..") else { return nil }
        let labels = domain.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ Self.isDomainLabel($0) }),
              let top = labels.last, top.contains(where: ASCII.isLetter) else { return nil }
        value = trimmed
    }

    public var description: String { value }

    /// The domain part, lowercased (mail domains are case-insensitive).
    public var domain: String { String(value[value.index(after: value.lastIndex(of: "@")!)...]).lowercased() }

    /// RFC 5322 atext and the dot: what an unquoted local part may hold.
    private static func isLocalByte(_ byte: UInt8) -> Bool {
        ASCII.isAlphanumeric(byte) || Array("!#$%&'*+-/=?^_`{|}~.".utf8).contains(byte)
    }

    private static func isDomainLabel(_ label: some BidirectionalCollection<UInt8>) -> Bool {
        (1...63).contains(label.count) && label.allSatisfy { ASCII.isAlphanumeric($0) || $0 == UInt8(ascii: "-") }
            && label.first != UInt8(ascii: "-") && label.last != UInt8(ascii: "-")
    }
}
