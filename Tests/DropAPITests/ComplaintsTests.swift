import Foundation
import SQLKit
import Testing
@testable import DropAPI

@Suite("Complaints over HTTP: filed by customers, due in 15 business days, answered by admins")
struct ComplaintsTests {
    static let anders = "04047510142"

    @Test func kariComplainsAboutATransferAndAndersAnswers() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let created = try await TransfersTests.send(server, kari, key: "c-1", body: #"{"recipientId":"\#(kari.recipientId)","amountMinor":50000,"bankAccountId":"\#(kari.accountId)"}"#)
            let transferId = try #require((created.json()["transaction"] as? [String: Any])?["id"] as? String)

            let filed = try await server.call(.POST, "/v1/complaints",
                                              #"{"subject":"Money did not arrive","description":"My mother has not received the money yet.","transactionId":"\#(transferId)"}"#,
                                              auth: kari.auth)
            #expect(filed.status == 201)
            // Wednesday 14 October 2026 + 15 Norwegian business days.
            #expect(filed.json()["dueDate"] as? String == "2026-11-04")
            #expect(filed.json()["status"] as? String == "open" && filed.json()["transactionId"] as? String == transferId)
            let id = try #require(filed.json()["id"] as? String)
            let notifications = try await server.get("/v1/notifications", headers: [kari.auth]).json()["items"] as? [[String: Any]] ?? []
            #expect(notifications.contains { $0["kind"] as? String == "complaint.received" })

            // Only admins see the queue and answer; Kari can't.
            #expect(try await server.get("/v1/admin/complaints", headers: [kari.auth]).status == 403)
            let anders = try await server.bearer(Self.anders)
            let queue = try await server.get("/v1/admin/complaints", headers: [anders]).json()["items"] as? [[String: Any]] ?? []
            #expect(queue.map { $0["id"] as? String } == [id])

            let noText = try await server.call(.POST, "/v1/admin/complaints/\(id)/answer", #"{"status":"resolved"}"#, auth: anders)
            #expect(noText.status == 422 && noText.issue("resolution") == "required")
            #expect(try await server.call(.POST, "/v1/admin/complaints/\(id)/answer", #"{"status":"in_progress"}"#, auth: anders).status == 200)
            let answered = try await server.call(.POST, "/v1/admin/complaints/\(id)/answer",
                                                 #"{"status":"resolved","resolution":"The bank returned the payment; it was never sent."}"#, auth: anders)
            #expect(answered.status == 200 && answered.json()["status"] as? String == "resolved")
            #expect(try await server.call(.POST, "/v1/admin/complaints/\(id)/answer", #"{"status":"rejected","resolution":"x"}"#, auth: anders).status == 409)

            let mine = try await server.get("/v1/complaints/\(id)", headers: [kari.auth]).json()
            #expect(mine["resolution"] as? String == "The bank returned the payment; it was never sent." && mine["resolvedAt"] is String)
            #expect((try await server.get("/v1/admin/complaints", headers: [anders]).json()["items"] as? [Any])?.isEmpty == true)
            let audited = try await server.services.database.withConnection { db in
                try await db.raw("SELECT COUNT(*) AS n FROM audit_log WHERE entity_type = 'complaint' AND entity_id = \(bind: id)").first()!.decode(column: "n", as: Int.self)
            }
            #expect(audited == 3)
        }
    }

    @Test func badComplaintsAreRefusedFieldByField() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await server.bearer(TransfersTests.kari)
            let ola = try await server.bearer("01078510133")
            let empty = try await server.call(.POST, "/v1/complaints", #"{"subject":"","description":"short"}"#, auth: kari)
            #expect(empty.status == 422 && empty.issue("subject") == "required" && empty.issue("description") == "length")
            let unknown = try await server.call(.POST, "/v1/complaints",
                                                #"{"subject":"Wrong fee","description":"The fee was higher than shown.","transactionId":"\#(UUID().uuidString)"}"#, auth: kari)
            #expect(unknown.status == 422 && unknown.issue("transactionId") == "unknown")
            #expect(try await server.call(.POST, "/v1/complaints", "{", auth: kari).status == 400)

            let filed = try await server.call(.POST, "/v1/complaints", #"{"subject":"App","description":"The app logged me out twice."}"#, auth: kari)
            let id = try #require(filed.json()["id"] as? String)
            // Ola can neither read nor list Kari's complaint.
            #expect(try await server.get("/v1/complaints/\(id)", headers: [ola]).status == 404)
            #expect((try await server.get("/v1/complaints", headers: [ola]).json()["items"] as? [Any])?.isEmpty == true)
            #expect((try await server.get("/v1/complaints", headers: [kari]).json()["items"] as? [Any])?.count == 1)
            #expect(try await server.get("/v1/complaints").status == 401)
        }
    }
}
