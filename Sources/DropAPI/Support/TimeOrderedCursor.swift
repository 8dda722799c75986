import DropCore
import DropStore
import Foundation

/// Opaque position in a newest-first list: the last item's time and id. The list compares with
/// the time the database holds for that id (`NewestFirst`), so paging is exact; the time here,
/// kept bit for bit, only matters when that row was deleted meanwhile.
struct TimeOrderedCursor: Sendable {
    let createdAt: Date
    let id: String

    init(createdAt: Date, id: String) {
        self.createdAt = createdAt
        self.id = id
    }

    init(decoding text: String) throws {
        let parts = (Data(base64URLEncoded: text).map { String(decoding: $0, as: UTF8.self) } ?? "").split(separator: "|")
        let createdAt: Date, id: String
        if parts.count == 3, parts[0] == "2", let bits = UInt64(parts[1], radix: 16) {
            createdAt = Date(timeIntervalSinceReferenceDate: Double(bitPattern: bits))
            id = String(parts[2])
        } else if parts.count == 2, let millis = Int64(parts[0]) {
            // Cursors given out before the exact ones: still accepted, the row's id decides.
            createdAt = Date(timeIntervalSince1970: Double(millis) / 1000)
            id = String(parts[1])
        } else {
            throw Self.invalid
        }
        // The time is bound as a query parameter: a NaN, infinite or far-off one in a forged cursor
        // is refused (`AcceptedTimes`). Ids are ours (UUIDs): a control character (PostgreSQL
        // refuses NUL in text) means a forged cursor.
        guard AcceptedTimes.contains(createdAt), !id.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw Self.invalid
        }
        self.createdAt = createdAt
        self.id = id
    }

    private static var invalid: AppError {
        AppError.validation("The cursor is not one this list gave out.", details: [ErrorDetail(field: "cursor", issue: "invalid")])
    }

    /// The position a repository pages after.
    var position: PagePosition { PagePosition(createdAt: createdAt, id: id) }

    var encoded: String {
        Data("2|\(String(createdAt.timeIntervalSinceReferenceDate.bitPattern, radix: 16))|\(id)".utf8).base64URLEncoded()
    }
}
