import DropCore
import Foundation
import HummingbirdTesting
import Testing
@testable import DropAPI

@Suite("Corridors over HTTP")
struct CorridorsTests {
    static func corridor(_ items: [[String: Any]], _ country: String) -> [String: Any]? {
        items.first { $0["country"] as? String == country }
    }

    @Test func listsEveryCorridorWithoutSigningIn() async throws {
        try await TestApp.test { client, _ in
            try await client.execute(uri: "/v1/corridors", method: .get) { response in
                #expect(response.status == .ok)
                let json = response.json()
                #expect(json.keys.contains("nextCursor") && json["nextCursor"] is NSNull)
                let items = try #require(json["items"] as? [[String: Any]])
                #expect(items.count == Corridors.all.count)
                #expect(Set(items.compactMap { $0["country"] as? String }).count >= 30)

                let poland = try #require(Self.corridor(items, "PL"))
                #expect(poland["currency"] as? String == "PLN")
                #expect(poland["rail"] as? String == "swift")
                #expect(poland["accountFormat"] as? String == "iban")
                #expect(poland["requiredFields"] as? [String] == ["name", "iban", "bic", "bankName", "address.street", "address.city", "relationship"])
                #expect(poland["minAmountMinor"] as? Int == 100_00)
                #expect(poland["maxAmountMinor"] as? Int == 50_000_00)
                #expect(poland["estimatedDelivery"] as? String == "1–3 business days")

                let germany = try #require(Self.corridor(items, "DE"))
                #expect(germany["rail"] as? String == "sepa" && germany["currency"] as? String == "EUR")
                #expect(germany["requiredFields"] as? [String] == ["name", "iban", "relationship"])
                #expect((Self.corridor(items, "IN")?["requiredFields"] as? [String])?.contains("ifsc") == true)
                #expect(Self.corridor(items, "IN")?["accountFormat"] as? String == "ifsc+account")
                #expect((Self.corridor(items, "US")?["requiredFields"] as? [String])?.contains("routingNumber") == true)
                #expect(Self.corridor(items, "SO")?["maxAmountMinor"] as? Int == 10_000_00)
            }
        }
    }

    @Test func pagesFollowTheCursor() async throws {
        try await TestApp.test { client, _ in
            var seen: [String] = []
            var cursor: String?
            repeat {
                let query = "/v1/corridors?limit=20" + (cursor.map { "&cursor=\($0)" } ?? "")
                cursor = try await client.execute(uri: query, method: .get) { response in
                    let json = response.json()
                    let items = json["items"] as? [[String: Any]] ?? []
                    #expect(items.count <= 20 && !items.isEmpty)
                    seen += items.map { "\($0["country"] as? String ?? "")-\($0["currency"] as? String ?? "")" }
                    return json["nextCursor"] as? String
                }
            } while cursor != nil
            #expect(seen == Corridors.all.map { "\($0.country)-\($0.currency)" })

            try await client.execute(uri: "/v1/corridors?limit=0", method: .get) { response in
                #expect(response.status == .badRequest)
                #expect(response.error()["code"] as? String == "VALIDATION_FAILED")
                #expect((response.error()["details"] as? [[String: Any]])?.first?["field"] as? String == "limit")
            }
            try await client.execute(uri: "/v1/corridors?cursor=ZZ-ZZZ", method: .get) { response in
                #expect(response.status == .badRequest)
            }
        }
    }
}
