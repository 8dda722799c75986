import Testing
@testable import DropCore

@Suite("QR matrix layout")
struct QRMatrixTests {
    static let finder = ["1111111", "1000001", "1011101", "1011101", "1011101", "1000001", "1111111"]

    @Test(arguments: [1, 2, 6, 7, 14, 27, 40])
    func functionPatterns(versionNumber: Int) throws {
        let version = try #require(QRVersion(versionNumber))
        let grid = QRMatrixBuilder(version: version).masked(with: QRMask.all[3], level: .medium)
        let code = try QRCode(bytes: [UInt8](repeating: 0x5A, count: version.byteCapacity(.medium)), mask: QRMask.all[3])
        let n = version.size
        #expect(code.size == n)

        for sample in [grid, code.grid] {
            // Finders in three corners, each with a light separator on its inner sides.
            for (top, left) in [(0, 0), (0, n - 7), (n - 7, 0)] {
                for r in 0..<7 {
                    let row = String((0..<7).map { sample[top + r, left + $0] ? "1" : "0" })
                    #expect(row == Self.finder[r], "finder at (\(top), \(left)) row \(r)")
                }
            }
            for i in 0..<8 {
                #expect(!sample[7, i] && !sample[i, 7], "top-left separator")
                #expect(!sample[7, n - 1 - i] && !sample[i, n - 8], "top-right separator")
                #expect(!sample[n - 8, i] && !sample[n - 1 - i, 7], "bottom-left separator")
            }
            // Timing patterns alternate, dark on even indices, between the separators.
            for i in 8...(n - 9) {
                #expect(sample[6, i] == (i % 2 == 0), "horizontal timing at \(i)")
                #expect(sample[i, 6] == (i % 2 == 0), "vertical timing at \(i)")
            }
            // The dark module at (4V + 9, 8).
            #expect(sample[4 * versionNumber + 9, 8])
            // Alignment patterns: dark centre, light ring, dark ring.
            let centers = version.alignmentPatternCenters
            for row in centers {
                for column in centers where !(row == 6 && column == 6) && !(row == 6 && column == n - 7) && !(row == n - 7 && column == 6) {
                    for dy in -2...2 {
                        for dx in -2...2 {
                            #expect(sample[row + dy, column + dx] == (max(abs(dx), abs(dy)) != 1), "alignment at (\(row), \(column))")
                        }
                    }
                }
            }
        }
    }

    /// ISO/IEC 18004 Annex E, Table E.1.
    @Test func alignmentPatternPositions() {
        let expected: [Int: [Int]] = [
            1: [], 2: [6, 18], 6: [6, 34], 7: [6, 22, 38], 14: [6, 26, 46, 66], 15: [6, 26, 48, 70],
            21: [6, 28, 50, 72, 94], 32: [6, 34, 60, 86, 112, 138], 36: [6, 24, 50, 76, 102, 128, 154],
            39: [6, 26, 54, 82, 110, 138, 166], 40: [6, 30, 58, 86, 114, 142, 170],
        ]
        for (number, centers) in expected {
            #expect(QRVersion(number)?.alignmentPatternCenters == centers, "version \(number)")
        }
    }

    /// The number of modules placement can use matches the closed form the capacity tables rely on.
    @Test func dataModuleCountMatchesRawDataModules() {
        for version in QRVersion.all {
            let builder = QRMatrixBuilder(version: version)
            let free = builder.isFunction.modules.lazy.filter { !$0 }.count
            #expect(free == version.rawDataModules, "version \(version)")
        }
    }

    /// Reading the modules back in placement order, unmasked, gives the codewords written.
    @Test(arguments: [QRErrorCorrectionLevel.medium, .quartile])
    func placementReadsBack(level: QRErrorCorrectionLevel) throws {
        let payload = Array("https://drop.no/pay/ABC123?amount=12345&ref=Faktura%201001".utf8)
        let code = try QRCode(bytes: payload, errorCorrectionLevel: level)
        let data = QRDataEncoder.dataCodewords(payload, version: code.version, level: level)
        let codewords = QRDataEncoder.finalCodewords(data, version: code.version, level: level)
        let function = QRMatrixBuilder(version: code.version).isFunction
        let n = code.size
        var bits: [Bool] = []
        var right = n - 1
        while right >= 1 {
            if right == 6 { right = 5 }
            let upward = ((right + 1) & 2) == 0
            for vertical in 0..<n {
                let row = upward ? n - 1 - vertical : vertical
                for column in [right, right - 1] where !function[row, column] {
                    bits.append(code.isDark(row: row, column: column) != code.mask.inverts(row: row, column: column))
                }
            }
            right -= 2
        }
        let bytes = stride(from: 0, to: codewords.count * 8, by: 8).map { start in
            (0..<8).reduce(UInt8(0)) { $0 << 1 | (bits[start + $1] ? 1 : 0) }
        }
        #expect(bytes == codewords)
        #expect(bits.dropFirst(codewords.count * 8).allSatisfy { !$0 }, "remainder bits are zero")
    }

    @Test func outsideTheSymbolIsLight() throws {
        let code = try QRCode(text: "x")
        #expect(!code.isDark(row: -1, column: 0))
        #expect(!code.isDark(row: 0, column: code.size))
        #expect(code.isDark(row: 0, column: 0))
    }

    @Test func interleavingTakesShortBlocksFirst() throws {
        // 5-Q: two blocks of 15 data codewords, then two of 16 (Table 9).
        let version = try #require(QRVersion(5))
        #expect(version.dataBlockLengths(.quartile) == [15, 15, 16, 16])
        #expect(version.errorCorrectionCodewordsPerBlock(.quartile) == 18)
        let data = (0..<62).map { UInt8($0) }
        let final = QRDataEncoder.finalCodewords(data, version: version, level: .quartile)
        #expect(final.count == 134)
        #expect(Array(final.prefix(8)) == [0, 15, 30, 46, 1, 16, 31, 47])
        // After 15 rounds only the long blocks have a sixteenth codeword.
        #expect(Array(final[60..<62]) == [45, 61])
        #expect(Array(final[62..<66]) == [
            ReedSolomon.errorCorrectionCodewords(for: Array(data[0..<15]), degree: 18)[0],
            ReedSolomon.errorCorrectionCodewords(for: Array(data[15..<30]), degree: 18)[0],
            ReedSolomon.errorCorrectionCodewords(for: Array(data[30..<46]), degree: 18)[0],
            ReedSolomon.errorCorrectionCodewords(for: Array(data[46..<62]), degree: 18)[0],
        ])
    }
}
