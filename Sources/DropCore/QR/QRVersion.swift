/// A QR symbol size, 1 (21×21 modules) through 40 (177×177), with the standard's capacity and
/// block structure (ISO/IEC 18004 Tables 1 and 9).
public struct QRVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
    public static let minimum = QRVersion(uncheckedNumber: 1)
    public static let maximum = QRVersion(uncheckedNumber: 40)
    public static let all: [QRVersion] = (1...40).map(QRVersion.init(uncheckedNumber:))

    public let number: Int

    /// `nil` outside 1...40.
    public init?(_ number: Int) {
        guard (1...40).contains(number) else { return nil }
        self.number = number
    }

    private init(uncheckedNumber: Int) { number = uncheckedNumber }

    public static func < (lhs: QRVersion, rhs: QRVersion) -> Bool { lhs.number < rhs.number }

    public var description: String { "\(number)" }

    /// Modules per side, without the quiet zone.
    public var size: Int { 17 + 4 * number }

    /// The largest byte-mode payload this version holds at `level`.
    public func byteCapacity(_ level: QRErrorCorrectionLevel) -> Int {
        let available = dataCodewords(level) * 8 - 4 - characterCountBits
        return available / 8
    }

    /// Byte mode's character count field grows from 8 to 16 bits at version 10 (Table 3).
    var characterCountBits: Int { number < 10 ? 8 : 16 }

    /// Modules left for codewords (data + EC + remainder bits) once every function pattern,
    /// format and version area is taken out. Closed form instead of a 40-row table.
    var rawDataModules: Int {
        let v = number
        var result = (16 * v + 128) * v + 64
        if v >= 2 {
            let alignments = v / 7 + 2
            result -= (25 * alignments - 10) * alignments - 55
            if v >= 7 { result -= 36 }  // two 6×3 version information blocks
        }
        return result
    }

    /// Total codewords; the leftover 0–7 modules are remainder bits.
    var totalCodewords: Int { rawDataModules / 8 }

    func errorCorrectionCodewordsPerBlock(_ level: QRErrorCorrectionLevel) -> Int {
        Self.eccCodewordsPerBlock[level.tableIndex][number]
    }

    func blockCount(_ level: QRErrorCorrectionLevel) -> Int {
        Self.errorCorrectionBlocks[level.tableIndex][number]
    }

    func dataCodewords(_ level: QRErrorCorrectionLevel) -> Int {
        totalCodewords - errorCorrectionCodewordsPerBlock(level) * blockCount(level)
    }

    /// Data codewords per block. Where the total does not divide evenly the standard puts the
    /// shorter blocks first and gives each later block one codeword more.
    func dataBlockLengths(_ level: QRErrorCorrectionLevel) -> [Int] {
        let blocks = blockCount(level)
        let data = dataCodewords(level)
        let shortLength = data / blocks
        let longBlocks = data % blocks
        return (0..<blocks).map { $0 < blocks - longBlocks ? shortLength : shortLength + 1 }
    }

    /// Centre coordinates of the alignment patterns, used for both rows and columns (Annex E).
    /// Evenly spaced from the far edge back towards 6, with spacing rounded up to even;
    /// version 32 is the one the standard spaces differently.
    var alignmentPatternCenters: [Int] {
        guard number > 1 else { return [] }
        let count = number / 7 + 2
        let step = number == 32 ? 26 : (number * 4 + count * 2 + 1) / (count * 2 - 2) * 2
        let fromFarEdge = (0..<count - 1).map { size - 7 - $0 * step }
        return [6] + fromFarEdge.reversed()
    }

    // Index 0 is unused so the tables read by version number. Rows: L, M, Q, H.
    private static let eccCodewordsPerBlock: [[Int]] = [
        [0, 7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28, 28, 28, 30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
        [0, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28],
        [0, 13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30, 28, 30, 30, 30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
        [0, 17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28, 30, 24, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
    ]

    private static let errorCorrectionBlocks: [[Int]] = [
        [0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8, 8, 9, 9, 10, 12, 12, 12, 13, 14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25],
        [0, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49],
        [0, 1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20, 23, 23, 25, 27, 29, 34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68],
        [0, 1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25, 25, 34, 30, 32, 35, 37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81],
    ]
}
