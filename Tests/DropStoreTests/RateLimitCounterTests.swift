import DropStore
import DropTestSupport
import Testing

@Suite("Rate limit counter")
struct RateLimitCounterTests {
    @Test func countsAtomicallyPerKeyAndWindow() async throws {
        try await TestDatabase.with { database in
            let counter = RateLimitCounter(database: database)
            let counts = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<25 { group.addTask { try await counter.hit(key: "auth:ip:x", windowStart: 600) } }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(counts.sorted() == Array(1...25))
            #expect(try await counter.hit(key: "auth:ip:x", windowStart: 660) == 1)
            #expect(try await counter.hit(key: "auth:ip:y", windowStart: 600) == 1)
            try await counter.purge(before: 660)
            #expect(try await counter.hit(key: "auth:ip:x", windowStart: 600) == 1)
        }
    }
}
