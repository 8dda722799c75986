import DropCore
import DropKit
import Foundation
import HummingbirdTesting
import Testing
@testable import DropAPI

@Suite("Corridors over HTTP")
struct CorridorsTests {
    @Test func listsEveryCorridorWithoutSigningIn() async throws {
        try await TestApp.test { client, _ in
            try await client.execute(uri: "/v1/corridors", method: .get) { response in
                #expect(response.status == .ok)
                let page = try response.decode(DropKit.Page<DropKit.Corridor>.self)
                #expect(try page.nextCursor == nil && response.fieldNames().isNull("nextCursor"))  // null, not left out
                #expect(page.items.count == Corridors.all.count)
                #expect(Set(page.items.map(\.country)).count >= 30)
                let corridor = { (country: String) in page.items.first { $0.country == country } }

                let poland = try #require(corridor("PL"))
                #expect(poland.currency == "PLN" && poland.rail == .swift && poland.accountFormat == .iban)
                #expect(poland.requiredFields == ["name", "iban", "bic", "bankName", "address.street", "address.city", "relationship"])
                #expect(poland.minAmountMinor == 100_00 && poland.maxAmountMinor == 50_000_00)
                #expect(poland.estimatedDelivery == "1–3 business days")

                let germany = try #require(corridor("DE"))
                #expect(germany.rail == .sepa && germany.currency == "EUR")
                #expect(germany.requiredFields == ["name", "iban", "relationship"])
                #expect(corridor("IN")?.requiredFields.contains("ifsc") == true && corridor("IN")?.accountFormat == .ifscAndAccount)
                #expect(corridor("US")?.requiredFields.contains("routingNumber") == true)
                #expect(corridor("SO")?.maxAmountMinor == 10_000_00)
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
                    let page = try response.decode(DropKit.Page<DropKit.Corridor>.self)
                    #expect(page.items.count <= 20 && !page.items.isEmpty)
                    seen += page.items.map { "\($0.country)-\($0.currency)" }
                    return page.nextCursor
                }
            } while cursor != nil
            #expect(seen == Corridors.all.map { "\($0.country)-\($0.currency)" })

            try await client.execute(uri: "/v1/corridors?limit=0", method: .get) { response in
                #expect(response.status == .badRequest)
                #expect(response.apiError.code == "VALIDATION_FAILED")
                #expect(response.apiError.details.first?.field == "limit")
            }
            try await client.execute(uri: "/v1/corridors?cursor=ZZ-ZZZ", method: .get) { response in
                #expect(response.status == .badRequest)
            }
        }
    }
}
