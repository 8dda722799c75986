import Foundation

/// Opaque position in a newest-first list: the last item's time and id.
struct TimeOrderedCursor: Sendable {
    let createdAt: Date
    let id: String

    init(createdAt: Date, id: String) {
        self.createdAt = createdAt
        self.id = id
    }

    init(decoding text: String) throws {
        let parts = (Data(base64URLEncoded: text).map { String(decoding: $0, as: UTF8.self) } ?? "").split(separator: "|")
        guard parts.count == 2, let millis = Int64(parts[0]) else {
            throw AppError.validation("The cursor is not one this list gave out.", details: [ErrorDetail(field: "cursor", issue: "invalid")])
        }
        createdAt = Date(timeIntervalSince1970: Double(millis) / 1000)
        id = String(parts[1])
    }

    var encoded: String {
        Data("\(Int64((createdAt.timeIntervalSince1970 * 1000).rounded()))|\(id)".utf8).base64URLEncoded()
    }
}
