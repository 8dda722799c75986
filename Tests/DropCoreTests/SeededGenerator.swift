/// SplitMix64: a tiny deterministic generator so property-style tests draw the same
/// "random" cases on every run and a failure can be reproduced.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func digits(_ count: Int) -> [Int] {
        (0..<count).map { _ in Int.random(in: 0...9, using: &self) }
    }
}

/// Independent re-statement of the Norwegian weighted mod-11 rule, so tests do not
/// just mirror the production helper.
func testMod11(_ digits: [Int], _ weights: [Int]) -> Int? {
    let remainder = zip(digits, weights).map(*).reduce(0, +) % 11
    if remainder == 0 { return 0 }
    return 11 - remainder == 10 ? nil : 11 - remainder
}

/// Every string that differs from `digits` in exactly one position by another digit.
func singleDigitMutations(of digits: String) -> [String] {
    let characters = Array(digits)
    var result: [String] = []
    for index in characters.indices {
        for replacement in "0123456789" where replacement != characters[index] {
            var copy = characters
            copy[index] = replacement
            result.append(String(copy))
        }
    }
    return result
}
