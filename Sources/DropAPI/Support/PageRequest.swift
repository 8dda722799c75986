import Hummingbird

/// `?limit=` and `?cursor=` of a collection endpoint (docs/api.md, "Shape": default 20, at most 100).
public struct PageRequest: Sendable, Equatable {
    public static let defaultLimit = 20
    public static let maximumLimit = 100

    public let limit: Int
    /// Opaque to clients: whatever the previous page's `nextCursor` said.
    public let cursor: String?

    public init(limit: Int = PageRequest.defaultLimit, cursor: String? = nil) {
        self.limit = limit
        self.cursor = cursor
    }

    /// Reads the query; a limit that is not 1…100 is refused rather than silently clamped.
    public init(_ request: Request, defaultLimit: Int = PageRequest.defaultLimit) throws {
        let query = request.uri.queryParameters
        if let raw = query.get("limit") {
            guard let limit = Int(raw), (1...Self.maximumLimit).contains(limit) else {
                throw AppError.badRequest("limit must be a whole number from 1 to \(Self.maximumLimit).",
                                          details: [ErrorDetail(field: "limit", issue: "range")])
            }
            self.limit = limit
        } else {
            self.limit = defaultLimit
        }
        cursor = query.get("cursor")?.nilIfEmpty
    }

    /// A page of `fetched` items, which the caller fetched with `limit + 1` to learn whether more follow.
    public func page<Item: Encodable>(_ fetched: [Item], cursor: (Item) -> String) -> Page<Item> {
        guard fetched.count > limit else { return Page(items: fetched) }
        let items = Array(fetched.prefix(limit))
        return Page(items: items, nextCursor: items.last.map(cursor))
    }
}
