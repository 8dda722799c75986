import Testing
@testable import DropCore

@Suite("QR capacity and version choice")
struct QRCapacityTests {
    struct Boundary: Sendable, CustomTestStringConvertible {
        let level: QRErrorCorrectionLevel
        let version: Int
        let maximumBytes: Int
        var testDescription: String { "\(version)-\(level): \(maximumBytes) bytes" }
    }

    /// Byte-mode capacities from ISO/IEC 18004 Table 7.
    static let boundaries: [Boundary] = [
        Boundary(level: .medium, version: 1, maximumBytes: 14),
        Boundary(level: .medium, version: 2, maximumBytes: 26),
        Boundary(level: .medium, version: 9, maximumBytes: 180),
        Boundary(level: .medium, version: 10, maximumBytes: 213),
        Boundary(level: .medium, version: 40, maximumBytes: 2331),
        Boundary(level: .low, version: 1, maximumBytes: 17),
        Boundary(level: .low, version: 40, maximumBytes: 2953),
        Boundary(level: .quartile, version: 1, maximumBytes: 11),
        Boundary(level: .quartile, version: 5, maximumBytes: 60),
        Boundary(level: .quartile, version: 40, maximumBytes: 1663),
        Boundary(level: .high, version: 1, maximumBytes: 7),
        Boundary(level: .high, version: 5, maximumBytes: 44),
        Boundary(level: .high, version: 40, maximumBytes: 1273),
    ]

    @Test(arguments: boundaries)
    func largestPayloadPicksTheVersionAndOneMorePicksTheNext(boundary: Boundary) throws {
        let version = try #require(QRVersion(boundary.version))
        #expect(version.byteCapacity(boundary.level) == boundary.maximumBytes)

        let fits = try QRCode(bytes: [UInt8](repeating: 0x61, count: boundary.maximumBytes), errorCorrectionLevel: boundary.level)
        #expect(fits.version == version)
        #expect(fits.size == 17 + 4 * boundary.version)
        #expect(fits.errorCorrectionLevel == boundary.level)

        let oneMore = [UInt8](repeating: 0x61, count: boundary.maximumBytes + 1)
        if boundary.version == 40 {
            #expect(throws: QRCodeError.payloadTooLong(byteCount: boundary.maximumBytes + 1, maximum: boundary.maximumBytes, level: boundary.level)) {
                try QRCode(bytes: oneMore, errorCorrectionLevel: boundary.level)
            }
        } else {
            #expect(try QRCode(bytes: oneMore, errorCorrectionLevel: boundary.level).version.number == boundary.version + 1)
        }
    }

    @Test func defaultLevelIsMedium() throws {
        #expect(try QRCode(text: "https://drop.no").errorCorrectionLevel == .medium)
    }

    @Test func emptyPayloadIsVersionOne() throws {
        #expect(try QRCode(bytes: []).version.number == 1)
    }

    @Test func textIsEncodedAsUTF8() throws {
        // 15 characters but 18 UTF-8 bytes: too many for 1-M.
        let text = "Blåbærsyltetøy!"
        #expect(text.utf8.count == 18)
        #expect(try QRCode(text: text).version.number == 2)
    }

    @Test func tooLongThrowsATypedError() {
        do {
            _ = try QRCode(text: String(repeating: "x", count: 5000))
            Issue.record("expected payloadTooLong")
        } catch {
            // `error` is statically a QRCodeError thanks to typed throws.
            #expect(error == .payloadTooLong(byteCount: 5000, maximum: 2331, level: .medium))
            #expect(error.description.contains("2331"))
        }
    }

    @Test func minimumVersionKeepsTheSizeStable() throws {
        let minimum = try #require(QRVersion(5))
        #expect(try QRCode(text: "short", minimumVersion: minimum).version == minimum)
        // A payload that needs more than the minimum still gets what it needs.
        #expect(try QRCode(bytes: [UInt8](repeating: 0, count: 200), minimumVersion: minimum).version.number == 10)
    }

    @Test func capacitiesGrowWithVersionAndShrinkWithLevel() {
        for version in QRVersion.all {
            let capacities = [QRErrorCorrectionLevel.low, .medium, .quartile, .high].map { version.byteCapacity($0) }
            #expect(capacities == capacities.sorted(by: >), "version \(version)")
            // The block structure adds up to the symbol's codewords.
            for level in QRErrorCorrectionLevel.allCases {
                let data = version.dataBlockLengths(level).reduce(0, +)
                #expect(data + version.blockCount(level) * version.errorCorrectionCodewordsPerBlock(level) == version.totalCodewords)
                #expect(Set(version.dataBlockLengths(level)).count <= 2)
            }
        }
        for (lower, higher) in zip(QRVersion.all, QRVersion.all.dropFirst()) {
            for level in QRErrorCorrectionLevel.allCases {
                #expect(lower.byteCapacity(level) < higher.byteCapacity(level))
            }
        }
        #expect(QRVersion(1)?.totalCodewords == 26)
        #expect(QRVersion(7)?.totalCodewords == 196)
        #expect(QRVersion(40)?.totalCodewords == 3706)
        #expect(QRVersion(0) == nil)
        #expect(QRVersion(41) == nil)
    }
}
