import DropCore
import DropStore
import DropTestSupport
import Foundation
import NIOHTTP1
import SQLKit
import Testing
@testable import DropAPI

@Suite("Compliance admin over HTTP: AML alerts, STR reports (goAML, MT-0002), held transfers, audit log, customer lookup")
struct ComplianceAdminTests {
    static let anders = "04047510142"
    static let per = "11116110182"
    static let kenya = #"""
        {"name":"Wanjiru Kamau","country":"KE","currency":"KES","accountNumber":"0123456789012","bic":"KCBLKENX",
         "bankName":"KCB Bank Kenya","address":{"street":"Moi Avenue 1","city":"Nairobi"},"relationship":"family"}
        """#

    static func amount(_ object: Any?) -> Int64? { ((object as? [String: Any])?["amountMinor"] as? NSNumber)?.int64Value }

    static func alerts(_ server: LiveServer, _ admin: (String, String), _ query: String) async throws -> [[String: Any]] {
        let reply = try await server.get("/v1/admin/aml-alerts?\(query)", headers: [admin])
        #expect(reply.status == 200, "\(reply.body)")
        return reply.json()["items"] as? [[String: Any]] ?? []
    }

    static func auditRows(_ server: LiveServer, entityId: String) async throws -> [(action: String, actor: String?)] {
        try await server.services.database.withConnection { db in
            try await db.raw("SELECT action, actor_id FROM audit_log WHERE entity_id = \(bind: entityId) ORDER BY seq").all()
                .map { (try $0.decode(column: "action", as: String.self), try $0.decode(column: "actor_id", as: String?.self)) }
        }
    }

    static func send(_ server: LiveServer, _ sender: TransfersTests.Sender, recipient: String? = nil, amountMinor: Int64, key: String) async throws -> LiveServer.Reply {
        try await TransfersTests.send(server, sender, key: key, body: #"""
            {"recipientId":"\#(recipient ?? sender.recipientId)","amountMinor":\#(amountMinor),"bankAccountId":"\#(sender.accountId)"}
            """#)
    }

    @Test func perPolitikersFirstTransferRaisesAPEPAlertThatIsDismissedOnce() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let per = try await KYCTests.onboardAndVerify(server, Self.per).auth
            _ = try await server.connectBank("dnb", auth: per, as: Self.per)
            try await server.refreshExchangeRates()
            let accounts = try await server.get("/v1/bank-accounts", headers: [per]).json()["items"] as? [[String: Any]] ?? []
            let recipient = try await server.call(.POST, "/v1/recipients", RecipientsTests.poland, auth: per)
            let sender = TransfersTests.Sender(auth: per, accountId: try #require(accounts.first?["id"] as? String), accountNumber: "",
                                               recipientId: try #require(recipient.json()["id"] as? String))
            let sent = try await Self.send(server, sender, amountMinor: 50_000, key: "pep-1")
            #expect(sent.status == 201)
            let transferId = try #require((sent.json()["transaction"] as? [String: Any])?["id"] as? String)
            // A PEP is enhanced due diligence, not a hold: the payment goes to the bank.
            #expect((sent.json()["transaction"] as? [String: Any])?["status"] as? String == "pending_sca")
            let perId = try await server.userId(per)

            let admin = try await server.bearer(Self.anders)
            let adminId = try await server.userId(admin)
            let found = try await Self.alerts(server, admin, "rule=pep&status=open&userId=\(perId)")
            #expect(found.count == 1)
            let alert = try #require(found.first)
            let alertId = try #require(alert["id"] as? String)
            #expect(alert["transactionId"] as? String == transferId)
            #expect((alert["findings"] as? [[String: Any]])?.contains { $0["rule"] as? String == "pep" } == true)
            #expect(try await Self.alerts(server, admin, "rule=structuring&userId=\(perId)").isEmpty)
            #expect(try await Self.alerts(server, admin, "status=dismissed").isEmpty)
            let one = try await server.get("/v1/admin/aml-alerts/\(alertId)", headers: [admin])
            #expect(one.status == 200 && one.json()["status"] as? String == "open")
            #expect(try await server.get("/v1/admin/aml-alerts/\(UUID().uuidString.lowercased())", headers: [admin]).status == 404)
            #expect(try await server.get("/v1/admin/aml-alerts?rule=nonsense", headers: [admin]).status == 422)

            // Dismissing needs a reason; only an open alert can be decided.
            let noReason = try await server.call(.POST, "/v1/admin/aml-alerts/\(alertId)/dismiss", #"{"reason":"  "}"#, auth: admin)
            #expect(noReason.status == 422 && noReason.issue("reason") == "required")
            #expect(try await server.call(.POST, "/v1/admin/aml-alerts/\(alertId)/dismiss", "{}", auth: admin).status == 422)
            let dismissed = try await server.call(.POST, "/v1/admin/aml-alerts/\(alertId)/dismiss", #"{"reason":"Known PEP, salary-sized family support."}"#, auth: admin)
            #expect(dismissed.status == 200, "\(dismissed.body)")
            #expect(dismissed.json()["status"] as? String == "dismissed" && dismissed.json()["resolvedBy"] as? String == adminId)
            let again = try await server.call(.POST, "/v1/admin/aml-alerts/\(alertId)/dismiss", #"{"reason":"twice"}"#, auth: admin)
            #expect(again.status == 409 && again.errorCode == "CONFLICT")
            #expect(try await server.call(.POST, "/v1/admin/aml-alerts/\(alertId)/escalate", nil, auth: admin).status == 409)
            // A dismissed alert is no ground for a report.
            #expect(try await server.call(.POST, "/v1/admin/str-reports", #"{"alertId":"\#(alertId)"}"#, auth: admin).status == 409)
            #expect(try await Self.auditRows(server, entityId: alertId).map(\.action) == ["aml_alert.raised", "aml_alert.dismissed"])
            #expect(try await Self.auditRows(server, entityId: alertId).last?.actor == adminId)

            // The customer lookup: by part of the name (any case) or by national identity number.
            let byName = try await server.get("/v1/admin/users?name=POLITIK", headers: [admin])
            #expect(byName.status == 200)
            let user = try #require((byName.json()["items"] as? [[String: Any]])?.first)
            #expect(user["id"] as? String == perId && user["isPep"] as? Bool == true && user["kycStatus"] as? String == "approved")
            #expect((user["transferCount"] as? NSNumber)?.intValue == 1 && (user["alertCount"] as? NSNumber)?.intValue == 1)
            #expect((user["openAlertCount"] as? NSNumber)?.intValue == 0)
            #expect(user["pidHash"] == nil && user["phone"] == nil && user["birthdate"] == nil)
            #expect((try await server.get("/v1/admin/users?name=%25%25", headers: [admin]).json()["items"] as? [Any])?.isEmpty == true)
            // Norwegian letters match in any case, on SQLite too; LIKE and regex characters are literal.
            let now = server.clock.date
            try await server.services.database.transaction { db in
                try await UserRepository.insert(UserRecord(
                    id: UUID().uuidString.lowercased(), pidHash: "test-åse", name: "Åse Ødegård (50%)", givenName: "Åse", familyName: "Ødegård",
                    birthdate: "1950-01-01", phone: nil, email: nil, role: .user, kycStatus: .none, kycApplicantId: nil, riskLevel: .low,
                    isPep: false, isSanctioned: false, locale: "nb", createdAt: now, updatedAt: now, deletedAt: nil), on: db)
            }
            for query in ["%C3%B8DEG%C3%85RD", "%C3%85SE%20%C3%98", "(50%25)"] {
                let items = try await server.get("/v1/admin/users?name=\(query)", headers: [admin]).json()["items"] as? [[String: Any]]
                #expect(items?.compactMap { $0["name"] as? String } == ["Åse Ødegård (50%)"], "\(query)")
            }
            #expect((try await server.get("/v1/admin/users?name=.*", headers: [admin]).json()["items"] as? [Any])?.isEmpty == true)
            let byId = try await server.get("/v1/admin/users?nationalId=\(Self.per)", headers: [admin]).json()["items"] as? [[String: Any]]
            #expect(byId?.compactMap { $0["id"] as? String } == [perId])
            let invalid = try await server.get("/v1/admin/users?nationalId=11116110183", headers: [admin])
            #expect(invalid.status == 422 && invalid.issue("nationalId") == "invalid" && !invalid.body.contains("11116110183"))
            #expect(try await server.get("/v1/admin/users", headers: [admin]).status == 422)
            let detail = try await server.get("/v1/admin/users/\(perId)", headers: [admin])
            #expect(detail.status == 200 && detail.json()["role"] as? String == "user")
            #expect(try await server.get("/v1/admin/users/\(UUID().uuidString)", headers: [admin]).status == 404)
        }
    }

    @Test func fiveTransfersOf9900InAnHourRaiseStructuringAndTheEscalatedReportRendersAsGoAML() async throws {
        let clock = TestClock(LiveServer.wednesdayNoon)
        try await LiveServer.run(clock: clock) { server in
            let kari = try await TransfersTests.sender(server)
            let kariId = try await server.userId(kari.auth)
            var transferIds: [String] = []
            for index in 1...5 {
                let sent = try await Self.send(server, kari, amountMinor: 990_000, key: "split-\(index)")
                #expect(sent.status == 201, "\(sent.body)")
                transferIds.append(try #require((sent.json()["transaction"] as? [String: Any])?["id"] as? String))
                // Kari approves each at her bank (the fifth is held: nothing to approve), so all count as sent.
                if let sca = sent.json()["scaRedirect"] as? String {
                    let back = try await server.approveAtBank(sca, as: TransfersTests.kari)
                    _ = try await server.get(try #require(back.location))
                }
                clock.advance(10 * 60)
            }
            let admin = try await server.bearer(Self.anders)
            let structuring = try await Self.alerts(server, admin, "rule=structuring&userId=\(kariId)")
            // From the third transfer on, each is part of the pattern.
            #expect(structuring.count == 3)
            #expect(Set(structuring.compactMap { $0["transactionId"] as? String }) == Set(transferIds[2...]))
            // Newest first, and paged with a cursor.
            let first = try await server.get("/v1/admin/aml-alerts?rule=structuring&limit=2", headers: [admin]).json()
            #expect((first["items"] as? [[String: Any]])?.first?["transactionId"] as? String == transferIds[4])
            let cursor = try #require(first["nextCursor"] as? String)
            let second = try await server.get("/v1/admin/aml-alerts?rule=structuring&limit=2&cursor=\(cursor)", headers: [admin]).json()
            #expect((second["items"] as? [[String: Any]])?.compactMap { $0["transactionId"] as? String } == [transferIds[2]])
            #expect(second["nextCursor"] is NSNull)
            let from = JSON.rfc3339(LiveServer.wednesdayNoon.addingTimeInterval(25 * 60))
            #expect(try await Self.alerts(server, admin, "rule=structuring&from=\(from)").count == 2)

            // Escalating the third transfer's alert drafts a report on it.
            let alertId = try #require(structuring.first { $0["transactionId"] as? String == transferIds[2] }?["id"] as? String)
            let escalated = try await server.call(.POST, "/v1/admin/aml-alerts/\(alertId)/escalate", nil, auth: admin)
            #expect(escalated.status == 201, "\(escalated.body)")
            let reportId = try #require(escalated.json()["strReportId"] as? String)
            #expect((escalated.json()["alert"] as? [String: Any])?["status"] as? String == "escalated")
            #expect(try await server.call(.POST, "/v1/admin/aml-alerts/\(alertId)/escalate", nil, auth: admin).status == 409)
            var report = try await server.get("/v1/admin/str-reports/\(reportId)", headers: [admin]).json()
            #expect(report["status"] as? String == "draft" && report["alertId"] as? String == alertId && report["userId"] as? String == kariId)
            #expect(report["transactionIds"] as? [String] == [transferIds[2]])
            #expect((report["reason"] as? String)?.contains("structuring") == true)
            let draftXML = try await server.get("/v1/admin/str-reports/\(reportId)/goaml.xml", headers: [admin])
            #expect(draftXML.status == 200 && draftXML.headers.first(name: "content-type")?.hasPrefix("application/xml") == true)
            #expect(try XMLTree.parse(draftXML.body).children(named: "transaction").map { $0.value("amount_local") } == ["9900.00"])

            // Filing needs what the officer did; the whole pattern goes into the report.
            let incomplete = try await server.call(.POST, "/v1/admin/str-reports/\(reportId)/file", nil, auth: admin)
            #expect(incomplete.status == 422 && incomplete.issue("action") == "required")
            let ola = try await server.bearer("01078510133")
            let olaId = try await server.userId(ola)
            let foreign = try await server.call(.PATCH, "/v1/admin/str-reports/\(reportId)", #"{"transactionIds":["\#(UUID().uuidString.lowercased())"]}"#, auth: admin)
            #expect(foreign.status == 422 && foreign.issue("transactionIds") == "not_found")
            let ids = transferIds.map { "\"\($0)\"" }.joined(separator: ",")
            let patched = try await server.call(.PATCH, "/v1/admin/str-reports/\(reportId)", #"""
                {"reason":"Five transfers of 9 900 NOK within an hour to one recipient <PL>, just under 10 000 NOK.","action":"Customer contacted; further transfers held for review.","transactionIds":[\#(ids)]}
                """#, auth: admin)
            #expect(patched.status == 200, "\(patched.body)")
            #expect((patched.json()["transactionIds"] as? [String])?.count == 5)
            let filed = try await server.call(.POST, "/v1/admin/str-reports/\(reportId)/file", #"{"fiuReference":"EFE-2026-0042"}"#, auth: admin)
            #expect(filed.status == 200 && filed.json()["status"] as? String == "filed" && filed.json()["fiuReference"] as? String == "EFE-2026-0042")
            // A filed report is a record.
            #expect(try await server.call(.PATCH, "/v1/admin/str-reports/\(reportId)", #"{"action":"changed"}"#, auth: admin).status == 409)
            #expect(try await server.call(.POST, "/v1/admin/str-reports/\(reportId)/file", nil, auth: admin).status == 409)
            report = try await server.get("/v1/admin/str-reports/\(reportId)", headers: [admin]).json()
            #expect(report["action"] as? String == "Customer contacted; further transfers held for review.")

            let xml = try await server.get("/v1/admin/str-reports/\(reportId)/goaml.xml", headers: [admin]).body
            let check = try? XMLSchemaCheck.checkWellFormed(xml)
            #expect(check == nil ? !XMLSchemaCheck.isRequired : check!.valid, "\(check?.output ?? "no xmllint")")
            let root = try XMLTree.parse(xml)
            #expect(root.value("report_code") == "STR" && root.value("currency_code_local") == "NOK" && root.value("entity_reference") == reportId)
            #expect(root.value("reporting_person", "last_name") == "Admin")
            #expect(root.value("reason") == "Five transfers of 9 900 NOK within an hour to one recipient <PL>, just under 10 000 NOK.")
            #expect(xml.contains("recipient &lt;PL&gt;"))
            let transactions = root.children(named: "transaction")
            #expect(transactions.compactMap { $0.value("internal_ref_number") } == transferIds)
            #expect(transactions.compactMap { $0.value("amount_local") } == Array(repeating: "9900.00", count: 5))
            for transaction in transactions {
                #expect(transaction.value("t_from_my_client", "from_account", "account") == kari.accountNumber)
                #expect(transaction.value("t_from_my_client", "from_account", "signatory", "t_person", "last_name") == "Nordmann")
                #expect(transaction.value("t_from_my_client", "from_country") == "NO")
                #expect(transaction.value("t_to", "to_account", "beneficiary") == "Zofia Wójcik")
                #expect(transaction.value("t_to", "to_account", "iban") == "PL61109010140000071219812874")
                #expect(transaction.value("t_to", "to_country") == "PL")
                #expect(transaction.value("t_to", "to_foreign_currency", "foreign_currency_code") == "PLN")
            }
            #expect(root.child("report_indicators")?.children(named: "indicator").map(\.text).contains("structuring") == true)

            let form = try await server.get("/v1/admin/str-reports/\(reportId)/mt0002.json", headers: [admin]).json()
            #expect(form["form"] as? String == "MT-0002" && form["totalAmountNOK"] as? String == "49500.00")
            #expect((form["transactions"] as? [[String: Any]])?.compactMap { $0["amountNOK"] as? String } == Array(repeating: "9900.00", count: 5))
            #expect((form["subject"] as? [String: Any])?["familyName"] as? String == "Nordmann")

            // A report for a customer with chosen transactions; only their own.
            let own = try await server.call(.POST, "/v1/admin/str-reports", #"{"userId":"\#(kariId)","transactionIds":["\#(transferIds[0])"],"reason":"r"}"#, auth: admin)
            #expect(own.status == 201 && own.json()["alertId"] == nil && own.json()["transactionIds"] as? [String] == [transferIds[0]])
            let notHers = try await server.call(.POST, "/v1/admin/str-reports", #"{"userId":"\#(olaId)","transactionIds":["\#(transferIds[0])"]}"#, auth: admin)
            #expect(notHers.status == 422 && notHers.issue("transactionIds") == "not_found")
            #expect(try await server.call(.POST, "/v1/admin/str-reports", #"{"userId":"\#(kariId)"}"#, auth: admin).status == 422)
            // From an open alert: the report escalates it.
            let openAlert = try #require(structuring.first { $0["transactionId"] as? String == transferIds[3] }?["id"] as? String)
            let fromAlert = try await server.call(.POST, "/v1/admin/str-reports", #"{"alertId":"\#(openAlert)"}"#, auth: admin)
            #expect(fromAlert.status == 201 && fromAlert.json()["transactionIds"] as? [String] == [transferIds[3]])
            #expect(try await server.get("/v1/admin/aml-alerts/\(openAlert)", headers: [admin]).json()["status"] as? String == "escalated")
            let drafts = try await server.get("/v1/admin/str-reports?status=draft", headers: [admin]).json()["items"] as? [[String: Any]]
            #expect(drafts?.count == 2)
            let filedList = try await server.get("/v1/admin/str-reports?status=filed&userId=\(kariId)", headers: [admin]).json()["items"] as? [[String: Any]]
            #expect(filedList?.compactMap { $0["id"] as? String } == [reportId])

            // Every change is in the audit log, by the admin, in the chain.
            #expect(try await Self.auditRows(server, entityId: reportId).map(\.action) == ["str_report.drafted", "str_report.updated", "str_report.filed"])
            #expect(try await Self.auditRows(server, entityId: alertId).map(\.action) == ["aml_alert.raised", "aml_alert.escalated"])
            let log = try await server.get("/v1/admin/audit-log?entityType=str_report&entityId=\(reportId)", headers: [admin]).json()
            #expect((log["items"] as? [[String: Any]])?.compactMap { $0["action"] as? String } == ["str_report.filed", "str_report.updated", "str_report.drafted"])
            #expect(try await server.get("/v1/admin/audit-log/verify", headers: [admin]).json()["ok"] as? Bool == true)
        }
    }

    @Test func aTransferToAHighRiskCountryIsHeldThenReleasedByAndersAndApprovedAtTheBank() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let recipient = try await server.call(.POST, "/v1/recipients", Self.kenya, auth: kari.auth)
            #expect(recipient.status == 201, "\(recipient.body)")
            let kenyaId = try #require(recipient.json()["id"] as? String)
            let bankCalls = server.sandboxes.faults.bank.requestCount
            let sent = try await Self.send(server, kari, recipient: kenyaId, amountMinor: 1_200_000, key: "ke-1")
            #expect(sent.status == 201, "\(sent.body)")
            let id = try #require((sent.json()["transaction"] as? [String: Any])?["id"] as? String)
            #expect((sent.json()["transaction"] as? [String: Any])?["status"] as? String == "held")
            #expect(server.sandboxes.faults.bank.requestCount == bankCalls)
            // A second new recipient there: a second hold (a known recipient would only alert).
            let other = try await server.call(.POST, "/v1/recipients", Self.kenya.replacingOccurrences(of: "0123456789012", with: "0987654321098")
                .replacingOccurrences(of: "Wanjiru", with: "Achieng"), auth: kari.auth)
            let otherId = try #require(other.json()["id"] as? String)
            let second = try await Self.send(server, kari, recipient: otherId, amountMinor: 1_100_000, key: "ke-2")
            #expect((second.json()["transaction"] as? [String: Any])?["status"] as? String == "held")
            let rejectId = try #require((second.json()["transaction"] as? [String: Any])?["id"] as? String)

            let admin = try await server.bearer(Self.anders)
            let adminId = try await server.userId(admin)
            let queue = try await server.get("/v1/admin/transactions?status=held", headers: [admin])
            #expect(queue.status == 200)
            let held = queue.json()["items"] as? [[String: Any]] ?? []
            #expect(Set(held.compactMap { $0["id"] as? String }) == [id, rejectId])
            #expect(held.first { $0["id"] as? String == id }?["recipientCountry"] as? String == "KE")
            #expect((held.first { $0["id"] as? String == id }?["openAlertCount"] as? NSNumber)?.intValue == 1)
            let alert = try #require(try await Self.alerts(server, admin, "status=open").first { $0["transactionId"] as? String == id })
            #expect((alert["findings"] as? [[String: Any]])?.contains { $0["rule"] as? String == "high_risk_country" } == true)
            #expect(alert["decision"] as? String == "hold")

            // With Kari's bank down, the release is made but the bank's answer is unknown (503): the
            // transfer waits with its request id, and the reconciler asks the bank again once it is back.
            server.sandboxes.faults.bank.fault = .unavailable
            let down = try await server.call(.POST, "/v1/admin/transactions/\(id)/release", #"{"reason":"Family support, documented."}"#, auth: admin)
            #expect(down.status == 503 && down.errorCode == "PROVIDER_UNAVAILABLE", "\(down.body)")
            #expect(try await server.get("/v1/admin/transactions/\(id)", headers: [admin]).json()["status"] as? String == "pending_sca")
            #expect(try await server.call(.POST, "/v1/admin/transactions/\(id)/release", nil, auth: admin).status == 409)
            #expect(try await server.call(.POST, "/v1/admin/transactions/\(id)/reject", #"{"reason":"late"}"#, auth: admin).status == 409)
            server.sandboxes.faults.bank.fault = nil
            server.clock.advance(61)  // past the breaker's cool-down

            // The reconciler gets the payment from Kari's bank; she is told and can approve.
            #expect(try await server.services.reconciliation.reconcile() >= 1)
            #expect(server.sandboxes.faults.bank.requestCount > bankCalls)
            let released = try await server.get("/v1/admin/transactions/\(id)", headers: [admin])
            #expect(released.json()["status"] as? String == "pending_sca" && released.json()["reviewedBy"] as? String == adminId)
            let detail = try await server.get("/v1/transactions/\(id)", headers: [kari.auth]).json()
            #expect(detail["status"] as? String == "pending_sca")
            #expect((detail["history"] as? [[String: Any]])?.compactMap { $0["status"] as? String } == ["pending_sca", "held", "pending_sca"])
            let sca = try #require(detail["scaRedirect"] as? String)
            let notifications = try await server.get("/v1/notifications", headers: [kari.auth]).json()["items"] as? [[String: Any]] ?? []
            #expect(notifications.contains { ($0["data"] as? [String: Any])?["scaRedirect"] as? String == sca })
            let back = try await server.approveAtBank(sca, as: TransfersTests.kari)
            _ = try await server.get(try #require(back.location))
            #expect(try await server.get("/v1/transactions/\(id)", headers: [kari.auth]).json()["status"] as? String == "processing")
            #expect(try await Self.auditRows(server, entityId: id).map(\.action).contains("transaction.aml_released"))

            // Rejected: it fails, and Kari is not told why.
            let noReason = try await server.call(.POST, "/v1/admin/transactions/\(rejectId)/reject", "{}", auth: admin)
            #expect(noReason.status == 422 && noReason.issue("reason") == "required")
            let rejected = try await server.call(.POST, "/v1/admin/transactions/\(rejectId)/reject", #"{"reason":"Recipient matches a mule pattern."}"#, auth: admin)
            #expect(rejected.status == 200 && rejected.json()["status"] as? String == "failed")
            let story = try await server.get("/v1/transactions/\(rejectId)", headers: [kari.auth])
            #expect(story.json()["status"] as? String == "failed" && !story.body.contains("mule"))
            #expect(try await server.call(.POST, "/v1/admin/transactions/\(UUID().uuidString)/release", nil, auth: admin).status == 404)
            #expect(try await server.get("/v1/admin/transactions/\(rejectId)", headers: [admin]).json()["reviewReason"] as? String == "Recipient matches a mule pattern.")
        }
    }

    @Test func editingOrDeletingAnAuditRowMakesVerifyPointAtIt() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let admin = try await server.bearer(Self.anders)
            _ = try await KYCTests.onboardAndVerify(server, TransfersTests.kari)
            let intact = try await server.get("/v1/admin/audit-log/verify", headers: [admin])
            #expect(intact.status == 200 && intact.json()["ok"] as? Bool == true && intact.json()["brokenAt"] is NSNull)
            let checked = try #require((intact.json()["checked"] as? NSNumber)?.intValue)
            #expect(checked >= 4)
            let rows = try await server.services.database.withConnection { db in
                try await db.raw("SELECT id, seq FROM audit_log ORDER BY seq").all().map { (try $0.decode(column: "id", as: String.self), try $0.decode(column: "seq", as: Int64.self)) }
            }

            // The list: newest first, filtered, paged by cursor.
            let page = try await server.get("/v1/admin/audit-log?limit=2", headers: [admin]).json()
            #expect((page["items"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == rows.suffix(2).reversed().map(\.0))
            let next = try await server.get("/v1/admin/audit-log?limit=2&cursor=\(try #require(page["nextCursor"] as? String))", headers: [admin]).json()
            #expect((next["items"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == rows.dropLast(2).suffix(2).reversed().map(\.0))
            let system = try await server.get("/v1/admin/audit-log?actor=provider&limit=100", headers: [admin]).json()["items"] as? [[String: Any]] ?? []
            #expect(system.allSatisfy { $0["actorType"] as? String == "provider" })
            #expect(try await server.get("/v1/admin/audit-log?cursor=zz", headers: [admin]).status == 422)

            // Edit a row in the middle: verify names it.
            let edited = rows[1].0
            try await server.services.database.withConnection { db in
                try await db.raw("UPDATE audit_log SET data = '{\"forged\":true}' WHERE id = \(bind: edited)").run()
            }
            let afterEdit = try await server.get("/v1/admin/audit-log/verify", headers: [admin]).json()
            #expect(afterEdit["ok"] as? Bool == false && afterEdit["brokenAt"] as? String == edited && (afterEdit["checked"] as? NSNumber)?.intValue == 1)

            // Deleting that row instead: the link of the row after it breaks.
            try await server.services.database.withConnection { db in
                try await db.raw("DELETE FROM audit_log WHERE id = \(bind: edited)").run()
            }
            let afterDelete = try await server.get("/v1/admin/audit-log/verify", headers: [admin]).json()
            #expect(afterDelete["ok"] as? Bool == false && afterDelete["brokenAt"] as? String == rows[2].0)
        }
    }

    @Test func nonAdminsGet403AndAnonymousCallers401OnEveryAdminRoute() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await server.bearer(TransfersTests.kari)
            let admin = try await server.bearer(Self.anders)
            let routes = OpenAPIDocument.operations().filter { $0.path.hasPrefix("/v1/admin/") }
            #expect(routes.count >= 20)
            for route in routes {
                let path = route.path.replacingOccurrences(of: "{id}", with: UUID().uuidString.lowercased())
                let method = NIOHTTP1.HTTPMethod(rawValue: route.method)
                let body: String? = ["POST", "PATCH"].contains(route.method) ? #"{"reason":"x"}"# : nil
                let asUser = try await server.call(method, path, body, auth: kari)
                #expect(asUser.status == 403 && asUser.errorCode == "FORBIDDEN", "\(route.method) \(route.path) as a user: \(asUser.status)")
                let anonymous = try await server.request(method, path, headers: body == nil ? [] : [("content-type", "application/json")], body: body)
                #expect(anonymous.status == 401, "\(route.method) \(route.path) anonymously: \(anonymous.status)")
                let asAdmin = try await server.call(method, path, body, auth: admin)
                #expect(asAdmin.status != 403 && asAdmin.status != 401, "\(route.method) \(route.path) as admin: \(asAdmin.status)")
            }
        }
    }
}
