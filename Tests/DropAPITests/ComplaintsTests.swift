import DropKit
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
            let transferId = try created.decode(TransactionCreated.self).transaction.id

            let filed = try await server.call(.POST, "/v1/complaints",
                                              #"{"subject":"Money did not arrive","description":"My mother has not received the money yet.","transactionId":"\#(transferId)"}"#,
                                              auth: kari.auth)
            #expect(filed.status == 201)
            let complaint = try filed.decode(Complaint.self)
            // Wednesday 14 October 2026 + 15 Norwegian business days.
            #expect(complaint.dueDate == "2026-11-04")
            #expect(complaint.status == .open && complaint.transactionId == transferId)
            let id = complaint.id
            let notifications = try await server.get("/v1/notifications", headers: [kari.auth]).decode(NotificationList.self).items
            #expect(notifications.contains { $0.kind == "complaint.received" })

            // Only admins see the queue and answer; Kari can't.
            #expect(try await server.get("/v1/admin/complaints", headers: [kari.auth]).status == 403)
            let anders = try await server.bearer(Self.anders)
            let queue = try await server.get("/v1/admin/complaints", headers: [anders]).decode(DropKit.Page<Complaint>.self).items
            #expect(queue.map(\.id) == [id])

            let noText = try await server.call(.POST, "/v1/admin/complaints/\(id)/answer", #"{"status":"resolved"}"#, auth: anders)
            #expect(noText.status == 422 && noText.issue("resolution") == "required")
            #expect(try await server.call(.POST, "/v1/admin/complaints/\(id)/answer", #"{"status":"in_progress"}"#, auth: anders).status == 200)
            let answered = try await server.call(.POST, "/v1/admin/complaints/\(id)/answer",
                                                 #"{"status":"resolved","resolution":"The bank returned the payment; it was never sent."}"#, auth: anders)
            #expect(try answered.decode(Complaint.self).status == .resolved && answered.status == 200)
            #expect(try await server.call(.POST, "/v1/admin/complaints/\(id)/answer", #"{"status":"rejected","resolution":"x"}"#, auth: anders).status == 409)

            let mine = try await server.get("/v1/complaints/\(id)", headers: [kari.auth]).decode(Complaint.self)
            #expect(mine.resolution == "The bank returned the payment; it was never sent." && mine.resolvedAt != nil)
            #expect(try await server.get("/v1/admin/complaints", headers: [anders]).decode(DropKit.Page<Complaint>.self).items.isEmpty)
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
            let id = try filed.decode(Complaint.self).id
            // Ola can neither read nor list Kari's complaint.
            #expect(try await server.get("/v1/complaints/\(id)", headers: [ola]).status == 404)
            #expect(try await server.get("/v1/complaints", headers: [ola]).decode(DropKit.Page<Complaint>.self).items.isEmpty)
            #expect(try await server.get("/v1/complaints", headers: [kari]).decode(DropKit.Page<Complaint>.self).items.count == 1)
            #expect(try await server.get("/v1/complaints").status == 401)
        }
    }
}
