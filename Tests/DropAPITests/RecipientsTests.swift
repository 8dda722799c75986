import DropKit
import DropStore
import Foundation
import SQLKit
import Testing
@testable import DropAPI

@Suite("Recipients over HTTP")
struct RecipientsTests {
    static let germany = #"{"name":"Hans Meier","country":"DE","currency":"EUR","iban":"de89 3704 0044 0532 0130 00","relationship":"family"}"#
    static let poland = #"""
        {"name":"Zofia Wójcik","country":"PL","currency":"PLN","iban":"PL61109010140000071219812874","bic":"wbkppLPP",
         "bankName":"Santander Bank Polska","address":{"street":"ul. Długa 5","postCode":"00-001","city":"Warszawa"},"relationship":"friend"}
        """#
    static let india = #"""
        {"name":"Priya Sharma","country":"IN","currency":"INR","accountNumber":"123456789012","ifsc":"sbin0001234",
         "bankName":"State Bank of India","address":{"street":"MG Road 1","city":"Mumbai","country":"IN"},"relationship":"family"}
        """#
    static let usa = #"""
        {"name":"John Doe","country":"US","currency":"USD","accountNumber":"000123456789","routingNumber":"021000021",
         "bankName":"Chase","address":{"street":"1 Main St","city":"New York"},"relationship":"business"}
        """#

    static func auditActions(_ server: LiveServer, entityId: String) async throws -> [String] {
        try await server.services.database.withConnection { db in
            try await db.raw("SELECT action FROM audit_log WHERE entity_type = 'recipient' AND entity_id = \(bind: entityId) ORDER BY seq")
                .all().map { try $0.decode(column: "action", as: String.self) }
        }
    }

    @Test func createReadChangeAndSoftDelete() async throws {
        try await LiveServer.run { server in
            let auth = try await server.bearer("15039010043")
            let created = try await server.call(.POST, "/v1/recipients", Self.germany, auth: auth)
            #expect(created.status == 201)
            let hans = try created.decode(Recipient.self)
            let id = hans.id
            #expect(hans.iban == "DE89370400440532013000")  // stored in electronic form
            #expect(hans.rail == .sepa)
            #expect(hans.relationship == .family)

            // The test clock stands still unless moved; "newest first" needs time to pass.
            server.clock.advance(1)
            let zofia = try await server.call(.POST, "/v1/recipients", Self.poland, auth: auth)
            #expect(zofia.status == 201, "\(zofia.body)")
            let polish = try zofia.decode(Recipient.self)
            #expect(polish.bic == "WBKPPLPP" && polish.address?.city == "Warszawa" && polish.rail == .swift)
            server.clock.advance(1)
            let priya = try await server.call(.POST, "/v1/recipients", Self.india, auth: auth)
            #expect(try priya.decode(Recipient.self).ifsc == "SBIN0001234" && priya.status == 201)
            server.clock.advance(1)
            let john = try await server.call(.POST, "/v1/recipients", Self.usa, auth: auth)
            #expect(try john.decode(Recipient.self).routingNumber == "021000021" && john.status == 201)

            // Newest first, in pages.
            let firstPage = try await server.call(.GET, "/v1/recipients?limit=3", auth: auth).decode(DropKit.Page<Recipient>.self)
            #expect(firstPage.items.map(\.name) == ["John Doe", "Priya Sharma", "Zofia Wójcik"])
            let cursor = try #require(firstPage.nextCursor)
            let secondPage = try await server.call(.GET, "/v1/recipients?limit=3&cursor=\(cursor)", auth: auth).decode(DropKit.Page<Recipient>.self)
            #expect(secondPage.items.map(\.name) == ["Hans Meier"] && secondPage.nextCursor == nil)

            let read = try await server.call(.GET, "/v1/recipients/\(id)", auth: auth)
            #expect(try read.decode(Recipient.self).name == "Hans Meier" && read.status == 200)

            // PATCH changes only what it names and validates the result again.
            // A name the partner would count as too long is refused on update too, as a field error.
            let stacked = try await server.call(.PATCH, "/v1/recipients/\(id)", #"{"name":"Hans\#(String(repeating: "\u{0301}", count: 80))"}"#, auth: auth)
            #expect(stacked.status == 422 && stacked.errorCode == "VALIDATION_FAILED" && stacked.issue("name") == "length", "\(stacked.body)")
            let renamed = try await server.call(.PATCH, "/v1/recipients/\(id)", #"{"name":"Hans P. Meier","bankName":"Deutsche Bank"}"#, auth: auth)
            #expect(renamed.status == 200)
            let changed = try renamed.decode(Recipient.self)
            #expect(changed.name == "Hans P. Meier" && changed.bankName == "Deutsche Bank" && changed.iban == "DE89370400440532013000")
            // Clearing a field the corridor requires is refused, and nothing changes.
            let cleared = try await server.call(.PATCH, "/v1/recipients/\(id)", #"{"iban":null,"relationship":""}"#, auth: auth)
            #expect(cleared.status == 422 && cleared.issue("iban") == "required" && cleared.issue("relationship") == "required")
            #expect(try await server.call(.GET, "/v1/recipients/\(id)", auth: auth).decode(Recipient.self).relationship == .family)
            let typo = try await server.call(.PATCH, "/v1/recipients/\(id)", #"{"Iban":"DE89370400440532013000"}"#, auth: auth)
            #expect(typo.status == 422 && typo.issue("Iban") == "unknown")
            let moved = try await server.call(.PATCH, "/v1/recipients/\(id)", #"{"country":"NL","iban":"NL91ABNA0417164300"}"#, auth: auth)
            #expect(try moved.decode(Recipient.self).country == "NL" && moved.status == 200)
            #expect(try await server.call(.GET, "/v1/recipients/\(id)", auth: auth).decode(Recipient.self).iban == "NL91ABNA0417164300")

            // Soft delete: gone from the API, kept in the table for the transfers that point at it.
            #expect(try await server.call(.DELETE, "/v1/recipients/\(id)", auth: auth).status == 204)
            #expect(try await server.call(.GET, "/v1/recipients/\(id)", auth: auth).status == 404)
            #expect(try await server.call(.DELETE, "/v1/recipients/\(id)", auth: auth).status == 404)
            #expect(try await server.call(.PATCH, "/v1/recipients/\(id)", #"{"name":"Hans"}"#, auth: auth).status == 404)
            let remaining = try await server.call(.GET, "/v1/recipients", auth: auth).decode(DropKit.Page<Recipient>.self).items
            #expect(remaining.count == 3 && !remaining.contains { $0.id == id })
            let deletedAt = try await server.services.database.withConnection { db in
                try await db.raw("SELECT deleted_at FROM recipients WHERE id = \(bind: id)").first()?.decode(column: "deleted_at", as: Date?.self)
            }
            #expect(deletedAt != nil)

            // Every change is in the audit log, in order, and the chain holds.
            #expect(try await Self.auditActions(server, entityId: id) == ["recipient.created", "recipient.updated", "recipient.updated", "recipient.deleted"])
            let verification = try await server.services.database.withConnection { try await AuditLog.verify(on: $0) }
            #expect(verification.ok)
        }
    }

    /// PostgreSQL refuses a NUL in text: a control character in any field is refused as typed, naming
    /// the field, and a cursor that is no recipient's id is refused before any query.
    @Test func controlCharactersAndForeignCursorsAreRefusedNotAServerError() async throws {
        try await LiveServer.run { server in
            let auth = try await server.bearer("15039010043")
            let street = try await server.call(.POST, "/v1/recipients", Self.poland.replacingOccurrences(of: "ul. Długa 5", with: #"ul.\u0000Długa 5"#), auth: auth)
            #expect(street.status == 422)
            #expect(street.issue("address.street") == "format")
            let bankName = try await server.call(.POST, "/v1/recipients", Self.poland.replacingOccurrences(of: "Santander", with: #"Santander\r\nBank"#), auth: auth)
            #expect(bankName.issue("bankName") == "format")
            let recipients = try await server.services.database.withConnection {
                try await $0.raw("SELECT COUNT(*) AS n FROM recipients").first()!.decode(column: "n", as: Int.self)
            }
            #expect(recipients == 0)

            let id = try await server.call(.POST, "/v1/recipients", Self.poland, auth: auth).decode(Recipient.self).id
            let patched = try await server.call(.PATCH, "/v1/recipients/\(id)", #"{"address":{"city":"War\u0000szawa"}}"#, auth: auth)
            #expect(patched.status == 422 && patched.issue("address.city") == "format")

            for cursor in ["%00", "not-an-id"] {
                let page = try await server.call(.GET, "/v1/recipients?cursor=\(cursor)", auth: auth)
                #expect(page.status == 422, "cursor \(cursor)")
                #expect(page.issue("cursor") == "invalid")
            }
        }
    }

    @Test func everyValidationErrorNamesItsField() async throws {
        try await LiveServer.run { server in
            let auth = try await server.bearer("15039010043")
            func post(_ body: String) async throws -> LiveServer.Reply { try await server.call(.POST, "/v1/recipients", body, auth: auth) }

            // Several problems at once are all reported.
            let pakistan = try await post(#"""
                {"name":"A","country":"PK","currency":"PKR","iban":"PK36SCBL0000001123456703","bic":"DEUTDEFF",
                 "bankName":"Standard Chartered","address":{"city":"Karachi","country":"ZZ"},"relationship":"cousin"}
                """#)
            #expect(pakistan.status == 422 && pakistan.errorCode == "VALIDATION_FAILED")
            let fields = Dictionary(pakistan.errorDetails.map { ($0.field, $0.issue) }, uniquingKeysWith: { first, _ in first })
            #expect(fields == ["name": "length", "iban": "checksum", "bic": "country", "address.street": "required",
                               "address.country": "country", "relationship": "format"])

            let cases: [(String, String, String)] = [
                // IBAN length and country, BIC shape and country against the IBAN.
                (#"{"name":"Hans Meier","country":"DE","currency":"EUR","iban":"DE8937040044053201300","relationship":"family"}"#, "iban", "length"),
                (#"{"name":"Hans Meier","country":"DE","currency":"EUR","iban":"NL91ABNA0417164300","relationship":"family"}"#, "iban", "country"),
                (#"{"name":"Hans Meier","country":"DE","currency":"EUR","iban":"DE89370400440532013000","bic":"DEUT-DE","relationship":"family"}"#, "bic", "format"),
                (#"{"name":"Hans Meier","country":"DE","currency":"EUR","iban":"DE89370400440532013000","bic":"ABNANL2A","relationship":"family"}"#, "bic", "country"),
                (#"{"name":"Hans Meier","country":"DE","currency":"EUR","accountNumber":"12345678","relationship":"family"}"#, "accountNumber", "not_allowed"),
                // Names: SEPA's character set, the 70-character limit.
                (#"{"name":"李小龍","country":"DE","currency":"EUR","iban":"DE89370400440532013000","relationship":"family"}"#, "name", "characters"),
                (#"{"name":"\#(String(repeating: "a", count: 71))","country":"DE","currency":"EUR","iban":"DE89370400440532013000","relationship":"family"}"#, "name", "length"),
                (#"{"country":"DE","currency":"EUR","iban":"DE89370400440532013000","relationship":"family"}"#, "name", "required"),
                // Code points, as the partner counts: 3 letters under 300 combining marks are 3 Characters but 303 code points.
                (PayoutTests.pakistan.replacingOccurrences(of: "Ayesha Khan", with: "Ali" + String(repeating: "\u{0301}", count: 300)), "name", "length"),
                // Corridor: country and currency must name one.
                (#"{"name":"Hans Meier","currency":"EUR","iban":"DE89370400440532013000"}"#, "country", "required"),
                (#"{"name":"Hans Meier","country":"PL","currency":"EUR","iban":"PL61109010140000071219812874"}"#, "currency", "corridor"),
                (#"{"name":"Hans Meier","country":"CN","currency":"CNY","accountNumber":"12345678"}"#, "country", "unsupported"),
                // Domestic bank codes where the corridor needs them, and only there.
                (Self.india.replacingOccurrences(of: #""ifsc":"sbin0001234","#, with: ""), "ifsc", "required"),
                (Self.india.replacingOccurrences(of: "sbin0001234", with: "SBIN1001234"), "ifsc", "format"),
                (Self.usa.replacingOccurrences(of: "021000021", with: "021000022"), "routingNumber", "checksum"),
                (Self.usa.replacingOccurrences(of: #""routingNumber":"021000021","#, with: ""), "routingNumber", "required"),
                (Self.poland.replacingOccurrences(of: #""bic":"wbkppLPP","#, with: #""bic":"wbkppLPP","ifsc":"SBIN0001234","#), "ifsc", "not_allowed"),
                (Self.poland.replacingOccurrences(of: "Warszawa", with: String(repeating: "W", count: 36)), "address.city", "length"),
            ]
            for (body, field, issue) in cases {
                let reply = try await post(body)
                #expect(reply.status == 422, "\(field): \(reply.body)")
                #expect(reply.issue(field) == issue, "\(field): \(reply.errorDetails)")
            }
            // Nothing invalid was stored.
            #expect(try await server.call(.GET, "/v1/recipients", auth: auth).decode(DropKit.Page<Recipient>.self).items.isEmpty)
            #expect(try await post("{}").status == 422)
            #expect(try await post(#"{"name":1}"#).status == 400)
        }
    }

    @Test func onlyTheOwnerSeesOrChangesARecipient() async throws {
        try await LiveServer.run { server in
            let kari = try await server.bearer("15039010043")
            let ola = try await server.bearer("01078510133")
            let created = try await server.call(.POST, "/v1/recipients", Self.poland, auth: kari)
            let id = try created.decode(Recipient.self).id

            #expect(try await server.call(.GET, "/v1/recipients/\(id)", auth: ola).status == 404)
            #expect(try await server.call(.PATCH, "/v1/recipients/\(id)", #"{"name":"Mine Now"}"#, auth: ola).status == 404)
            #expect(try await server.call(.DELETE, "/v1/recipients/\(id)", auth: ola).status == 404)
            #expect(try await server.call(.GET, "/v1/recipients", auth: ola).decode(DropKit.Page<Recipient>.self).items.isEmpty)
            // A cursor naming someone else's recipient pages nothing of theirs.
            #expect(try await server.call(.GET, "/v1/recipients?cursor=\(id)", auth: ola).decode(DropKit.Page<Recipient>.self).items.isEmpty)

            let still = try await server.call(.GET, "/v1/recipients/\(id)", auth: kari)
            #expect(try still.decode(Recipient.self).name == "Zofia Wójcik" && still.status == 200)
            #expect(try await server.get("/v1/recipients").status == 401)
            #expect(try await server.call(.GET, "/v1/recipients/not-a-uuid", auth: kari).status == 404)
        }
    }
}
