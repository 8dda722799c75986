import DropCore
import Testing

@Suite("Hex: the one lowercase encoder, and SHA-256 digests in it")
struct HexTests {
    @Test func bytesAreTwoLowercaseDigitsEach() {
        #expect(Hex.string(of: [0x00, 0x0F, 0xA0, 0xFF]) == "000fa0ff")
        #expect(Hex.string(of: [UInt8]()) == "")
    }

    /// FIPS 180-2's test vectors.
    @Test func sha256MatchesTheStandardsVectors() {
        #expect(Hex.sha256(of: "abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Hex.sha256(of: "") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(Hex.sha256(of: Array("abc".utf8)) == Hex.sha256(of: "abc"))
    }
}
