/// Arithmetic in GF(2⁸) as QR codes use it: bytes are polynomials over GF(2) reduced modulo the
/// primitive polynomial x⁸ + x⁴ + x³ + x² + 1 (0x11D), with α = 2 as generator (ISO/IEC 18004 §7.5.2).
enum GF256 {
    /// exp[i] = αⁱ, doubled in length so a product's log sum (< 510) needs no modulo.
    static let exp: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 512)
        var value = 1
        for i in 0..<255 {
            table[i] = UInt8(value)
            value <<= 1
            if value & 0x100 != 0 { value ^= 0x11D }
        }
        for i in 255..<512 { table[i] = table[i - 255] }
        return table
    }()

    /// log[αⁱ] = i; log[0] is undefined and never read.
    static let log: [Int] = {
        var table = [Int](repeating: 0, count: 256)
        for i in 0..<255 { table[Int(exp[i])] = i }
        return table
    }()

    static func multiply(_ a: UInt8, _ b: UInt8) -> UInt8 {
        if a == 0 || b == 0 { return 0 }
        return exp[log[Int(a)] + log[Int(b)]]
    }
}

/// Reed–Solomon error correction codewords for one block (ISO/IEC 18004 §7.5.2, Annex A).
enum ReedSolomon {
    /// The generator polynomial (x − α⁰)(x − α¹)…(x − α^(degree−1)), coefficients highest power
    /// first, leading 1 included. Subtraction is XOR in GF(2⁸), so each factor is (x + αⁱ).
    static func generator(degree: Int) -> [UInt8] {
        precondition(degree >= 1 && degree <= 254, "RS degree out of range")
        var poly: [UInt8] = [1]
        for i in 0..<degree {
            let root = GF256.exp[i]
            var next = [UInt8](repeating: 0, count: poly.count + 1)
            for (j, coefficient) in poly.enumerated() {
                next[j] ^= coefficient                              // × x
                next[j + 1] ^= GF256.multiply(coefficient, root)    // × αⁱ
            }
            poly = next
        }
        return poly
    }

    /// The remainder of data(x)·x^degree divided by the generator: the EC codewords, appended
    /// after the data so that the whole block is divisible by the generator.
    static func errorCorrectionCodewords(for data: [UInt8], degree: Int) -> [UInt8] {
        errorCorrectionCodewords(for: data, generator: generator(degree: degree))
    }

    /// As above with the generator computed once by the caller, since every block of a symbol shares it.
    static func errorCorrectionCodewords(for data: [UInt8], generator: [UInt8]) -> [UInt8] {
        let degree = generator.count - 1
        var remainder = [UInt8](repeating: 0, count: degree)
        for byte in data {
            // Long division one data codeword at a time, shifting the remainder left.
            let factor = byte ^ remainder[0]
            remainder.removeFirst()
            remainder.append(0)
            if factor == 0 { continue }
            for j in 0..<degree {
                remainder[j] ^= GF256.multiply(generator[j + 1], factor)
            }
        }
        return remainder
    }
}
