import DropTestTools

extension SeededGenerator {
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
