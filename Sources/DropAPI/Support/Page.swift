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

extension Page: JSONWritable where Item: JSONWritable {
    func write(to json: inout JSONWriter) {
        json.object {
            $0.key("items")
            $0.array(items) { item, json in json.value(item) }
            $0.key("nextCursor")
            if let nextCursor { $0.string(nextCursor) } else { $0.null() }
        }
    }
}
