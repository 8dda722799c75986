@testable import DropAPI
import Foundation
import Testing

/// Forged cursors are refused before their time reaches a query: PostgresNIO turns a bound `Date`
/// into Int64 microseconds with a trapping conversion, so a NaN, infinite or far-off time crashed
/// the server on PostgreSQL. Inputs from Tests/Fuzz/Corpus/cursor/.
@Suite("Cursor decoding")
struct TimeOrderedCursorTests {
    static func cursor(_ text: String) -> String { Data(text.utf8).base64URLEncoded() }

    @Test func cursorWithNaNTimeIsRefused() {
        #expect(throws: AppError.self) { try TimeOrderedCursor(decoding: Self.cursor("2|7ff8000000000000|id-1")) }
    }

    @Test func cursorWithInfiniteTimeIsRefused() {
        #expect(throws: AppError.self) { try TimeOrderedCursor(decoding: Self.cursor("2|7ff0000000000000|id-1")) }
        #expect(throws: AppError.self) { try TimeOrderedCursor(decoding: Self.cursor("2|fff0000000000000|id-1")) }
    }

    @Test func legacyCursorWithHugeMillisIsRefused() {
        #expect(throws: AppError.self) { try TimeOrderedCursor(decoding: Self.cursor("9223372036854775807|x")) }
        #expect(throws: AppError.self) { try TimeOrderedCursor(decoding: Self.cursor("-1|x")) }
    }

    @Test func cursorWithNULInIdIsRefused() {
        #expect(throws: AppError.self) { try TimeOrderedCursor(decoding: Self.cursor("2|3ff0000000000000|a\u{0}b")) }
    }

    @Test func cursorsDropGivesOutStillRoundTrip() throws {
        let given = TimeOrderedCursor(createdAt: Date(timeIntervalSinceReferenceDate: 786_000_000.123456), id: "0b7e4a4e-8a65-4c1d-9a55-3f1f1c2f9d10")
        let read = try TimeOrderedCursor(decoding: given.encoded)
        #expect(read.createdAt == given.createdAt && read.id == given.id)
        let legacy = try TimeOrderedCursor(decoding: Self.cursor("1764676800000|0b7e4a4e-8a65-4c1d-9a55-3f1f1c2f9d10"))
        #expect(legacy.createdAt == Date(timeIntervalSince1970: 1_764_676_800))
    }
}
