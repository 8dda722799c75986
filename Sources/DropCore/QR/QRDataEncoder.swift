/// Turns a payload into the final codeword sequence of a symbol: byte-mode bit stream, padding,
/// Reed–Solomon per block, interleaving (ISO/IEC 18004 §7.4–7.6).
enum QRDataEncoder {
    /// The byte-mode indicator (Table 2).
    private static let byteModeIndicator = 0b0100
    /// Pad codewords alternate 11101100, 00010001 (§7.4.10).
    private static let padCodewords: [UInt8] = [0xEC, 0x11]

    /// The smallest version whose byte capacity at `level` holds `byteCount` bytes.
    static func smallestVersion(forByteCount byteCount: Int, level: QRErrorCorrectionLevel) -> QRVersion? {
        QRVersion.all.first { $0.byteCapacity(level) >= byteCount }
    }

    /// The data codewords (before error correction): mode, count, bytes, terminator, padding.
    static func dataCodewords(_ bytes: [UInt8], version: QRVersion, level: QRErrorCorrectionLevel) -> [UInt8] {
        let capacityBits = version.dataCodewords(level) * 8
        var bits = QRBitBuffer()
        bits.append(byteModeIndicator, count: 4)
        bits.append(bytes.count, count: version.characterCountBits)
        for byte in bytes { bits.append(Int(byte), count: 8) }
        precondition(bits.count <= capacityBits, "payload exceeds the version chosen for it")
        // Terminator of up to four zero bits, shortened if the symbol is already (nearly) full.
        bits.append(0, count: min(4, capacityBits - bits.count))
        bits.append(0, count: (8 - bits.count % 8) % 8)
        var codewords = bits.bytes
        var padIndex = 0
        while codewords.count * 8 < capacityBits {
            codewords.append(padCodewords[padIndex % 2])
            padIndex += 1
        }
        return codewords
    }

    /// Splits data into blocks, adds each block's EC codewords, and interleaves: first codeword of
    /// every block, then the second, …, so a burst of damage spreads over many blocks.
    static func finalCodewords(_ data: [UInt8], version: QRVersion, level: QRErrorCorrectionLevel) -> [UInt8] {
        let lengths = version.dataBlockLengths(level)
        precondition(data.count == lengths.reduce(0, +), "data codewords do not fill the blocks")
        let generator = ReedSolomon.generator(degree: version.errorCorrectionCodewordsPerBlock(level))

        var dataBlocks: [[UInt8]] = []
        var start = 0
        for length in lengths {
            dataBlocks.append(Array(data[start..<start + length]))
            start += length
        }
        let ecBlocks = dataBlocks.map { ReedSolomon.errorCorrectionCodewords(for: $0, generator: generator) }

        var result: [UInt8] = []
        result.reserveCapacity(version.totalCodewords)
        for index in 0..<(lengths.max() ?? 0) {
            for block in dataBlocks where index < block.count { result.append(block[index]) }
        }
        for index in 0..<(generator.count - 1) {
            for block in ecBlocks { result.append(block[index]) }
        }
        assert(result.count == version.totalCodewords)
        return result
    }
}

/// A growable big-endian bit string.
struct QRBitBuffer {
    private(set) var bytes: [UInt8] = []
    private(set) var count = 0

    /// Appends the low `count` bits of `value`, most significant first.
    mutating func append(_ value: Int, count bitCount: Int) {
        precondition(bitCount >= 0 && bitCount <= 31 && value >> bitCount == 0, "value does not fit in \(bitCount) bits")
        for shift in stride(from: bitCount - 1, through: 0, by: -1) {
            if count % 8 == 0 { bytes.append(0) }
            if (value >> shift) & 1 == 1 { bytes[bytes.count - 1] |= 0x80 >> UInt8(count % 8) }
            count += 1
        }
    }
}
