/// A broken property: the parser accepted something it must refuse, or what it accepted does
/// not survive its own round trip. Both fuzzers stop on it and keep the input.
public struct FuzzFailure: Error, CustomStringConvertible {
    public let target: String
    public let message: String

    public init(_ target: String, _ message: String) {
        self.target = target
        self.message = message
    }

    public var description: String { "\(target): \(message)" }

    /// Throws when a property does not hold; for the checks that live in the test targets.
    public static func require(_ condition: Bool, _ target: String, _ message: @autoclosure () -> String) throws(FuzzFailure) {
        if !condition { throw FuzzFailure(target, message()) }
    }
}

/// Checks a property and names the target when it does not hold.
@inline(__always)
func require(_ condition: Bool, _ target: String, _ message: @autoclosure () -> String) throws(FuzzFailure) {
    if !condition { throw FuzzFailure(target, message()) }
}

extension String {
    /// Whether any scalar is a C0/C1 control character or a NUL: what no identifier or header may carry.
    public var containsControlCharacter: Bool {
        unicodeScalars.contains { $0.properties.generalCategory == .control }
    }
}

/// Bytes as the text a parser of headers and form fields sees (invalid UTF-8 repaired, as Foundation and Hummingbird do).
public func fuzzText(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
