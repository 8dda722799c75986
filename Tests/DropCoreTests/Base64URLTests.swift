import DropCore
import DropTestTools
import Foundation
import Testing

@Suite("base64url")
struct Base64URLTests {
    /// Every length up to three blocks, bytes chosen so each of `+`, `/` and padding appears.
    @Test func encodesAsRFC4648SectionFiveWithoutPaddingAndDecodesBack() {
        var generator = SeededGenerator(seed: 4648)
        for length in 0...48 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let encoded = Base64URL.encode(bytes)
            let expected = Data(bytes).base64EncodedString()
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
            #expect(encoded == expected)
            #expect(!encoded.contains("=") && !encoded.contains("+") && !encoded.contains("/"))
            #expect(Base64URL.decode(encoded) == bytes)
        }
        #expect(Base64URL.encode([0xfb, 0xff, 0xbf]) == "-_-_")
        #expect(Base64URL.encode([0xff]) == "_w")
    }
}
