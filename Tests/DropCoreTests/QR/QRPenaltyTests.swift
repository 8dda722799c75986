import Testing
@testable import DropCore

@Suite("QR mask penalty rules")
struct QRPenaltyTests {
    @Test func runsOfFiveOrMore() {
        #expect(QRPenalty.runPenalty(line("1111")) == 0)
        #expect(QRPenalty.runPenalty(line("11111")) == 3)
        #expect(QRPenalty.runPenalty(line("1111111")) == 5)
        #expect(QRPenalty.runPenalty(line("11111000000")) == 3 + 4)
        #expect(QRPenalty.runPenalty(line("1010101010")) == 0)
    }

    @Test func finderLikePatterns() {
        #expect(QRPenalty.finderLikePenalty(line("10111010000")) == 40)
        #expect(QRPenalty.finderLikePenalty(line("00001011101")) == 40)
        #expect(QRPenalty.finderLikePenalty(line("000010111010000")) == 40, "counted once with light on both sides")
        #expect(QRPenalty.finderLikePenalty(line("1011101")) == 40, "beyond the edge is quiet zone, hence light")
        #expect(QRPenalty.finderLikePenalty(line("110001011101000110")) == 0, "only three light modules each side")
        #expect(QRPenalty.finderLikePenalty(line("0000101110100001011101")) == 80)
        #expect(QRPenalty.finderLikePenalty(line("10111110000")) == 0, "1:1:5 is not 1:1:3:1:1")
    }

    /// A finder pattern on its own, scored by hand:
    /// N1: rows 0 and 6 are 7-dark runs (3 + 2 each), rows 1 and 5 hold a 5-light run (3 each): 16, twice
    /// (columns alike) = 32. N2: the 3×3 dark centre holds four 2×2 blocks = 12. N3: rows and columns
    /// 2–4 are 1011101 with the edge beyond = 6 × 40 = 240. N4: 33 of 49 dark = 67 %, 3 full steps = 30.
    @Test func knownMatrix() {
        let finder = QRModuleGrid(rows: ["1111111", "1000001", "1011101", "1011101", "1011101", "1000001", "1111111"])
        #expect(QRPenalty.sameColorRuns(finder) == 32)
        #expect(QRPenalty.sameColorBlocks(finder) == 12)
        #expect(QRPenalty.finderLikePatterns(finder) == 240)
        #expect(QRPenalty.darkProportion(finder) == 30)
        #expect(QRPenalty.score(finder) == 314)
    }

    @Test func uniformAndCheckerboard() {
        let light = QRModuleGrid(size: 5)
        // 10 lines of five = 30; 16 blocks = 48; no dark at all = 10 steps = 100.
        #expect(QRPenalty.score(light) == 30 + 48 + 100)

        let checkerboard = QRModuleGrid(rows: (0..<6).map { $0 % 2 == 0 ? "101010" : "010101" })
        #expect(QRPenalty.score(checkerboard) == 0)
    }

    @Test func darkProportionSteps() {
        // 10×10: 50 dark → 0; 55 → exactly one step of 5 % → 10; 54 → under one step → 0; 30 → 4 steps → 40.
        for (dark, expected) in [(50, 0), (54, 0), (55, 10), (45, 10), (46, 0), (30, 40), (100, 100)] {
            let rows = (0..<10).map { row in String((0..<10).map { row * 10 + $0 < dark ? "1" : "0" }) }
            #expect(QRPenalty.darkProportion(QRModuleGrid(rows: rows)) == expected, "\(dark) dark")
        }
    }

    @Test func chosenMaskHasTheLowestPenalty() throws {
        for payload in ["https://drop.no/pay/ABC123", "Kaffebrenneriet AS — 49,00 kr", String(repeating: "9", count: 120)] {
            let chosen = try QRCode(text: payload)
            let penalties = try QRMask.all.map { try QRPenalty.score(QRCode(bytes: Array(payload.utf8), mask: $0).grid) }
            let lowest = try #require(penalties.min())
            #expect(QRPenalty.score(chosen.grid) == lowest)
            #expect(chosen.mask.pattern == penalties.firstIndex(of: lowest), "ties go to the lower mask")
        }
    }

    @Test func masksFollowTheirFormulas() {
        // Spot checks against Table 10 with i = row, j = column.
        let mask = { (n: Int) in QRMask.all[n] }
        #expect(mask(0).inverts(row: 0, column: 0) && !mask(0).inverts(row: 0, column: 1))
        #expect(mask(1).inverts(row: 2, column: 1) && !mask(1).inverts(row: 1, column: 2))
        #expect(mask(2).inverts(row: 1, column: 3) && !mask(2).inverts(row: 3, column: 1))
        #expect(mask(3).inverts(row: 1, column: 2) && !mask(3).inverts(row: 1, column: 1))
        #expect(mask(4).inverts(row: 1, column: 2) && !mask(4).inverts(row: 2, column: 0))
        #expect(mask(5).inverts(row: 0, column: 5) && !mask(5).inverts(row: 1, column: 1))
        #expect(mask(6).inverts(row: 1, column: 1) && !mask(6).inverts(row: 1, column: 3))
        #expect(mask(7).inverts(row: 0, column: 0) && !mask(7).inverts(row: 0, column: 1))
        #expect(QRMask(8) == nil)
        #expect(QRMask(-1) == nil)
    }

    private func line(_ text: String) -> [Bool] { text.map { $0 == "1" } }
}
