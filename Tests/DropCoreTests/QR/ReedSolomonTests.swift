import Testing
@testable import DropCore

@Suite("QR Reed–Solomon")
struct ReedSolomonTests {
    @Test func fieldTablesFollowThePrimitivePolynomial() {
        #expect(GF256.exp[0] == 1)
        #expect(GF256.exp[8] == 0x1D, "α⁸ = x⁴ + x³ + x² + 1 modulo 0x11D")
        #expect(GF256.exp[255] == 1, "α has order 255")
        #expect(Set(GF256.exp[0..<255]).count == 255, "α generates every non-zero element")
        #expect(GF256.multiply(0x80, 2) == 0x1D)
        #expect(GF256.multiply(0, 0x53) == 0)
        for a in UInt8(1)...255 {
            #expect(GF256.multiply(a, GF256.exp[255 - GF256.log[Int(a)]]) == 1, "inverse of \(a)")
        }
    }

    /// ISO/IEC 18004 Annex A / Thonky's generator polynomial table.
    @Test func generatorPolynomialsMatchTheStandard() {
        #expect(ReedSolomon.generator(degree: 7) == [1, 127, 122, 154, 164, 11, 68, 117])
        #expect(ReedSolomon.generator(degree: 10) == [1, 216, 194, 159, 111, 199, 94, 95, 113, 157, 193])
        // The same degree-10 generator in exponent form: α⁰x¹⁰ + α²⁵¹x⁹ + α⁶⁷x⁸ + …
        let exponents = ReedSolomon.generator(degree: 10).map { GF256.log[Int($0)] }
        #expect(exponents == [0, 251, 67, 46, 61, 118, 70, 64, 94, 32, 45])
    }

    @Test(arguments: [7, 10, 13, 15, 16, 17, 18, 20, 22, 24, 26, 28, 30])
    func generatorHasRootsAlphaZeroThroughDegreeMinusOne(degree: Int) {
        let generator = ReedSolomon.generator(degree: degree)
        #expect(generator.count == degree + 1)
        for i in 0..<degree {
            #expect(evaluate(generator, at: GF256.exp[i]) == 0, "α^\(i) is a root")
        }
        #expect(evaluate(generator, at: GF256.exp[degree]) != 0)
    }

    /// Thonky's "HELLO WORLD" 1-M example (alphanumeric mode, but RS only sees codewords).
    @Test func helloWorldOneM() {
        let data: [UInt8] = [32, 91, 11, 120, 209, 114, 220, 77, 67, 64, 236, 17, 236, 17, 236, 17]
        #expect(ReedSolomon.errorCorrectionCodewords(for: data, degree: 10) == [196, 35, 39, 119, 235, 215, 231, 226, 93, 23])
    }

    /// Byte mode: "hello" at 1-M. Data codewords derived by hand (0100 | 00000101 | bytes | 0000 | pads);
    /// EC from an independent implementation (Python reedsolo, prim 0x11D, fcr 0).
    @Test func byteModeHelloOneM() throws {
        let version = try #require(QRVersion(1))
        let data = QRDataEncoder.dataCodewords(Array("hello".utf8), version: version, level: .medium)
        #expect(data == [0x40, 0x56, 0x86, 0x56, 0xC6, 0xC6, 0xF0, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC])
        #expect(ReedSolomon.errorCorrectionCodewords(for: data, degree: 10) == [22, 79, 223, 212, 140, 17, 209, 92, 47, 183])
        // One block at 1-M, so the final sequence is data then EC.
        #expect(QRDataEncoder.finalCodewords(data, version: version, level: .medium) == data + [22, 79, 223, 212, 140, 17, 209, 92, 47, 183])
    }

    @Test func thirtyCodewordsOfAFixedSequence() {
        let data = (0..<25).map { UInt8($0 * 10) }
        #expect(ReedSolomon.errorCorrectionCodewords(for: data, degree: 30) == [
            126, 91, 68, 51, 157, 88, 65, 60, 106, 225, 127, 255, 146, 38, 89, 191, 250, 226, 123, 154,
            131, 220, 41, 145, 56, 3, 48, 2, 128, 116,
        ])
    }

    /// Every block (data + EC) is a multiple of the generator, so it vanishes at the generator's roots.
    @Test func codewordBlocksAreDivisibleByTheGenerator() {
        var seed: UInt32 = 12345
        for degree in [10, 18, 26, 30] {
            let data = (0..<100).map { _ -> UInt8 in
                seed = seed &* 1_103_515_245 &+ 12345
                return UInt8(truncatingIfNeeded: seed >> 16)
            }
            let block = data + ReedSolomon.errorCorrectionCodewords(for: data, degree: degree)
            for i in 0..<degree { #expect(evaluate(block, at: GF256.exp[i]) == 0) }
        }
    }

    /// Horner's rule, highest coefficient first.
    private func evaluate(_ poly: [UInt8], at x: UInt8) -> UInt8 {
        poly.reduce(0) { GF256.multiply($0, x) ^ $1 }
    }
}
