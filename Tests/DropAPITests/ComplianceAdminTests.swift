import DropCore
import DropKit
import DropStore
import DropTestTools
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

    static func alerts(_ server: LiveServer, _ admin: (String, String), _ query: String) async throws -> [ComplianceAPI.Alert] {
        let reply = try await server.get("/v1/admin/aml-alerts?\(query)", headers: [admin])
        #expect(reply.status == 200, "\(reply.body)")
        return try reply.decode(ComplianceAPI.Page<ComplianceAPI.Alert>.self).items
    }

    static func customers(_ server: LiveServer, _ admin: (String, String), _ query: String) async throws -> [ComplianceAPI.Customer] {
        try await server.get("/v1/admin/users?\(query)", headers: [admin]).decode(ComplianceAPI.Page<ComplianceAPI.Customer>.self).items
    }

    /// By national identity number: in the body, never in the URL.
    static func customers(_ server: LiveServer, _ admin: (String, String), nationalId: String) async throws -> [ComplianceAPI.Customer] {
        let reply = try await server.call(.POST, "/v1/admin/users/search", #"{"nationalId":"\#(nationalId)"}"#, auth: admin)
        #expect(reply.status == 200, "\(reply.body)")
        return try reply.decode(ComplianceAPI.Page<ComplianceAPI.Customer>.self).items
    }

    static func report(_ server: LiveServer, _ admin: (String, String), _ id: String) async throws -> ComplianceAPI.Report {
        try await server.get("/v1/admin/str-reports/\(id)", headers: [admin]).decode(ComplianceAPI.Report.self)
    }

    static func transaction(_ server: LiveServer, _ admin: (String, String), _ id: String) async throws -> ComplianceAPI.Transaction {
        try await server.get("/v1/admin/transactions/\(id)", headers: [admin]).decode(ComplianceAPI.Transaction.self)
    }

    static func auditRows(_ server: LiveServer, entityId: String) async throws -> [(action: String, actor: String?)] {
        try await server.services.database.withConnection { db in
            try await db.raw("SELECT action, actor_id FROM audit_log WHERE entity_id = \(bind: entityId) ORDER BY seq").all()
                .map { (try $0.decode(column: "action", as: String.self), try $0.decode(column: "actor_id", as: String?.self)) }
        }
    }

    /// Per Politiker (a PEP) onboarded, his DNB account linked, today's rates stored and a recipient in
    /// Poland: ready for the first transfer that raises his PEP alert.
    static func perReadyToSend(_ server: LiveServer) async throws -> TransfersTests.Sender {
        let per = try await KYCTests.onboardAndVerify(server, Self.per).auth
        _ = try await server.connectBank("dnb", auth: per, as: Self.per)
        try await server.refreshExchangeRates()
        let accounts = try await server.get("/v1/bank-accounts", headers: [per]).decode(DropKit.Page<BankAccount>.self).items
        let recipient = try await server.call(.POST, "/v1/recipients", RecipientsTests.poland, auth: per)
        return TransfersTests.Sender(auth: per, accountId: try #require(accounts.first?.id), accountNumber: "",
                                     recipientId: try recipient.decode(Recipient.self).id)
    }

    /// A transfer sent and, unless it is held, approved at Kari's bank, so it counts as sent; its id.
    static func sendApproved(_ server: LiveServer, _ kari: TransfersTests.Sender, amountMinor: Int64, key: String) async throws -> String {
        let sent = try await send(server, kari, amountMinor: amountMinor, key: key)
        #expect(sent.status == 201, "\(sent.body)")
        let created = try sent.decode(TransactionCreated.self)
        if let sca = created.scaRedirect {
            let back = try await server.approveAtBank(sca.absoluteString, as: TransfersTests.kari)
            _ = try await server.get(try #require(back.location))
        }
        return created.transaction.id
    }

    static func send(_ server: LiveServer, _ sender: TransfersTests.Sender, recipient: String? = nil, amountMinor: Int64, key: String) async throws -> LiveServer.Reply {
        try await TransfersTests.send(server, sender, key: key, body: #"""
            {"recipientId":"\#(recipient ?? sender.recipientId)","amountMinor":\#(amountMinor),"bankAccountId":"\#(sender.accountId)"}
            """#)
    }

    @Test func perPolitikersFirstTransferRaisesAPEPAlertThatIsDismissedOnce() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let sender = try await Self.perReadyToSend(server)
            let per = sender.auth
            let sent = try await Self.send(server, sender, amountMinor: 50_000, key: "pep-1")
            #expect(sent.status == 201)
            let transfer = try sent.decode(TransactionCreated.self).transaction
            let transferId = transfer.id
            // A PEP is enhanced due diligence, not a hold: the payment goes to the bank.
            #expect(transfer.status == .pendingSCA)
            let perId = try await server.userId(per)

            let admin = try await server.bearer(Self.anders)
            let adminId = try await server.userId(admin)
            let found = try await Self.alerts(server, admin, "rule=pep&status=open&userId=\(perId)")
            #expect(found.count == 1)
            let alert = try #require(found.first)
            let alertId = alert.id
            #expect(alert.transactionId == transferId)
            #expect(alert.found(.pep))
            #expect(try await Self.alerts(server, admin, "rule=structuring&userId=\(perId)").isEmpty)
            #expect(try await Self.alerts(server, admin, "status=dismissed").isEmpty)
            let one = try await server.get("/v1/admin/aml-alerts/\(alertId)", headers: [admin])
            #expect(one.status == 200)
            #expect(try one.decode(ComplianceAPI.Alert.self).status == .open)
            #expect(try await server.get("/v1/admin/aml-alerts/\(UUID().uuidString.lowercased())", headers: [admin]).status == 404)
            #expect(try await server.get("/v1/admin/aml-alerts?rule=nonsense", headers: [admin]).status == 422)

            // Dismissing needs a reason; only an open alert can be decided.
            let noReason = try await server.call(.POST, "/v1/admin/aml-alerts/\(alertId)/dismiss", #"{"reason":"  "}"#, auth: admin)
            #expect(noReason.status == 422 && noReason.issue("reason") == "required")
            #expect(try await server.call(.POST, "/v1/admin/aml-alerts/\(alertId)/dismiss", "{}", auth: admin).status == 422)
            let dismissed = try await server.call(.POST, "/v1/admin/aml-alerts/\(alertId)/dismiss", #"{"reason":"Known PEP, salary-sized family support."}"#, auth: admin)
            #expect(dismissed.status == 200, "\(dismissed.body)")
            let decided = try dismissed.decode(ComplianceAPI.Alert.self)
            #expect(decided.status == .dismissed && decided.resolvedBy == adminId)
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
            let user = try #require(try byName.decode(ComplianceAPI.Page<ComplianceAPI.Customer>.self).items.first)
            #expect(user.id == perId && user.isPep == true && user.kycStatus == .approved)
            #expect(user.transferCount == 1 && user.alertCount == 1 && user.openAlertCount == 0)
            // What identifies or reaches the person is not in the lookup.
            for field in ["pidHash", "phone", "birthdate"] { #expect(!byName.body.contains("\"\(field)\""), "\(field)") }
            #expect(try await Self.customers(server, admin, "name=%25%25").isEmpty)
            // Norwegian letters match in any case, on SQLite too; LIKE and regex characters are literal.
            let now = server.clock.date
            try await server.services.database.transaction { db in
                try await UserRepository.insert(UserRecord(
                    id: UUID().uuidString.lowercased(), pidHash: "test-åse", name: "Åse Ødegård (50%)", givenName: "Åse", familyName: "Ødegård",
                    birthdate: "1950-01-01", phone: nil, email: nil, role: .user, kycStatus: .none, kycApplicantId: nil, riskLevel: .low,
                    isPep: false, isSanctioned: false, locale: "nb", createdAt: now, updatedAt: now, deletedAt: nil), on: db)
            }
            for query in ["%C3%B8DEG%C3%85RD", "%C3%85SE%20%C3%98", "(50%25)"] {
                #expect(try await Self.customers(server, admin, "name=\(query)").map(\.name) == ["Åse Ødegård (50%)"], "\(query)")
            }
            #expect(try await Self.customers(server, admin, "name=.*").isEmpty)
            #expect(try await Self.customers(server, admin, nationalId: Self.per).map(\.id) == [perId])
            let invalid = try await server.call(.POST, "/v1/admin/users/search", #"{"nationalId":"11116110183"}"#, auth: admin)
            #expect(invalid.status == 422 && invalid.issue("nationalId") == "invalid" && !invalid.body.contains("11116110183"))
            #expect(try await server.get("/v1/admin/users", headers: [admin]).status == 422)
            let detail = try await server.get("/v1/admin/users/\(perId)", headers: [admin])
            #expect(detail.status == 200)
            #expect(try detail.decode(ComplianceAPI.Customer.self).role == .user)
            #expect(try await server.get("/v1/admin/users/\(UUID().uuidString)", headers: [admin]).status == 404)
        }
    }

    @Test func fiveTransfersOf9900InAnHourRaiseStructuringAndTheEscalatedReportRendersAsGoAML() async throws {
        let clock = TestClock(LiveServer.wednesdayNoon)
        try await LiveServer.run(clock: clock, environment: ["FIU_REPORTING_ENTITY_ID": "4711", "DROP_ORGANISATION_NUMBER": "923609016"]) { server in
            let kari = try await TransfersTests.sender(server)
            let kariId = try await server.userId(kari.auth)
            var transferIds: [String] = []
            for index in 1...5 {
                // Kari approves each at her bank (the fifth is held: nothing to approve), so all count as sent.
                transferIds.append(try await Self.sendApproved(server, kari, amountMinor: 990_000, key: "split-\(index)"))
                clock.advance(10 * 60)
            }
            let admin = try await server.bearer(Self.anders)
            let structuring = try await Self.alerts(server, admin, "rule=structuring&userId=\(kariId)")
            // From the third transfer on, each is part of the pattern.
            #expect(structuring.count == 3)
            #expect(Set(structuring.compactMap(\.transactionId)) == Set(transferIds[2...]))
            // Each names the earlier transfers of the pattern it completed, oldest first.
            #expect(structuring.first { $0.transactionId == transferIds[3] }?.findings.first { $0.rule == .structuring }?.transactionIds
                == Array(transferIds[0...2]))
            // Newest first, and paged with a cursor.
            let first = try await server.get("/v1/admin/aml-alerts?rule=structuring&limit=2", headers: [admin])
                .decode(ComplianceAPI.Page<ComplianceAPI.Alert>.self)
            #expect(first.items.first?.transactionId == transferIds[4])
            let cursor = try #require(first.nextCursor)
            let second = try await server.get("/v1/admin/aml-alerts?rule=structuring&limit=2&cursor=\(cursor)", headers: [admin])
            #expect(try second.decode(ComplianceAPI.Page<ComplianceAPI.Alert>.self).items.map(\.transactionId) == [transferIds[2]])
            #expect(try second.fieldNames().isNull("nextCursor"))
            let from = JSON.rfc3339(LiveServer.wednesdayNoon.addingTimeInterval(25 * 60))
            #expect(try await Self.alerts(server, admin, "rule=structuring&from=\(from)").count == 2)

            // Escalating the third transfer's alert drafts a report on the pattern it completed.
            let alertId = try #require(structuring.first { $0.transactionId == transferIds[2] }?.id)
            let escalated = try await server.call(.POST, "/v1/admin/aml-alerts/\(alertId)/escalate", nil, auth: admin)
            #expect(escalated.status == 201, "\(escalated.body)")
            let reportId = try escalated.decode(ComplianceAPI.Escalated.self).strReportId
            #expect(try escalated.decode(ComplianceAPI.Escalated.self).alert.status == .escalated)
            #expect(try await server.call(.POST, "/v1/admin/aml-alerts/\(alertId)/escalate", nil, auth: admin).status == 409)
            let draft = try await Self.report(server, admin, reportId)
            #expect(draft.status == .draft && draft.alertId == alertId && draft.userId == kariId)
            #expect(draft.transactionIds == Array(transferIds[0...2]))
            #expect(draft.reason.contains("structuring"))
            let draftXML = try await server.get("/v1/admin/str-reports/\(reportId)/goaml.xml", headers: [admin])
            #expect(draftXML.status == 200 && draftXML.headers.first(name: "content-type")?.hasPrefix("application/xml") == true)
            #expect(try XMLTree.parse(draftXML.body).children(named: "transaction").map { $0.value("amount_local") }
                == Array(repeating: "9900.00", count: 3))

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
            #expect(try patched.decode(ComplianceAPI.Report.self).transactionIds.count == 5)
            let filed = try await server.call(.POST, "/v1/admin/str-reports/\(reportId)/file", #"{"fiuReference":"EFE-2026-0042"}"#, auth: admin)
            #expect(filed.status == 200, "\(filed.body)")
            let filedReport = try filed.decode(ComplianceAPI.Report.self)
            #expect(filedReport.status == .filed && filedReport.fiuReference == "EFE-2026-0042")
            // A filed report is a record.
            #expect(try await server.call(.PATCH, "/v1/admin/str-reports/\(reportId)", #"{"action":"changed"}"#, auth: admin).status == 409)
            #expect(try await server.call(.POST, "/v1/admin/str-reports/\(reportId)/file", nil, auth: admin).status == 409)
            #expect(try await Self.report(server, admin, reportId).action == "Customer contacted; further transfers held for review.")

            let xml = try await server.get("/v1/admin/str-reports/\(reportId)/goaml.xml", headers: [admin]).body
            let check = try? XMLSchemaCheck.checkWellFormed(xml)
            #expect(check == nil ? !XMLSchemaCheck.isRequired : check!.valid, "\(check?.output ?? "no xmllint")")
            let root = try XMLTree.parse(xml)
            #expect(root.value("report_code") == "STR" && root.value("currency_code_local") == "NOK" && root.value("entity_reference") == reportId)
            #expect(root.value("rentity_id") == "4711")  // Drop as configured (ReportingEntitySettings), not a placeholder
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

            let form = try await server.get("/v1/admin/str-reports/\(reportId)/mt0002.json", headers: [admin]).decode(MT0002Form.self)
            #expect(form.form == "MT-0002" && form.totalAmountNOK == "49500.00")
            #expect(form.transactions.map(\.amountNOK) == Array(repeating: "9900.00", count: 5))
            #expect(form.subject.familyName == "Nordmann")

            // A report for a customer with chosen transactions; only their own.
            let own = try await server.call(.POST, "/v1/admin/str-reports", #"{"userId":"\#(kariId)","transactionIds":["\#(transferIds[0])"],"reason":"r"}"#, auth: admin)
            #expect(own.status == 201, "\(own.body)")
            let ownReport = try own.decode(ComplianceAPI.Report.self)
            #expect(ownReport.alertId == nil && ownReport.transactionIds == [transferIds[0]])
            let notHers = try await server.call(.POST, "/v1/admin/str-reports", #"{"userId":"\#(olaId)","transactionIds":["\#(transferIds[0])"]}"#, auth: admin)
            #expect(notHers.status == 422 && notHers.issue("transactionIds") == "not_found")
            #expect(try await server.call(.POST, "/v1/admin/str-reports", #"{"userId":"\#(kariId)"}"#, auth: admin).status == 422)
            // From an open alert: the report escalates it.
            let openAlert = try #require(structuring.first { $0.transactionId == transferIds[3] }?.id)
            let fromAlert = try await server.call(.POST, "/v1/admin/str-reports", #"{"alertId":"\#(openAlert)"}"#, auth: admin)
            #expect(fromAlert.status == 201)
            #expect(try fromAlert.decode(ComplianceAPI.Report.self).transactionIds == Array(transferIds[0...3]))
            #expect(try await server.get("/v1/admin/aml-alerts/\(openAlert)", headers: [admin]).decode(ComplianceAPI.Alert.self).status == .escalated)
            let drafts = try await server.get("/v1/admin/str-reports?status=draft", headers: [admin]).decode(ComplianceAPI.Page<ComplianceAPI.Report>.self)
            #expect(drafts.items.count == 2)
            let filedList = try await server.get("/v1/admin/str-reports?status=filed&userId=\(kariId)", headers: [admin])
                .decode(ComplianceAPI.Page<ComplianceAPI.Report>.self)
            #expect(filedList.items.map(\.id) == [reportId])

            // Every change is in the audit log, by the admin, in the chain, and so is every download
            // (it names the customer): the draft's goAML, then the filed report's goAML and MT-0002.
            let reportRows = try await Self.auditRows(server, entityId: reportId)
            let andersId = try await server.userId(admin)
            #expect(reportRows.map(\.action) == ["str_report.drafted", "str_report.exported", "str_report.updated", "str_report.filed",
                                                 "str_report.exported", "str_report.exported"])
            #expect(reportRows.allSatisfy { $0.actor == andersId })
            let exports = try await server.services.database.withConnection { db in
                try await db.raw("SELECT data FROM audit_log WHERE entity_id = \(bind: reportId) AND action = 'str_report.exported' ORDER BY seq").all()
                    .map { try $0.decode(column: "data", as: String.self) }
            }
            #expect(exports == [#"{"format":"goaml"}"#, #"{"format":"goaml"}"#, #"{"format":"mt0002"}"#])
            #expect(try await Self.auditRows(server, entityId: alertId).map(\.action) == ["aml_alert.raised", "aml_alert.escalated"])
            let log = try await server.get("/v1/admin/audit-log?entityType=str_report&entityId=\(reportId)", headers: [admin])
                .decode(ComplianceAPI.Page<ComplianceAPI.AuditEntry>.self)
            #expect(log.items.map(\.action) == reportRows.map(\.action).reversed())
            #expect(try await server.get("/v1/admin/audit-log/verify", headers: [admin]).decode(ComplianceAPI.ChainCheck.self).ok)
        }
    }

    @Test func aTransferToAHighRiskCountryIsHeldThenReleasedByAndersAndApprovedAtTheBank() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let recipient = try await server.call(.POST, "/v1/recipients", Self.kenya, auth: kari.auth)
            #expect(recipient.status == 201, "\(recipient.body)")
            let kenyaId = try recipient.decode(Recipient.self).id
            let bankCalls = server.sandboxes.faults.bank.requestCount
            let sent = try await Self.send(server, kari, recipient: kenyaId, amountMinor: 1_200_000, key: "ke-1")
            #expect(sent.status == 201, "\(sent.body)")
            let id = try sent.decode(TransactionCreated.self).transaction.id
            #expect(try sent.decode(TransactionCreated.self).transaction.status == .held)
            #expect(server.sandboxes.faults.bank.requestCount == bankCalls)
            // A second new recipient there: a second hold (a known recipient would only alert).
            let other = try await server.call(.POST, "/v1/recipients", Self.kenya.replacingOccurrences(of: "0123456789012", with: "0987654321098")
                .replacingOccurrences(of: "Wanjiru", with: "Achieng"), auth: kari.auth)
            let otherId = try other.decode(Recipient.self).id
            let second = try await Self.send(server, kari, recipient: otherId, amountMinor: 1_100_000, key: "ke-2")
            #expect(try second.decode(TransactionCreated.self).transaction.status == .held)
            let rejectId = try second.decode(TransactionCreated.self).transaction.id

            let admin = try await server.bearer(Self.anders)
            let adminId = try await server.userId(admin)
            let queue = try await server.get("/v1/admin/transactions?status=held", headers: [admin])
            #expect(queue.status == 200)
            let held = try queue.decode(ComplianceAPI.Page<ComplianceAPI.Transaction>.self).items
            #expect(Set(held.map(\.id)) == [id, rejectId])
            let first = try #require(held.first { $0.id == id })
            #expect(first.status == .held && first.recipientCountry == "KE" && first.openAlertCount == 1)
            let alert = try #require(try await Self.alerts(server, admin, "status=open").first { $0.transactionId == id })
            #expect(alert.found(.highRiskCountry))
            #expect(alert.decision == .hold)

            // With Kari's bank down, the release is made but the bank's answer is unknown (503): the
            // transfer waits with its request id, and the reconciler asks the bank again once it is back.
            server.sandboxes.faults.bank.fault = .unavailable
            let down = try await server.release(id, #"{"reason":"Family support, documented."}"#, approvedBy: admin)
            #expect(down.status == 503 && down.errorCode == "PROVIDER_UNAVAILABLE", "\(down.body)")
            #expect(try await Self.transaction(server, admin, id).status == .pendingSCA)
            #expect(try await server.release(id, nil, approvedBy: admin).status == 409)
            #expect(try await server.call(.POST, "/v1/admin/transactions/\(id)/reject", #"{"reason":"late"}"#, auth: admin).status == 409)
            server.sandboxes.faults.bank.fault = nil
            server.clock.advance(61)  // past the breaker's cool-down

            // The reconciler gets the payment from Kari's bank; she is told and can approve.
            #expect(try await server.services.reconciliation.reconcile() >= 1)
            #expect(server.sandboxes.faults.bank.requestCount > bankCalls)
            let released = try await Self.transaction(server, admin, id)
            #expect(released.status == .pendingSCA && released.reviewedBy == adminId)
            let detail = try await server.get("/v1/transactions/\(id)", headers: [kari.auth]).decode(DropKit.Transaction.self)
            #expect(detail.status == .pendingSCA)
            #expect(detail.history?.map(\.status) == [.pendingSCA, .held, .pendingSCA])
            let sca = try #require(detail.scaRedirect?.absoluteString)
            let notifications = try await server.get("/v1/notifications", headers: [kari.auth]).decode(NotificationList.self).items
            #expect(notifications.contains { $0.data?["scaRedirect"] == sca })
            let back = try await server.approveAtBank(sca, as: TransfersTests.kari)
            _ = try await server.get(try #require(back.location))
            #expect(try await server.get("/v1/transactions/\(id)", headers: [kari.auth]).decode(DropKit.Transaction.self).status == .processing)
            #expect(try await Self.auditRows(server, entityId: id).map(\.action).contains("transaction.aml_released"))

            // Rejected: it fails, and Kari is not told why.
            let noReason = try await server.call(.POST, "/v1/admin/transactions/\(rejectId)/reject", "{}", auth: admin)
            #expect(noReason.status == 422 && noReason.issue("reason") == "required")
            let rejected = try await server.call(.POST, "/v1/admin/transactions/\(rejectId)/reject", #"{"reason":"Recipient matches a mule pattern."}"#, auth: admin)
            #expect(rejected.status == 200)
            #expect(try rejected.decode(ComplianceAPI.Transaction.self).status == .failed)
            let story = try await server.get("/v1/transactions/\(rejectId)", headers: [kari.auth])
            #expect(try story.decode(DropKit.Transaction.self).status == .failed && !story.body.contains("mule"))
            #expect(try await server.call(.POST, "/v1/admin/transactions/\(UUID().uuidString)/release", nil, auth: admin).status == 404)
            #expect(try await Self.transaction(server, admin, rejectId).reviewReason == "Recipient matches a mule pattern.")
        }
    }

    @Test func editingOrDeletingAnAuditRowMakesVerifyPointAtIt() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let admin = try await server.bearer(Self.anders)
            let kariId = try await server.userId(try await KYCTests.onboardAndVerify(server, TransfersTests.kari).auth)
            let intact = try await server.get("/v1/admin/audit-log/verify", headers: [admin])
            // brokenAt is always there, null while the chain holds.
            #expect(try intact.status == 200 && intact.fieldNames().isNull("brokenAt"))
            let check = try intact.decode(ComplianceAPI.ChainCheck.self)
            #expect(check.ok && check.checked >= 4)
            let rows = try await server.services.database.withConnection { db in
                try await db.raw("SELECT id, seq FROM audit_log ORDER BY seq").all().map { (try $0.decode(column: "id", as: String.self), try $0.decode(column: "seq", as: Int64.self)) }
            }

            // The list: newest first, filtered, paged by cursor.
            typealias AuditPage = ComplianceAPI.Page<ComplianceAPI.AuditEntry>
            let page = try await server.get("/v1/admin/audit-log?limit=2", headers: [admin]).decode(AuditPage.self)
            #expect(page.items.map(\.id) == rows.suffix(2).reversed().map(\.0))
            let next = try await server.get("/v1/admin/audit-log?limit=2&cursor=\(try #require(page.nextCursor))", headers: [admin]).decode(AuditPage.self)
            #expect(next.items.map(\.id) == rows.dropLast(2).suffix(2).reversed().map(\.0))
            // By who did it: an actor's id, or every actor of a kind (Sumsub's verdict is a provider's).
            let byKari = try await server.get("/v1/admin/audit-log?actor=\(kariId)&limit=100", headers: [admin]).decode(AuditPage.self).items
            #expect(!byKari.isEmpty && byKari.allSatisfy { $0.actorType == "user" })
            let byProviders = try await server.get("/v1/admin/audit-log?actor=provider&limit=100", headers: [admin]).decode(AuditPage.self).items
            #expect(Set(byProviders.map(\.action)) == ["kyc.status_changed"] && byProviders.allSatisfy { $0.actorType == "provider" })
            #expect(try await server.get("/v1/admin/audit-log?cursor=zz", headers: [admin]).status == 422)
            // A NUL PostgreSQL can't compare is bad input (400), not a server error; SQLite finds no row.
            let nul = try await server.get("/v1/admin/audit-log?entityId=%00", headers: [admin])
            #expect(nul.status == 200 || (nul.status == 400 && nul.issue("") == "characters"), "\(nul.status)")

            // Edit a row in the middle: verify names it.
            let edited = rows[1].0
            try await server.services.database.withConnection { db in
                try await db.raw("UPDATE audit_log SET data = '{\"forged\":true}' WHERE id = \(bind: edited)").run()
            }
            let afterEdit = try await server.get("/v1/admin/audit-log/verify", headers: [admin]).decode(ComplianceAPI.ChainCheck.self)
            #expect(!afterEdit.ok && afterEdit.brokenAt == edited && afterEdit.checked == 1)

            // Deleting that row instead: the link of the row after it breaks.
            try await server.services.database.withConnection { db in
                try await db.raw("DELETE FROM audit_log WHERE id = \(bind: edited)").run()
            }
            let afterDelete = try await server.get("/v1/admin/audit-log/verify", headers: [admin]).decode(ComplianceAPI.ChainCheck.self)
            #expect(!afterDelete.ok && afterDelete.brokenAt == rows[2].0)
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
