import DropKit
import DropStore
import Foundation
import Testing
@testable import DropAPI

/// An officer is a customer too: Kari, granted admin, never decides on her own case (`OwnCase`).
/// Her held transfer and her complaint are refused as hers (403 `OWN_CASE`); an alert or a report
/// about her is not even there for her (no tipping-off). Another officer decides, and every refused
/// attempt is in the audit log under her.
extension ComplianceAdminTests {
    /// Kari, an admin since `drop admin grant`, with a large transfer to a new recipient in Kenya that
    /// AML held; her transfer's id and a fresh bearer of hers (a new sign-in, so a write needs no step-up).
    static func officerWithHeldTransfer(_ server: LiveServer) async throws -> (id: String, officer: (String, String), officerId: String) {
        let kari = try await TransfersTests.sender(server)
        try await server.services.adminRoles.setAdmin(nationalId: TransfersTests.kari, granted: true, operatorName: "t")
        let recipient = try await server.call(.POST, "/v1/recipients", Self.kenya, auth: kari.auth)
        let sent = try await Self.send(server, kari, recipient: try recipient.decode(Recipient.self).id, amountMinor: 1_200_000, key: "ke-own")
        let transfer = try sent.decode(TransactionCreated.self).transaction
        #expect(transfer.status == .held)
        let officer = try await server.bearer(TransfersTests.kari)
        return (transfer.id, officer, try await server.userId(officer))
    }

    static func ownCaseRefusals(_ server: LiveServer, entityId: String) async throws -> [String?] {
        try await Self.auditRows(server, entityId: entityId).filter { $0.action == "officer.own_case_refused" }.map(\.actor)
    }

    @Test func anOfficerCannotReleaseTheirOwnHeldTransfer() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let (id, officer, kariId) = try await Self.officerWithHeldTransfer(server)

