/// One of the eight data mask patterns (ISO/IEC 18004 §7.8.2, Table 10). Masking breaks up
/// large blocks and finder-like shapes in the data that would confuse a reader.
public struct QRMask: Sendable, Hashable, CustomStringConvertible {
    public static let all: [QRMask] = (0...7).map(QRMask.init(unchecked:))

    /// The mask pattern reference, 0...7, as written in the format information.
    public let pattern: Int

    /// `nil` outside 0...7.
    public init?(_ pattern: Int) {
        guard (0...7).contains(pattern) else { return nil }
        self.pattern = pattern
    }

    private init(unchecked pattern: Int) { self.pattern = pattern }

    public var description: String { "mask \(pattern)" }

    /// Whether this mask inverts the module at row i, column j (the standard's i and j).
    func inverts(row i: Int, column j: Int) -> Bool {
        switch pattern {
        case 0: (i + j) % 2 == 0
        case 1: i % 2 == 0
        case 2: j % 3 == 0
        case 3: (i + j) % 3 == 0
        case 4: (i / 2 + j / 3) % 2 == 0
        case 5: (i * j) % 2 + (i * j) % 3 == 0
        case 6: ((i * j) % 2 + (i * j) % 3) % 2 == 0
        default: ((i + j) % 2 + (i * j) % 3) % 2 == 0
        }
    }
}

/// The mask evaluation of ISO/IEC 18004 §7.8.3 (Table 11): the mask with the lowest total wins,
/// ties going to the lower pattern number. Scored on the whole symbol, format information included.
enum QRPenalty {
    static let n1 = 3, n2 = 3, n3 = 40, n4 = 10

    static func score(_ grid: QRModuleGrid) -> Int {
        sameColorRuns(grid) + sameColorBlocks(grid) + finderLikePatterns(grid) + darkProportion(grid)
    }

    /// N1: each run of five or more same-coloured modules in a row or column scores 3, plus 1 per
    /// module beyond five.
    static func sameColorRuns(_ grid: QRModuleGrid) -> Int {
        (0..<grid.size).reduce(0) { $0 + runPenalty(grid.row($1)) + runPenalty(grid.column($1)) }
    }

    static func runPenalty(_ line: some Collection<Bool>) -> Int {
        var penalty = 0
        var previous: Bool?
        var run = 0
        for module in line {
            if module == previous {
                run += 1
            } else {
                if run >= 5 { penalty += n1 + run - 5 }
                previous = module
                run = 1
            }
        }
        if run >= 5 { penalty += n1 + run - 5 }
        return penalty
    }

    /// N2: every 2×2 block of one colour scores 3. Overlapping blocks each count, which is how the
    /// standard's m×n block rule, 3 × (m − 1) × (n − 1), works out.
    static func sameColorBlocks(_ grid: QRModuleGrid) -> Int {
        var penalty = 0
        for row in 0..<grid.size - 1 {
            for column in 0..<grid.size - 1 {
                let color = grid[row, column]
                if grid[row, column + 1] == color, grid[row + 1, column] == color, grid[row + 1, column + 1] == color {
                    penalty += n2
                }
            }
        }
        return penalty
    }

    /// N3: each dark:light:dark:light:dark = 1:1:3:1:1 pattern in a row or column with four light
    /// modules before or after it scores 40: it looks like a finder to a reader.
    static func finderLikePatterns(_ grid: QRModuleGrid) -> Int {
        (0..<grid.size).reduce(0) { $0 + finderLikePenalty(Array(grid.row($1))) + finderLikePenalty(grid.column($1)) }
    }

    /// Counts once per pattern even when both sides are light (as ZXing does), and treats
    /// modules beyond the symbol's edge as light, since the quiet zone is.
    static func finderLikePenalty(_ line: [Bool]) -> Int {
        let core: [Bool] = [true, false, true, true, true, false, true]
        func isLight(_ range: Range<Int>) -> Bool {
            range.allSatisfy { $0 < 0 || $0 >= line.count || !line[$0] }
        }
        var penalty = 0
        var start = 0
        while start + core.count <= line.count {
            if line[start..<start + core.count].elementsEqual(core),
               isLight(start - 4..<start) || isLight(start + 7..<start + 11) {
                penalty += n3
            }
            start += 1
        }
        return penalty
    }

    /// N4: 10 points for each full 5 % the dark share deviates from 50 %.
    static func darkProportion(_ grid: QRModuleGrid) -> Int {
        let total = grid.size * grid.size
        let dark = grid.modules.reduce(0) { $0 + ($1 ? 1 : 0) }
        // |dark/total − ½| in steps of 1/20, floored: |20·dark − 10·total| / total.
        return abs(20 * dark - 10 * total) / total * n4
    }
}
