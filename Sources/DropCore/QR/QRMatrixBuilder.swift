/// Lays out a symbol: function patterns, codeword placement, masking, and the format and
/// version information (ISO/IEC 18004 §6.3, §7.7–7.10).
struct QRMatrixBuilder {
    let version: QRVersion
    private(set) var grid: QRModuleGrid
    /// Modules that are not data: masking and codeword placement skip them.
    private(set) var isFunction: QRModuleGrid

    init(version: QRVersion) {
        self.version = version
        grid = QRModuleGrid(size: version.size)
        isFunction = QRModuleGrid(size: version.size)
        drawFunctionPatterns()
    }

    var size: Int { version.size }

    // MARK: Function patterns

    private mutating func drawFunctionPatterns() {
        // Timing patterns first: the finders drawn next overwrite their ends.
        for i in 0..<size {
            setFunction(row: 6, column: i, dark: i % 2 == 0)
            setFunction(row: i, column: 6, dark: i % 2 == 0)
        }
        drawFinder(centerRow: 3, centerColumn: 3)
        drawFinder(centerRow: 3, centerColumn: size - 4)
        drawFinder(centerRow: size - 4, centerColumn: 3)

        let centers = version.alignmentPatternCenters
        let last = centers.count - 1
        for (i, row) in centers.enumerated() {
            for (j, column) in centers.enumerated() {
                // The three corners that would sit on a finder pattern are left out.
                if (i == 0 && j == 0) || (i == 0 && j == last) || (i == last && j == 0) { continue }
                drawAlignment(centerRow: row, centerColumn: column)
            }
        }

        // Reserve the format areas now so placement skips them; the real bits come with the mask.
        drawFormatInformation(0)
        drawVersionInformation()
    }

    /// 7×7 finder plus its one-module light separator: rings at distance 2 and 4 are light.
    private mutating func drawFinder(centerRow: Int, centerColumn: Int) {
        for dy in -4...4 {
            for dx in -4...4 {
                let row = centerRow + dy, column = centerColumn + dx
                guard (0..<size).contains(row), (0..<size).contains(column) else { continue }
                let distance = max(abs(dx), abs(dy))
                setFunction(row: row, column: column, dark: distance != 2 && distance != 4)
            }
        }
    }

    /// 5×5 alignment pattern: dark ring, light ring, dark centre.
    private mutating func drawAlignment(centerRow: Int, centerColumn: Int) {
        for dy in -2...2 {
            for dx in -2...2 {
                setFunction(row: centerRow + dy, column: centerColumn + dx, dark: max(abs(dx), abs(dy)) != 1)
            }
        }
    }

    /// Both copies of the 15 format bits, and the dark module at (4V + 9, 8) that is always set.
    private mutating func drawFormatInformation(_ bits: Int) {
        func bit(_ i: Int) -> Bool { (bits >> i) & 1 == 1 }
        // Copy around the top-left finder: down column 8 (skipping timing row 6), then left along row 8.
        for i in 0...5 { setFunction(row: i, column: 8, dark: bit(i)) }
        setFunction(row: 7, column: 8, dark: bit(6))
        setFunction(row: 8, column: 8, dark: bit(7))
        setFunction(row: 8, column: 7, dark: bit(8))
        for i in 9..<15 { setFunction(row: 8, column: 14 - i, dark: bit(i)) }
        // Second copy split between the top-right and bottom-left finders.
        for i in 0..<8 { setFunction(row: 8, column: size - 1 - i, dark: bit(i)) }
        for i in 8..<15 { setFunction(row: size - 15 + i, column: 8, dark: bit(i)) }
        setFunction(row: size - 8, column: 8, dark: true)
    }

    /// Versions 7 and up carry their number twice in 6×3 blocks next to the top-right and
    /// bottom-left finders, so a reader need not infer it from the symbol's size.
    private mutating func drawVersionInformation() {
        guard version.number >= 7 else { return }
        let bits = Self.versionInformationBits(version)
        for i in 0..<18 {
            let dark = (bits >> i) & 1 == 1
            let a = size - 11 + i % 3, b = i / 3
            setFunction(row: b, column: a, dark: dark)
            setFunction(row: a, column: b, dark: dark)
        }
    }

    private mutating func setFunction(row: Int, column: Int, dark: Bool) {
        grid[row, column] = dark
        isFunction[row, column] = true
    }

    // MARK: Data

    /// Places codewords in two-module-wide columns, zigzagging up and down from the bottom-right,
    /// skipping function modules and the vertical timing column (§7.7.3). Unused remainder bits stay light.
    mutating func placeCodewords(_ codewords: [UInt8]) {
        let totalBits = codewords.count * 8
        var bitIndex = 0
        var right = size - 1
        while right >= 1 {
            if right == 6 { right = 5 }  // column 6 is timing; the pair shifts left by one
            let upward = ((right + 1) & 2) == 0
            for vertical in 0..<size {
                let row = upward ? size - 1 - vertical : vertical
                for column in [right, right - 1] where !isFunction[row, column] && bitIndex < totalBits {
                    let byte = codewords[bitIndex >> 3]
                    grid[row, column] = (byte >> (7 - UInt8(bitIndex & 7))) & 1 == 1
                    bitIndex += 1
                }
            }
            right -= 2
        }
        precondition(bitIndex == totalBits, "codewords do not fit the symbol")
    }

    /// The finished symbol for one mask: data modules inverted where the mask says, format bits drawn.
    func masked(with mask: QRMask, level: QRErrorCorrectionLevel) -> QRModuleGrid {
        var copy = self
        for row in 0..<size {
            for column in 0..<size where !isFunction[row, column] && mask.inverts(row: row, column: column) {
                copy.grid[row, column].toggle()
            }
        }
        copy.drawFormatInformation(Self.formatInformationBits(level: level, mask: mask))
        return copy.grid
    }

    // MARK: Format and version information

    /// 5 data bits (level, mask) + 10 BCH(15,5) bits, XORed with 101010000010010 so the
    /// result is never all zero (§7.9.1, Annex C).
    static func formatInformationBits(level: QRErrorCorrectionLevel, mask: QRMask) -> Int {
        let data = level.formatBits << 3 | mask.pattern
        return (data << 10 | bchRemainder(data << 10, generator: 0x537, degree: 10)) ^ 0x5412
    }

    /// 6 version bits + 12 BCH(18,6) bits (§7.10, Annex D).
    static func versionInformationBits(_ version: QRVersion) -> Int {
        version.number << 12 | bchRemainder(version.number << 12, generator: 0x1F25, degree: 12)
    }

    /// Polynomial remainder over GF(2).
    private static func bchRemainder(_ value: Int, generator: Int, degree: Int) -> Int {
        var remainder = value
        var highBit = 31 - degree
        while highBit >= 0 {
            if remainder >> (highBit + degree) & 1 == 1 { remainder ^= generator << highBit }
            highBit -= 1
        }
        return remainder
    }
}
