import DropCore
import DropKit
import Foundation
import SQLKit
import Testing
@testable import DropAPI
@testable import DropWeb

/// The compliance console (`/admin`): an officer works a PEP alert in the browser from the queue to a
/// filed suspicious transaction report, decisions need a fresh BankID sign-in, and nobody else gets in.
@Suite("Web compliance console: the alert queue, dismiss or escalate, a report from draft to filed, step-up")
struct WebComplianceTests {
    static let anders = ComplianceAdminTests.anders

    /// Per Politiker's first transfer raises a PEP alert; its id.
    static func pepAlert(_ server: LiveServer) async throws -> String {
        let sender = try await ComplianceAdminTests.perReadyToSend(server)
        #expect(try await ComplianceAdminTests.send(server, sender, amountMinor: 50_000, key: "pep-web").status == 201)
        let admin = try await server.bearer(Self.anders)
        let alerts = try await ComplianceAdminTests.alerts(server, admin, "rule=pep&status=open")
        return try #require(alerts.first?.id)
    }

    static func officer(_ server: LiveServer, _ nationalId: String = anders) async throws -> WebProfileTests.Browser {
        let signedIn = try await server.signInWeb(nationalId)
        let token = try #require(signedIn.cookie("drop_token"))
        return WebProfileTests.Browser(server: server, cookie: ("cookie", "drop_token=\(token)"), origin: ("origin", server.baseURL))
    }

    @Test func anOfficerWorksAnAlertToAFiledReport() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let alertId = try await Self.pepAlert(server)
            let officer = try await Self.officer(server)

            // The queue lists the open alert; the header offers the console to admins.
            let queue = try await server.get("/admin/alerts", headers: [officer.cookie])
            #expect(queue.status == 200 && queue.body.contains(#"href="/admin/alerts/\#(alertId)""#) && queue.body.contains("<code>pep</code>"))
            #expect(queue.body.contains(#"<a href="/admin">Etterlevelse</a>"#))
            #expect(try await server.get("/admin", headers: [officer.cookie]).location == "/admin/alerts")

            let page = "/admin/alerts/\(alertId)"
            let alert = try await server.get(page, headers: [officer.cookie])
            #expect(alert.status == 200 && alert.body.contains("Hva reglene så") && alert.body.contains(#"action="\#(page)/dismiss""#))

            // Dismissing needs a reason: the form comes back with the error at the field and in the summary.
            let noReason = try await officer.post("\(page)/dismiss", [("reason", "  ")], from: page)
            #expect(noReason.status == 422 && noReason.body.contains(#"id="dismiss-reason-error""#) && noReason.body.contains("Skriv en begrunnelse."))
            #expect(noReason.body.contains("<title>Feil:"))

            // Escalating drafts a report and goes to it.
            let escalated = try await officer.post("\(page)/escalate", [("reason", "Politically exposed, unusual first transfer")], from: page)
            #expect(escalated.status == 303)
            let reportPath = try #require(escalated.location)
            #expect(reportPath.hasPrefix("/admin/reports/"))
            let reportId = String(reportPath.dropFirst("/admin/reports/".count))
            let draft = try await server.get(reportPath, headers: [officer.cookie])
            #expect(draft.status == 200 && draft.body.contains("Utkast") && draft.body.contains("Politically exposed, unusual first transfer"))
            #expect(draft.body.contains(#"href="/v1/admin/str-reports/\#(reportId)/goaml.xml""#))

            // The alert is decided now: a second decision is refused at the top of the page.
            let again = try await officer.post("\(page)/dismiss", [("reason", "No")], from: reportPath)
            #expect(again.status == 409 && again.body.contains("Noen har allerede avgjort dette."))

            // The officer edits the draft, then files it with Økokrim's reference.
            let saved = try await officer.post(reportPath, [("reason", "PEP with an unusual first transfer to Poland"), ("action", "Enhanced due diligence")],
                                               from: reportPath)
            #expect(saved.location == "\(reportPath)?saved=1")
            let edited = try await server.get("\(reportPath)?saved=1", headers: [officer.cookie])
            #expect(edited.body.contains("Lagret.") && edited.body.contains("Enhanced due diligence"))
            #expect(try await officer.post("\(reportPath)/file", [("fiuReference", "OKO-2026-0042")], from: reportPath).location == reportPath)
            let filed = try await server.get(reportPath, headers: [officer.cookie])
            #expect(filed.body.contains("referanse OKO-2026-0042") && !filed.body.contains(#"action="\#(reportPath)/file""#))
            #expect(try await server.get("/admin/reports?status=filed", headers: [officer.cookie]).body.contains(reportPath))