            let release = try await server.release(id, #"{"reason":"Mine, and fine."}"#, approvedBy: officer)
            #expect(release.status == 403 && release.errorCode == "OWN_CASE", "\(release.body)")
            #expect(release.apiError.message == "Another officer must decide on your own case.")
            let reject = try await server.call(.POST, "/v1/admin/transactions/\(id)/reject", #"{"reason":"Mine."}"#, auth: officer)
            #expect(reject.status == 403 && reject.errorCode == "OWN_CASE")
            let admin = try await server.bearer(Self.anders)
            #expect(try await Self.transaction(server, admin, id).status == .held)
            // Each attempt is audited under her, without anything personal.
            #expect(try await Self.ownCaseRefusals(server, entityId: id) == [kariId, kariId])

            // Another officer decides.
            let released = try await server.release(id, #"{"reason":"Family support, documented."}"#, approvedBy: admin)
            #expect(released.status == 200, "\(released.body)")
            #expect(try await Self.transaction(server, admin, id).status == .pendingSCA)
        }
    }

    /// A held payment to a business the officer owns is their case too: the money would be theirs.
    @Test func anOfficerCannotReleaseAHeldPaymentToTheirOwnBusiness() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let mona = try await server.registeredMona()
            let kari = try await MerchantsTests.payer(server)
            let sent = try await MerchantsTests.pay(server, kari.auth, key: "held-qr-own", MerchantsTests.staticBody(mona.code, amountMinor: 3_000_000, from: kari.accountId))
            let id = try sent.decode(TransactionCreated.self).transaction.id
            try await server.services.adminRoles.setAdmin(nationalId: LiveServer.mona, granted: true, operatorName: "t")
            let owner = try await server.bearer(LiveServer.mona)
            let release = try await server.release(id, #"{"reason":"A good customer."}"#, approvedBy: owner)
            #expect(release.status == 403 && release.errorCode == "OWN_CASE", "\(release.body)")
            #expect(try await Self.transaction(server, try await server.bearer(Self.anders), id).status == .held)
            let ownerId = try await server.userId(owner)
            #expect(try await Self.ownCaseRefusals(server, entityId: id) == [ownerId])

            // The payment's alert is about her business: not in her queue, unknown by its id, and not hers to dismiss.
            let admin = try await server.bearer(Self.anders)
            let alertId = try #require(try await Self.alerts(server, admin, "status=open").first { $0.transactionId == id }?.id)
            #expect(try await Self.alerts(server, owner, "status=open").allSatisfy { $0.id != alertId })
            #expect(try await server.get("/v1/admin/aml-alerts/\(alertId)", headers: [owner]).status == 404)
            let dismiss = try await server.call(.POST, "/v1/admin/aml-alerts/\(alertId)/dismiss", #"{"reason":"A good customer."}"#, auth: owner)
            #expect(dismiss.status == 404 && dismiss.errorCode == "NOT_FOUND", "\(dismiss.body)")
            #expect(try await Self.ownCaseRefusals(server, entityId: alertId) == [ownerId])
            #expect(try await Self.alerts(server, admin, "status=open").first { $0.id == alertId }?.status == .open)
            // Nor does the payment show her its alert count; Anders sees it.
            #expect(try await Self.transaction(server, owner, id).openAlertCount == nil)
            #expect(try await Self.transaction(server, admin, id).openAlertCount == 1)

            // The report Anders drafts from it is hers as little.
            let escalated = try await server.call(.POST, "/v1/admin/aml-alerts/\(alertId)/escalate", nil, auth: admin)
            let reportId = try escalated.decode(ComplianceAPI.Escalated.self).strReportId
            #expect(!(try await server.get("/v1/admin/str-reports?status=draft", headers: [owner]).body.contains(reportId)))
            #expect(try await server.get("/v1/admin/str-reports/\(reportId)", headers: [owner]).status == 404)
            #expect(try await server.call(.POST, "/v1/admin/str-reports/\(reportId)/file", nil, auth: owner).status == 404)
            #expect(try await Self.ownCaseRefusals(server, entityId: reportId) == [ownerId])

            // Nor can she draft a report of her own on it, naming its payer.
            let payerId = try await server.userId(kari.auth)
            let drafted = try await server.call(.POST, "/v1/admin/str-reports",
                                                #"{"userId":"\#(payerId)","transactionIds":["\#(id)"],"reason":"r"}"#, auth: owner)
            #expect(drafted.status == 403 && drafted.errorCode == "OWN_CASE", "\(drafted.body)")
            #expect(try await Self.ownCaseRefusals(server, entityId: id) == [ownerId, ownerId])
        }
    }

    @Test func anOfficerNeitherSeesNorDecidesAnAlertOrAReportAboutThemselves() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let (id, officer, kariId) = try await Self.officerWithHeldTransfer(server)
            let admin = try await server.bearer(Self.anders)
            let alertId = try #require(try await Self.alerts(server, admin, "userId=\(kariId)").first { $0.transactionId == id }?.id)

            // The queue leaves her own alert out, also when she asks for it; by its id it is unknown.
            #expect(try await Self.alerts(server, officer, "userId=\(kariId)").isEmpty)
            #expect(try await Self.alerts(server, officer, "status=open").allSatisfy { $0.userId != kariId })
            #expect(try await server.get("/v1/admin/aml-alerts/\(alertId)", headers: [officer]).status == 404)
            let dismiss = try await server.call(.POST, "/v1/admin/aml-alerts/\(alertId)/dismiss", #"{"reason":"Nothing to see."}"#, auth: officer)
            #expect(dismiss.status == 404 && dismiss.errorCode == "NOT_FOUND", "\(dismiss.body)")
            #expect(try await server.call(.POST, "/v1/admin/aml-alerts/\(alertId)/escalate", nil, auth: officer).status == 404)
            let fromAlert = try await server.call(.POST, "/v1/admin/str-reports", #"{"alertId":"\#(alertId)"}"#, auth: officer)
            #expect(fromAlert.status == 422 && fromAlert.issue("alertId") == "not_found")
            #expect(try await Self.alerts(server, admin, "userId=\(kariId)").first { $0.id == alertId }?.status == .open)

            // Her own record and her own transfers don't tell her either: no alert counts, risk or flags. Anders sees them.
            let ownRecord = try await server.get("/v1/admin/users/\(kariId)", headers: [officer])
            #expect(ownRecord.status == 200 && !ownRecord.body.contains("lertCount") && !ownRecord.body.contains("riskLevel")
                    && !ownRecord.body.contains("isPep") && !ownRecord.body.contains("isSanctioned"), "\(ownRecord.body)")
            let seen = try await server.get("/v1/admin/users/\(kariId)", headers: [admin]).decode(ComplianceAPI.Customer.self)
            #expect(seen.isPep == false && (seen.alertCount ?? 0) >= 1 && (seen.openAlertCount ?? 0) >= 1)
            let ownTransfers = try await server.get("/v1/admin/transactions?userId=\(kariId)", headers: [officer])
            #expect(ownTransfers.status == 200 && ownTransfers.body.contains(id) && !ownTransfers.body.contains("openAlertCount"), "\(ownTransfers.body)")
            #expect(try await Self.transaction(server, admin, id).openAlertCount == 1)

            // Anders reports her; she can't find the report, change it, file it or download it.
            let escalated = try await server.call(.POST, "/v1/admin/aml-alerts/\(alertId)/escalate", nil, auth: admin)
            #expect(escalated.status == 201, "\(escalated.body)")
            let reportId = try escalated.decode(ComplianceAPI.Escalated.self).strReportId
            for query in ["userId=\(kariId)", "status=draft", ""] {
                let reports = try await server.get("/v1/admin/str-reports?\(query)", headers: [officer])
                #expect(reports.status == 200 && !reports.body.contains(reportId), "\(query)")
            }
            for path in ["", "/goaml.xml", "/mt0002.json"] {
                #expect(try await server.get("/v1/admin/str-reports/\(reportId)\(path)", headers: [officer]).status == 404, "\(path)")
            }
            #expect(try await server.call(.PATCH, "/v1/admin/str-reports/\(reportId)", #"{"reason":"Mistake."}"#, auth: officer).status == 404)
            #expect(try await server.call(.POST, "/v1/admin/str-reports/\(reportId)/file", nil, auth: officer).status == 404)
            let own = try await server.call(.POST, "/v1/admin/str-reports", #"{"userId":"\#(kariId)","transactionIds":["\#(id)"],"reason":"r"}"#, auth: officer)
            #expect(own.status == 403 && own.errorCode == "OWN_CASE")
            // Anders sees the report as it was drafted.
            let drafts = try await server.get("/v1/admin/str-reports?userId=\(kariId)", headers: [admin]).decode(ComplianceAPI.Page<ComplianceAPI.Report>.self)
            #expect(drafts.items.map(\.id) == [reportId])
            #expect(try await Self.report(server, admin, reportId).status == .draft)
            #expect(try await Self.ownCaseRefusals(server, entityId: alertId) == [kariId, kariId, kariId])
            #expect(try await Self.ownCaseRefusals(server, entityId: reportId) == [kariId, kariId])

            // Nor does the audit log, which lists every alert and report by id: the rows about her record, her
            // transfer, the alert and the report are left out for her. Anders reads them all.
            for entity in [alertId, reportId, id, kariId] {
                let hers = try await server.get("/v1/admin/audit-log?entityId=\(entity)", headers: [officer])
                #expect(hers.status == 200 && !hers.body.contains(#""entityId":"\#(entity)""#), "\(hers.body)")
                #expect(try await server.get("/v1/admin/audit-log?entityId=\(entity)", headers: [admin]).body.contains(#""entityId":"\#(entity)""#))
            }
            let raised = try await server.get("/v1/admin/audit-log?action=aml_alert.raised", headers: [officer])
            #expect(raised.status == 200 && !raised.body.contains(alertId))
        }
    }

    @Test func anOfficerCannotAnswerTheirOwnComplaint() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let (id, officer, kariId) = try await Self.officerWithHeldTransfer(server)
            let filed = try await server.call(.POST, "/v1/complaints", #"""
                {"subject":"Held payment","description":"My payment to Kenya has been held for too long.","transactionId":"\#(id)"}
                """#, auth: officer)
            let complaintId = try filed.decode(Complaint.self).id
            let answer = try await server.call(.POST, "/v1/admin/complaints/\(complaintId)/answer",
                                               #"{"status":"resolved","resolution":"All good."}"#, auth: officer)
            #expect(answer.status == 403 && answer.errorCode == "OWN_CASE", "\(answer.body)")
            #expect(try await Self.ownCaseRefusals(server, entityId: complaintId) == [kariId])
            let anders = try await server.bearer(Self.anders)
            #expect(try await server.call(.POST, "/v1/admin/complaints/\(complaintId)/answer",
                                          #"{"status":"in_progress"}"#, auth: anders).status == 200)
        }
    }

    /// Kari's remittance settled and was paid out, then her bank refused it: operations' alert is about her
    /// transfer. Resolving it closes it for good (it is never raised again), so it is hers to decide as little
    /// as her held transfer is. An operations alert is no secret from its subject: she sees it, and is told why.
    @Test func anOfficerCannotResolveAnOperationsAlertAboutTheirOwnTransfer() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let created = try await TransfersTests.send(server, kari, key: "own-refused-late", body: MoneyIntegrityTests.transferBody(kari))
            let answer = try created.decode(TransactionCreated.self)
            let id = answer.transaction.id
            _ = try await server.approveAtBank(try #require(answer.scaRedirect).absoluteString, as: TransfersTests.kari)
            try await server.eventually("the bank's settlement") { try await MoneyIntegrityTests.row(server, id).fundsReceivedAt != nil }
            let paymentId = try #require(try await MoneyIntegrityTests.row(server, id).paymentId)
            _ = try await server.services.paymentStatus.apply(eventId: "evt-own-rjct", paymentId: paymentId, code: .rejected,
                                                              rawBodyHash: "own-rjct", source: "open-banking")
            let open = { try await server.services.database.withConnection { try await OperationsAlertRepository.open(on: $0) } }
            let alertId = try #require(try await open().first { $0.kind == .reconciliationMismatch && $0.entityId == id }?.id)

            try await server.services.adminRoles.setAdmin(nationalId: TransfersTests.kari, granted: true, operatorName: "t")
            let officer = try await server.bearer(TransfersTests.kari, stepUp: true)
            let kariId = try await server.userId(officer)
            let path = "/v1/admin/reconciliation/alerts/\(alertId)/resolve"
            let refused = try await server.call(.POST, path, #"{"reason":"My bank says it stands."}"#, auth: officer)
            #expect(refused.status == 403 && refused.errorCode == "OWN_CASE", "\(refused.body)")
            let seen = try await server.get("/v1/admin/reconciliation", headers: [officer]).decode(OperationsAlertResolutionTests.Report.self)
            #expect(seen.alerts.contains { $0.id == alertId })
            #expect(try await open().contains { $0.id == alertId })
            #expect(try await Self.ownCaseRefusals(server, entityId: alertId) == [kariId])

            // The console refuses it as a page too.
            let signedIn = try await server.signInWeb(TransfersTests.kari)
            let console = WebProfileTests.Browser(server: server, cookie: ("cookie", "drop_token=\(try #require(signedIn.cookie("drop_token")))"),
                                                  origin: ("origin", server.baseURL))
            let page = try await console.post("/admin/reconciliation/alerts/\(alertId)/resolve", [("reason", "Mine.")], from: "/admin/reconciliation")
            #expect(page.status == 403 && page.body.contains("Dette er din egen sak"), "\(page.status)")
            #expect(try await open().contains { $0.id == alertId })

            // Another officer resolves it.
            let admin = try await server.bearer(Self.anders, stepUp: true)
            let resolved = try await server.call(.POST, path, #"{"reason":"The bank confirmed the payment stands."}"#, auth: admin)
            #expect(resolved.status == 204, "\(resolved.body)")
        }
    }

    /// Closing a business frees its organisation number: an officer neither closes their own business nor one
    /// whose number they tried to register as theirs (`organisation_already_registered` names them).
    @Test func anOfficerCannotCloseTheirOwnBusinessNorOneWhoseNumberTheyClaimed() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let mona = try await server.registeredMona()
            let cafe = try await server.get("/v1/merchants/me", headers: [mona.auth]).decode(DropKit.Merchant.self)
            let path = "/v1/admin/merchants/\(cafe.id)/close"
            try await server.services.adminRoles.setAdmin(nationalId: LiveServer.mona, granted: true, operatorName: "t")
            let owner = try await server.bearer(LiveServer.mona, stepUp: true)
            let own = try await server.call(.POST, path, #"{"reason":"Closing down."}"#, auth: owner)
            #expect(own.status == 403 && own.errorCode == "OWN_CASE", "\(own.body)")
            #expect(try await Self.ownCaseRefusals(server, entityId: cafe.id) == [try await server.userId(owner)])

            let olaNumber = "01078510133"
            let ola = try await server.verifiedOwner(olaNumber)
            let claimed = try await server.postJSON("/v1/merchants", MerchantsTests.kiosk("923456783", settlingTo: ola.accountId), headers: [ola.auth])
            #expect(claimed.errorCode == "ORGANISATION_ALREADY_REGISTERED")
            try await server.services.adminRoles.setAdmin(nationalId: olaNumber, granted: true, operatorName: "t")
            let claimant = try await server.bearer(olaNumber, stepUp: true)
            let theirs = try await server.call(.POST, path, #"{"reason":"brreg.no: I run it."}"#, auth: claimant)
            #expect(theirs.status == 403 && theirs.errorCode == "OWN_CASE", "\(theirs.body)")
            let alertId = try #require(try await MerchantsTests.organisationAlerts(server).first?.id)
            let resolve = try await server.call(.POST, "/v1/admin/reconciliation/alerts/\(alertId)/resolve", #"{"reason":"Mine."}"#, auth: claimant)
            #expect(resolve.status == 403 && resolve.errorCode == "OWN_CASE", "\(resolve.body)")
            #expect(try await server.get("/v1/merchants/\(mona.code)").status == 200)

            // Another officer decides.
            let admin = try await server.bearer(Self.anders, stepUp: true)
            #expect(try await server.call(.POST, path, #"{"reason":"brreg.no: Ola Nordmann is daglig leder."}"#, auth: admin).status == 200)
        }
    }

    /// The console refuses her decision on her own held transfer as a page, with the form kept.
    @Test func theConsoleRefusesAnOfficersOwnCaseAsAPage() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let (id, _, kariId) = try await Self.officerWithHeldTransfer(server)
            let signedIn = try await server.signInWeb(TransfersTests.kari)
            let console = WebProfileTests.Browser(server: server, cookie: ("cookie", "drop_token=\(try #require(signedIn.cookie("drop_token")))"),
                                                  origin: ("origin", server.baseURL))
            let page = "/admin/held/\(id)"
            let refused = try await console.post("\(page)/propose-release", [("reason", "Mine, and fine.")], from: page)
            #expect(refused.status == 403 && refused.body.contains("Dette er din egen sak"), "\(refused.status)")
            #expect(refused.body.contains("Mine, and fine.") && refused.body.contains(#"action="\#(page)/propose-release""#))
            #expect(try await Self.ownCaseRefusals(server, entityId: id) == [kariId])
            // Alerts about her are not in her queue.
            let admin = try await server.bearer(Self.anders)
            let alertId = try #require(try await Self.alerts(server, admin, "userId=\(kariId)").first?.id)
            #expect(!(try await server.get("/admin/alerts", headers: [console.cookie]).body.contains(alertId)))
            #expect(try await server.get("/admin/alerts/\(alertId)", headers: [console.cookie]).status == 404)
            // Nor does her transfer's page count them.
            let held = try await server.get(page, headers: [console.cookie])
            #expect(held.status == 200 && !held.body.contains(#"<a href="/admin/alerts?status=open">"#), "\(held.status)")
        }
    }
}
