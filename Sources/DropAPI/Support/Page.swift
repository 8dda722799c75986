/// Every collection answers `{"items":[…],"nextCursor":…}`.
public struct Page<Item: Encodable>: Encodable {
    public let items: [Item]
    public let nextCursor: String?

    public init(items: [Item], nextCursor: String? = nil) {
        self.items = items
        self.nextCursor = nextCursor
    }

    enum CodingKeys: CodingKey { case items, nextCursor }

    // nextCursor is always present, null on the last page.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(items, forKey: .items)
        try container.encode(nextCursor, forKey: .nextCursor)
    }
}

extension Page: Sendable where Item: Sendable {}