            // The download is the goAML document with the officer's words.
            let xml = try await server.get("/v1/admin/str-reports/\(reportId)/goaml.xml", headers: [officer.cookie])
            #expect(xml.status == 200 && xml.body.contains("PEP with an unusual first transfer to Poland"))
            // Neither file is kept by the browser: Back after the officer signs out asks Drop again.
            let form = try await server.get("/v1/admin/str-reports/\(reportId)/mt0002.json", headers: [officer.cookie])
            #expect(form.status == 200 && form.body.contains("PEP with an unusual first transfer to Poland"))
            for file in [xml, form] { #expect(file.headers["cache-control"] == ["private, no-store"]) }
            // A filed report stays as filed.
            let late = try await officer.post(reportPath, [("reason", "changed"), ("action", "")], from: "/profile")
            #expect(late.status == 409 && late.body.contains("En innsendt rapport kan ikke endres."))

            // Every decision is in the audit log under the officer.
            let actions = try await ComplianceAdminTests.auditRows(server, entityId: alertId).map(\.action)
            #expect(actions.contains("aml_alert.escalated"))
        }
    }

    /// Kari's large transfers to new recipients in Kenya are held; the officer releases one to her bank
    /// and rejects the other, which needs a reason. The audit page checks the chain.
    @Test func anOfficerReleasesOneHeldTransferAndRejectsAnother() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            var held: [String] = []
            for (number, name) in [("0123456789012", "Wanjiru"), ("0987654321098", "Achieng")] {
                let recipient = try await server.call(.POST, "/v1/recipients", ComplianceAdminTests.kenya
                    .replacingOccurrences(of: "0123456789012", with: number).replacingOccurrences(of: "Wanjiru", with: name), auth: kari.auth)
                let sent = try await ComplianceAdminTests.send(server, kari, recipient: try recipient.decode(Recipient.self).id,
                                                               amountMinor: 1_200_000, key: "ke-\(name)")
                let transaction = try sent.decode(TransactionCreated.self).transaction
                #expect(transaction.status == .held)
                held.append(transaction.id)
            }
            let officer = try await Self.officer(server)
            let queue = try await server.get("/admin/held", headers: [officer.cookie])
            #expect(queue.status == 200 && held.allSatisfy { queue.body.contains(#"href="/admin/held/\#($0)""#) } && queue.body.contains("Kenya"))

            let release = "/admin/held/\(held[0])"
            let page = try await server.get(release, headers: [officer.cookie])
            // Releasing takes two officers (ADR 0032): Anders proposes, and waits.
            #expect(page.body.contains(#"action="\#(release)/propose-release""#) && page.body.contains(#"action="\#(release)/reject""#))
            #expect(!page.body.contains(#"action="\#(release)/release""#))
            #expect(try await officer.post("\(release)/propose-release", [("reason", "Known family recipient")], from: release).location == release)
            let waiting = try await server.get(release, headers: [officer.cookie])
            #expect(waiting.body.contains(#"id="waiting""#) && waiting.body.contains(#"action="\#(release)/withdraw-release""#))
            #expect(!waiting.body.contains(#"action="\#(release)/release""#))
            // His own approval, from the page he had open, is refused as a page.
            let alone = try await officer.post("\(release)/release", [("reason", "")], from: release)
            #expect(alone.status == 403 && alone.body.contains("en annen saksbehandler må godkjenne"), "\(alone.status)")
            let admin = try await server.bearer(Self.anders)
            #expect(try await server.get("/v1/admin/transactions/\(held[0])", headers: [admin]).decode(ComplianceAPI.Transaction.self).status == .held)
            // Berit sees who proposed it and why, and approves.
            let second = try await Self.officer(server, LiveServer.secondOfficer)
            let proposed = try await server.get(release, headers: [second.cookie])
            #expect(proposed.body.contains("Known family recipient") && proposed.body.contains(#"action="\#(release)/release""#))
            #expect(!proposed.body.contains(#"id="waiting""#))
            #expect(try await second.post("\(release)/release", [("reason", "")], from: release).location == "/admin/held?released=1")
            #expect(try await server.get("/v1/admin/transactions/\(held[0])", headers: [admin]).decode(ComplianceAPI.Transaction.self).status == .pendingSCA)

            let reject = "/admin/held/\(held[1])"
            let noReason = try await officer.post("\(reject)/reject", [("reason", "")], from: reject)
            #expect(noReason.status == 422 && noReason.body.contains(#"id="reject-reason-error""#))
            #expect(try await officer.post("\(reject)/reject", [("reason", "Could not confirm the purpose")], from: reject).location == "/admin/held?rejected=1")
            #expect(try await server.get("/v1/admin/transactions/\(held[1])", headers: [admin]).decode(ComplianceAPI.Transaction.self).status == .failed)
            let after = try await server.get("/admin/held?rejected=1", headers: [officer.cookie])
            #expect(after.body.contains("Overføringen er avvist.") && !after.body.contains(held[1]))

            let audit = try await server.get("/admin/audit", headers: [officer.cookie])
            #expect(audit.status == 200 && audit.body.contains(#"id="audit-result""#) && audit.body.contains("Kjeden er hel"))
            #expect(audit.body.contains(#"<table id="audit-entries">"#))

            // The console shows what the API's log holds for the rejected transfer: each action, and who took it.
            let logged = try await server.get("/v1/admin/audit-log?entityId=\(held[1])", headers: [admin])
                .decode(ComplianceAPI.Page<ComplianceAPI.AuditEntry>.self).items
            let andersId = try await server.get("/v1/me", headers: [admin]).decode(DropKit.User.self).id
            let rejection = try #require(logged.first { $0.actorId == andersId })
            let rows = try await server.get("/admin/audit?entityType=transaction&entityId=\(held[1])", headers: [officer.cookie])
            let seq = rejection.seq
            let actions = logged.map(\.action)
            #expect(rows.status == 200 && rows.body.contains(#"id="audit-\#(seq)""#))
            #expect(!actions.isEmpty && actions.allSatisfy { rows.body.contains("<code>\($0)</code>") })
            // The reason stays on the transfer: the log is never erased, so it holds no words that might name a person.
            #expect(rows.body.contains(#"href="/admin/audit?actor=\#(andersId)""#) && !rows.body.contains("Could not confirm the purpose"))
            let nothing = try await server.get("/admin/audit?entityId=no-such-record", headers: [officer.cookie])
            #expect(nothing.status == 200 && nothing.body.contains("Ingen hendelser passer."))
        }
    }

    /// The officer looks a customer up by name and by national identity number (never echoed back), and
    /// answers a complaint; an answer without its text is refused at the field.
    @Test func anOfficerLooksUpACustomerAndAnswersAComplaint() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            _ = try await Self.pepAlert(server)
            let officer = try await Self.officer(server)
            let byName = try await server.get("/admin/customers?name=Politiker", headers: [officer.cookie])
            #expect(byName.status == 200 && byName.body.contains("Per Politiker") && byName.body.contains("PEP"))
            #expect(byName.body.contains("/admin/alerts?status=open&amp;userId="))
            // The number is posted, never put in the URL.
            #expect(byName.body.contains(#"<form method="post" action="/admin/customers""#))
            let byNumber = try await officer.post("/admin/customers", [("name", ""), ("nationalId", ComplianceAdminTests.per)], from: "/admin/customers")
            #expect(byNumber.status == 200 && byNumber.body.contains("Per Politiker") && !byNumber.body.contains(ComplianceAdminTests.per))
            let invalid = try await officer.post("/admin/customers", [("nationalId", "12345678901")], from: "/admin/customers")
            #expect(invalid.status == 422 && invalid.body.contains(#"id="nationalId-error""#) && !invalid.body.contains("12345678901"))

            let kari = try await server.bearer(TransfersTests.kari)
            let filed = try await server.call(.POST, "/v1/complaints", #"{"subject":"Slow transfer","description":"The money took a week to arrive."}"#, auth: kari)
            let id = try filed.decode(Complaint.self).id
            let queue = try await server.get("/admin/complaints", headers: [officer.cookie])
            #expect(queue.body.contains("Slow transfer") && queue.body.contains(#"action="/admin/complaints/\#(id)/answer""#))
            let empty = try await officer.post("/admin/complaints/\(id)/answer", [("status", "resolved"), ("resolution", "")], from: "/admin/complaints")
            #expect(empty.status == 422 && empty.body.contains(#"id="resolution-\#(id)-error""#))
            let answered = try await officer.post("/admin/complaints/\(id)/answer", [("status", "resolved"), ("resolution", "We found the delay and refunded the fee.")],
                                                  from: "/admin/complaints")
            #expect(answered.location == "/admin/complaints?answered=1")
            let after = try await server.get("/admin/complaints?answered=1", headers: [officer.cookie])
            #expect(after.body.contains("Svaret er lagret") && !after.body.contains("Slow transfer"))
            #expect(try await server.get("/v1/complaints/\(id)", headers: [kari]).decode(Complaint.self).status == .resolved)
        }
    }

    /// A transfer marked completed behind the state machine's back, with no NOK received and no payout,
    /// is a finding on the reconciliation page; a healthy system shows none. (A state no job repairs, so
    /// the page is what shows it whatever the worker does meanwhile.)
    @Test func theReconciliationPageShowsWhatBreaksTheMoneyFlow() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let officer = try await Self.officer(server)
            let healthy = try await server.get("/admin/reconciliation", headers: [officer.cookie])
            #expect(healthy.status == 200 && healthy.body.contains(#"id="reconciliation-result""#) && healthy.body.contains("Ingen avvik."))

            let kari = try await TransfersTests.sender(server)
            let sent = try await TransfersTests.send(server, kari, key: "broken",
                                                     body: #"{"recipientId":"\#(kari.recipientId)","amountMinor":50000,"bankAccountId":"\#(kari.accountId)"}"#)
            let id = try sent.decode(TransactionCreated.self).transaction.id
            try await server.services.database.withConnection { db in
                try await db.raw("UPDATE transactions SET status = 'completed', completed_at = updated_at WHERE id = \(bind: id)").run()
            }
            let broken = try await server.get("/admin/reconciliation", headers: [officer.cookie])
            #expect(broken.body.contains("<code>completed_without_payout</code>") && broken.body.contains("<code>\(id)</code>"), "\(broken.body)")
            #expect(!broken.body.contains("Ingen avvik."))
        }
    }

    @Test func decisionsOnAnOldSignInGoToBankIDFirst() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let alertId = try await Self.pepAlert(server)
            let officer = try await Self.officer(server)
            let page = "/admin/alerts/\(alertId)"
            let csrf = try await officer.csrf(page)
            server.clock.advance(Double(server.services.config.adminStepUp.maxAge + 60))

            // Reading still works; deciding sends the officer to BankID and back to the alert.
            #expect(try await server.get(page, headers: [officer.cookie]).status == 200)
            let refused = try await server.postForm("\(page)/dismiss", [("csrf", csrf), ("reason", "Known customer")],
                                                    headers: [officer.cookie, officer.origin, ("referer", server.baseURL + page)])
            #expect(refused.status == 303)
            // Through a page of Drop's, which goes on to BankID: a form's redirect may not (CSP `form-action 'self'`).
            #expect(refused.location == "/step-up?redirect=\(page)")
            let handOff = try await server.get(try #require(refused.location), headers: [officer.cookie])
            let start = try #require(server.handOff(handOff))
            #expect(start == "/v1/auth/bankid/start?step_up=true&redirect=\(page)")
            let (back, browser) = try await server.approveAtBankID(startURL: start, nationalId: Self.anders)
            // Signed in afresh (Anders has no onboarding done, so he is asked for that first).
            let callback = try await server.get(try #require(back.location), headers: browser)
            #expect(callback.status == 302 && callback.cookie("drop_token") != nil && callback.location == "/onboarding")
            let admin = try await server.bearer(Self.anders, stepUp: true)
            let still = try await server.get("/v1/admin/aml-alerts/\(alertId)", headers: [admin]).decode(ComplianceAPI.Alert.self)
            #expect(still.status == .open)
            let refusals = try await server.services.database.withConnection { db in
                try await db.raw("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'admin.step_up_required'").first()?.decode(column: "n", as: Int.self)
            }
            #expect(refusals == 1, "the refusal is audited")
        }
    }

    @Test func nobodyButAnAdminGetsIn() async throws {
        try await LiveServer.run { server in
            let anonymous = try await server.get("/admin/alerts")
            #expect(anonymous.status == 303 && anonymous.location == "/login?redirect=/admin/alerts")
            let kari = try await WebProfileTests.signIn(server)
            for path in ["/admin", "/admin/alerts", "/admin/reports", "/admin/alerts/x", "/admin/held", "/admin/audit", "/admin/customers", "/admin/complaints", "/admin/reconciliation"] {
                let refused = try await server.get(path, headers: [kari.cookie])
                #expect(refused.status == 403, "\(path)")
            }
            let post = try await kari.post("/admin/alerts/x/dismiss", [("reason", "x")], from: "/profile")
            #expect(post.status == 403)
            #expect(!(try await server.get("/dashboard", headers: [kari.cookie]).body.contains(#"href="/admin""#)))
        }
    }
}
