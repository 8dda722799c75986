/// Domestic bank identifiers for corridors without IBANs.
public enum BankCodes {
    /// India's IFSC: `^[A-Z]{4}0[A-Z0-9]{6}$` (the fifth character is reserved and always zero).
    public static func isValidIFSC(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 11, bytes[4] == UInt8(ascii: "0") else { return false }
        return bytes[0..<4].allSatisfy(ASCII.isUppercaseLetter)
            && bytes[5...].allSatisfy { ASCII.isUppercaseLetter($0) || ASCII.isDigit($0) }
    }

    public enum ABAResult: Sendable, Hashable { case valid, badFormat, badChecksum }

    /// US ABA routing number: 9 digits, weights 3-7-1 repeated, sum divisible by 10.
    public static func checkABARoutingNumber(_ text: String) -> ABAResult {
        let bytes = Array(text.utf8)
        guard bytes.count == 9, bytes.allSatisfy(ASCII.isDigit) else { return .badFormat }
        let weights = [3, 7, 1, 3, 7, 1, 3, 7, 1]
        let sum = zip(bytes, weights).reduce(0) { $0 + Int($1.0 - UInt8(ascii: "0")) * $1.1 }
        return sum % 10 == 0 ? .valid : .badChecksum
    }

    /// A domestic account number as banks abroad write it: 4–34 ASCII letters and digits
    /// (34 is the ISO 20022 `Othr/Id` limit). Country-specific checks are the bank's job.
    public static func isPlausibleAccountNumber(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return (4...34).contains(bytes.count) && bytes.allSatisfy { ASCII.isDigit($0) || ASCII.isLetter($0) }
    }
}
