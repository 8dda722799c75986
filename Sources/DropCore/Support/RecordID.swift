/// The id Drop gives a new row: a random (version 4) UUID in lowercase, as
/// `UUID().uuidString.lowercased()` spells it.
///
/// Drawn from the system's generator (`getrandom(2)`, one system call for two words). Foundation's
/// `UUID()` on Linux opens, reads and closes `/dev/urandom` for every id, and a transfer makes
/// about ten of them (bench/README.md, "Ids without opening a file").
public enum RecordID {
    public static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        return make(using: &generator)
    }

    public static func make(using generator: inout some RandomNumberGenerator) -> String {
        // RFC 9562 §5.4: version 4 in the high nibble of byte 6, variant 0b10 in the top bits of byte 8.
        let high = (generator.next() as UInt64) & 0xFFFF_FFFF_FFFF_0FFF | 0x0000_0000_0000_4000
        let low = (generator.next() as UInt64) & 0x3FFF_FFFF_FFFF_FFFF | 0x8000_0000_0000_0000
        return String(unsafeUninitializedCapacity: 36) { buffer in
            var index = 0
            func write(_ word: UInt64, nibbles: ClosedRange<Int>) {
                for nibble in nibbles.reversed() {
                    // Dashes after the 8th, 12th, 16th and 20th digit.
                    if index == 8 || index == 13 || index == 18 || index == 23 {
                        buffer[index] = UInt8(ascii: "-")
                        index += 1
                    }
                    buffer[index] = Hex.digits[Int((word >> (UInt64(nibble) * 4)) & 0xF)]
                    index += 1
                }
            }
            write(high, nibbles: 0...15)
            write(low, nibbles: 0...15)
            return index
        }
    }
}
