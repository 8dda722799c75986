import DropCore
import Foundation
import Testing

@Suite("RecordID: a new row's id, a random UUID in lowercase")
struct RecordIDTests {
    /// Hands out fixed words, so the layout of the bits can be checked by hand.
    struct FixedWords: RandomNumberGenerator {
        var words: [UInt64]
        mutating func next() -> UInt64 { words.removeFirst() }
    }

    @Test func theWordsAreWrittenInOrderWithVersionFourAndTheRFCVariant() {
        var words = FixedWords(words: [0x0123_4567_89AB_CDEF, 0xFEDC_BA98_7654_3210])
        // Byte 6's high nibble (c → 4) is the version; byte 8's top two bits (11 → 10) the variant.
        #expect(RecordID.make(using: &words) == "01234567-89ab-4def-bedc-ba9876543210")
        var ones = FixedWords(words: [.max, .max])
        #expect(RecordID.make(using: &ones) == "ffffffff-ffff-4fff-bfff-ffffffffffff")
        var zeros = FixedWords(words: [0, 0])
        #expect(RecordID.make(using: &zeros) == "00000000-0000-4000-8000-000000000000")
    }

    /// The same text Foundation's own UUID gives for the same bits, so ids stored before and after
    /// the change look alike and parse alike.
    @Test func foundationReadsItAsTheSameVersionFourUUID() throws {
        for _ in 0..<1_000 {
            let id = RecordID.make()
            let parsed = try #require(UUID(uuidString: id))
            #expect(parsed.uuidString.lowercased() == id)
            let bytes = withUnsafeBytes(of: parsed.uuid) { Array($0) }
            #expect(bytes[6] >> 4 == 4)
            #expect(bytes[8] >> 6 == 0b10)
        }
    }

    @Test func tenThousandAreTenThousandDifferentIds() {
        let ids = Set((0..<10_000).map { _ in RecordID.make() })
        #expect(ids.count == 10_000)
    }
}
