import Foundation
import DropTestTools
import Testing
@testable import DropCore

/// End to end: our symbols, rasterised at 4 px per module, must decode with an independent reader
/// (zxing-cpp) to the exact payload, and the reader must see the version, level and mask we chose.
/// Skips without python3 + zxingcpp + numpy unless DROP_REQUIRE_QR_DECODER=1.
@Suite("QR decode round trip (zxing-cpp)")
struct QRDecodeRoundTripTests {
    static var payloads: [String] {
        var result = [
            "a", "0", "https://drop.no", "https://drop.no/pay/ABC123",
            "https://drop.no/pay/ABC123?amount=12345&ref=Faktura%201001&exp=1790000000&sig=3q2-7wAAAAAAAA",
            "Blåbærsyltetøy", "ÆØÅ æøå", "Betal 49,00 kr til Kaffebrenneriet Ås", "Grüße aus Tromsø 💸",
            "😀", "é", "Ååå", "https://drop.no/pay/Ø", "\u{0}\u{1}binary-ish",
        ]
        // Signed merchant links with varying amounts and references, as the app makes them.
        for i in 0..<18 {
            let amount = (i * 7919) % 1_000_000 + 1
            let signature = String(repeating: "abcDEF0123456789_-", count: i % 5 + 1).prefix(20 + i * 3)
            result.append("https://drop.no/pay/M\(1000 + i)?amount=\(amount)&ref=Faktura%20\(1000 + i)&exp=\(1_790_000_000 + i)&sig=\(signature)")
        }
        // Exact byte lengths from 1 to 300, mixing ASCII and æøå, landing on and around version boundaries.
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzæøåÆØÅ0123456789 -/?&=%")
        for length in [1, 2, 7, 11, 14, 15, 17, 26, 27, 42, 43, 62, 84, 85, 106, 122, 152, 180, 181, 213, 214, 251, 287, 300] {
            var text = ""
            var index = UInt64(length)
            while text.utf8.count < length {
                let character = alphabet[Int(index % UInt64(alphabet.count))]
                index = index &* 31 &+ 7
                if text.utf8.count + String(character).utf8.count > length { text.append("x") } else { text.append(character) }
            }
            result.append(text)
        }
        return result
    }

    @Test(.enabled(if: QRDecoderBridge.shouldRun, "needs python3 with zxingcpp and numpy"))
    func payloadsRoundTripAtMAndQ() throws {
        try #require(QRDecoderBridge.isAvailable, "DROP_REQUIRE_QR_DECODER=1 but python3 with zxingcpp/numpy is not available")
        let payloads = Self.payloads
        #expect(payloads.count >= 50)
        var codes: [QRCode] = []
        for level in [QRErrorCorrectionLevel.medium, .quartile] {
            for payload in payloads { codes.append(try QRCode(text: payload, errorCorrectionLevel: level)) }
        }
        #expect(Set(codes.map(\.version.number)).count >= 10, "covers many versions")
        #expect(Set(codes.map(\.mask)).count >= 6, "covers most masks")
        let decoded = try QRDecoderBridge.decode(codes)
        for (index, (code, result)) in zip(codes, decoded).enumerated() {
            let payload = payloads[index % payloads.count]
            check(result, against: code, payload: payload)
        }
    }

    /// Every mask, both ends of the version range, and L and H.
    @Test(.enabled(if: QRDecoderBridge.shouldRun, "needs python3 with zxingcpp and numpy"))
    func everyMaskLevelAndTheLargestSymbols() throws {
        try #require(QRDecoderBridge.isAvailable, "DROP_REQUIRE_QR_DECODER=1 but python3 with zxingcpp/numpy is not available")
        var cases: [(QRCode, String)] = []
        let url = "https://drop.no/pay/ABC123?amount=12345"
        for mask in QRMask.all {
            cases.append((try QRCode(bytes: Array(url.utf8), mask: mask), url))
        }
        for level in QRErrorCorrectionLevel.allCases {
            let text = String(repeating: "Drop æøå 0123456789 ", count: 200)
            let maximum = QRVersion.maximum.byteCapacity(level)
            // Trim to whole characters at most `maximum` bytes long, then pad with ASCII to exactly fill version 40.
            var fitted = ""
            for character in text where fitted.utf8.count + String(character).utf8.count <= maximum { fitted.append(character) }
            fitted += String(repeating: "!", count: maximum - fitted.utf8.count)
            let code = try QRCode(text: fitted, errorCorrectionLevel: level)
            #expect(code.version == .maximum)
            cases.append((code, fitted))
            cases.append((try QRCode(text: "L/H \(level)", errorCorrectionLevel: level), "L/H \(level)"))
        }
        let decoded = try QRDecoderBridge.decode(cases.map(\.0))
        for ((code, payload), result) in zip(cases, decoded) { check(result, against: code, payload: payload) }
    }

    private func check(_ result: QRDecoderBridge.Decoded, against code: QRCode, payload: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let label = "\(code.version)-\(code.errorCorrectionLevel) \(code.mask): \(payload.prefix(60))"
        #expect(result.found, "not decoded: \(label) \(result.error ?? "")", sourceLocation: sourceLocation)
        guard result.found else { return }
        #expect(result.bytes == Array(payload.utf8).map { String(format: "%02x", $0) }.joined(), "bytes: \(label)", sourceLocation: sourceLocation)
        #expect(result.text == payload, "text: \(label)", sourceLocation: sourceLocation)
        #expect(result.version == code.version.number, "version: \(label)", sourceLocation: sourceLocation)
        #expect(result.ecLevel == code.errorCorrectionLevel.rawValue, "level: \(label)", sourceLocation: sourceLocation)
        #expect(result.mask == code.mask.pattern, "mask: \(label)", sourceLocation: sourceLocation)
    }
}
