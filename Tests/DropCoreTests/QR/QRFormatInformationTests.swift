import Testing
@testable import DropCore

@Suite("QR format and version information")
struct QRFormatInformationTests {
    /// ISO/IEC 18004 Table C.1 (after masking with 101010000010010), mask 0 through 7.
    static let table: [QRErrorCorrectionLevel: [String]] = [
        .low: ["111011111000100", "111001011110011", "111110110101010", "111100010011101",
               "110011000101111", "110001100011000", "110110001000001", "110100101110110"],
        .medium: ["101010000010010", "101000100100101", "101111001111100", "101101101001011",
                  "100010111111001", "100000011001110", "100111110010111", "100101010100000"],
        .quartile: ["011010101011111", "011000001101000", "011111100110001", "011101000000110",
                    "010010010110100", "010000110000011", "010111011011010", "010101111101101"],
        .high: ["001011010001001", "001001110111110", "001110011100111", "001100111010000",
                "000011101100010", "000001001010101", "000110100001100", "000100000111011"],
    ]

    @Test(arguments: QRErrorCorrectionLevel.allCases)
    func formatInformationMatchesTheStandard(level: QRErrorCorrectionLevel) throws {
        let expected = try #require(Self.table[level])
        for mask in QRMask.all {
            let bits = QRMatrixBuilder.formatInformationBits(level: level, mask: mask)
            #expect(binary(bits, width: 15) == expected[mask.pattern], "\(level) \(mask)")
        }
    }

    @Test func versionInformationMatchesTheStandard() throws {
        let expected = [
            7: "000111110010010100", 8: "001000010110111100", 9: "001001101010011001",
            10: "001010010011010011", 21: "010101011010000011", 40: "101000110001101001",
        ]
        for (number, bits) in expected {
            let version = try #require(QRVersion(number))
            #expect(binary(QRMatrixBuilder.versionInformationBits(version), width: 18) == bits, "version \(number)")
        }
    }

    /// Both copies in a finished symbol read back as the chosen level and mask.
    @Test(arguments: QRErrorCorrectionLevel.allCases)
    func symbolCarriesItsFormatInformation(level: QRErrorCorrectionLevel) throws {
        let code = try QRCode(text: "https://drop.no/pay/ABC123", errorCorrectionLevel: level)
        let n = code.size
        let expected = QRMatrixBuilder.formatInformationBits(level: level, mask: code.mask)
        // Copy 1: bits 0–7 down column 8 (skipping row 6), bits 8–14 leftwards along row 8 (skipping column 6).
        let firstPositions: [(Int, Int)] = [(0, 8), (1, 8), (2, 8), (3, 8), (4, 8), (5, 8), (7, 8), (8, 8),
                                            (8, 7), (8, 5), (8, 4), (8, 3), (8, 2), (8, 1), (8, 0)]
        // Copy 2: bits 0–7 leftwards along row 8 at the right, bits 8–14 down column 8 at the bottom.
        let secondPositions = (0..<8).map { (8, n - 1 - $0) } + (8..<15).map { (n - 15 + $0, 8) }
        for positions in [firstPositions, secondPositions] {
            let read = positions.enumerated().reduce(0) { $0 | (code.isDark(row: $1.element.0, column: $1.element.1) ? 1 << $1.offset : 0) }
            #expect(read == expected)
        }
    }

    @Test func symbolCarriesItsVersionInformation() throws {
        let code = try QRCode(bytes: [UInt8](repeating: 0x41, count: 200))
        #expect(code.version.number == 10)
        let expected = QRMatrixBuilder.versionInformationBits(code.version)
        let n = code.size
        var bottomLeft = 0, topRight = 0
        for i in 0..<18 {
            // Bit i sits at row n−11+i%3, column i/3 (bottom left) and transposed (top right).
            if code.isDark(row: n - 11 + i % 3, column: i / 3) { bottomLeft |= 1 << i }
            if code.isDark(row: i / 3, column: n - 11 + i % 3) { topRight |= 1 << i }
        }
        #expect(bottomLeft == expected)
        #expect(topRight == expected)
    }

    private func binary(_ value: Int, width: Int) -> String {
        let digits = String(value, radix: 2)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
