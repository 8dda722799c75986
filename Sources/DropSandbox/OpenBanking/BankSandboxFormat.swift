/// The shapes the bank's NextGenPSD2 fields must have, checked by hand. A regex literal builds its
/// `Regex` again each time it is evaluated: on every payment that was about a tenth of the
/// sandbox's time, in the same process as the server measured (bench/README.md).
enum BankSandboxFormat {
    /// An `instructedAmount.amount`: 1 to 14 digits, then optionally a dot and 1 to 3 digits.
    static func isAmount(_ text: String) -> Bool {
        let parts = text.utf8.split(separator: UInt8(ascii: "."), maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, (1...14).contains(whole.count), whole.allSatisfy(isDigit) else { return false }
        guard parts.count == 2 else { return true }
        return (1...3).contains(parts[1].count) && parts[1].allSatisfy(isDigit)
    }

    /// 1 to `maxLength` ASCII digits.
    static func isDigits(_ text: String, maxLength: Int) -> Bool {
        (1...maxLength).contains(text.utf8.count) && text.utf8.allSatisfy(isDigit)
    }

    /// 1 to `maxLength` ASCII letters or digits.
    static func isAlphanumeric(_ text: String, maxLength: Int) -> Bool {
        (1...maxLength).contains(text.utf8.count) && text.utf8.allSatisfy { isDigit($0) || (0x41...0x5A).contains($0 & 0xDF) }
    }

    private static func isDigit(_ byte: UInt8) -> Bool { (0x30...0x39).contains(byte) }
}
