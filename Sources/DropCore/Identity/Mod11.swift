/// The weighted modulus-11 check digit used by Norwegian identifiers
/// (fødselsnummer, organisasjonsnummer, kontonummer).
enum Mod11 {
    /// `11 − (Σ digit·weight mod 11)`, where 11 becomes 0. Returns nil when the result is 10:
    /// no valid number has such a body, so the issuers never hand one out.
    static func checkDigit(for digits: some Collection<UInt8>, weights: [Int]) -> UInt8? {
        precondition(digits.count == weights.count, "one weight per digit")
        var sum = 0
        for (digit, weight) in zip(digits, weights) { sum += Int(digit) * weight }
        let check = 11 - sum % 11
        switch check {
        case 11: return 0
        case 10: return nil
        default: return UInt8(check)
        }
    }
}
