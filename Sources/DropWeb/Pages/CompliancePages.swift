import DropAPI
import DropCore
import DropHTML
import DropStore
import Foundation

/// The compliance console (`/admin`): the AML alert queue, one alert with its decisions, and the
/// suspicious transaction reports from draft to filed. Server-rendered over the same services as
/// `/v1/admin`; every decision is audited there, and the console's POSTs ask for a fresh BankID
/// sign-in first (`StepUp`, in `AdmissionMiddleware`).
enum CompliancePages {
    /// The console's own menu, above every console page.
    static func menu(_ strings: Strings, current: String) -> HTML {
        let items = [("/admin/alerts", "admin.alerts.title"), ("/admin/reports", "admin.reports.title"), ("/admin/held", "admin.held.title"),
                     ("/admin/customers", "admin.customers.title"), ("/admin/complaints", "admin.complaints.title"),
                     ("/admin/reconciliation", "admin.reconciliation.title"), ("/admin/audit", "admin.audit.title")].map { item -> HTML in
            #"<li><a href="\#(item.0)"\#(item.0 == current ? #" aria-current="page""# : "")>\#(strings[item.1])</a></li>"#
        }
        return #"<nav class="quick" aria-label="\#(strings["admin.nav"])"><ul>\#(items.joined())</ul></nav>"#
    }

    /// Links to the same list in each status; the current one is marked.
    static func filters(_ path: String, _ statuses: [String], current: String, _ strings: Strings) -> HTML {
        let links = statuses.map { status -> HTML in
            #"<li><a href="\#(path)?status=\#(status)"\#(status == current ? #" aria-current="true""# : "")>\#(strings["admin.status.\(status)"])</a></li>"#
        }
        return #"<nav class="quick" aria-label="\#(strings["admin.col.status"])"><ul>\#(links.joined())</ul></nav>"#
    }

    static func stepUpNote(_ strings: Strings, maxAge: Int) -> HTML {
        #"<p class="hint">\#(strings.format("admin.stepup", ["minutes": "\(max(1, maxAge / 60))"]))</p>"#
    }

    /// The first eight characters of an id: enough to tell rows apart on screen; the full id is on the detail page.
    static func short(_ id: String) -> String { String(id.prefix(8)) }

    /// One decision as its own card: a reason (`<name>-reason`, with its error) and the button that posts it.
    static func decision(_ viewer: Viewer, _ action: String, name: String, title: String, label: String, style: String,
                         input: [String: String], errors: [String: String]) -> HTML {
        let strings = viewer.strings
        return """
        <section class="card" aria-labelledby="\(name)">
        <h2 id="\(name)">\(strings[title])</h2>
        <form method="post" action="\(action)" novalidate>\(Field.csrf(viewer.csrfToken))
        \(Field.textarea(id: "\(name)-reason", name: "reason", label: strings[label], value: input["\(name)-reason"], error: errors["\(name)-reason"]))
        <button class="\(style)" type="submit">\(strings[title])</button>
        </form></section>
        """
    }

    // MARK: Alerts

    static func alerts(_ viewer: Viewer, _ page: Page<AMLAlertView>, status: AMLAlertStatus) -> HTML {
        let strings = viewer.strings
        let rows = page.items.map { alert -> HTML in
            """
            <tr><td>\(WebDates.element(alert.createdAt, strings))</td>
            <td><code>\(alert.rule)</code></td><td>\(alert.score)</td><td><code>\(short(alert.userId))</code></td>
            <td><a href="/admin/alerts/\(alert.id)">\(strings["admin.open"])<span class="sr-only"> \(alert.rule)</span></a></td></tr>
            """
        }
        let table: HTML = rows.isEmpty ? #"<p>\#(strings["admin.alerts.none"])</p>"# : """
            <div class="table-scroll" role="region" aria-label="\(strings["admin.alerts.title"])" tabindex="0"><table id="alerts"><thead><tr><th scope="col">\(strings["admin.col.created"])</th><th scope="col">\(strings["admin.col.rule"])</th>
            <th scope="col">\(strings["admin.col.score"])</th><th scope="col">\(strings["admin.col.customer"])</th><th scope="col"><span class="sr-only">\(strings["admin.open"])</span></th></tr></thead>
            <tbody>\(rows.joined(separator: "\n"))</tbody></table></div>
            """
        let more: HTML = page.nextCursor.map { cursor -> HTML in
            #"<p><a href="/admin/alerts?status=\#(status.rawValue)&amp;cursor=\#(cursor)">\#(strings["tx.more"])</a></p>"#
        } ?? ""
        return viewer.page("admin.alerts.title", """
        \(menu(strings, current: "/admin/alerts"))
        <h1>\(strings["admin.alerts.title"])</h1>
        <p>\(strings["admin.alerts.lead"])</p>
        \(filters("/admin/alerts", AMLAlertStatus.allCases.map(\.rawValue), current: status.rawValue, strings))
        <section class="card">\(table)\(more)</section>
        """)
    }

    static func alert(_ viewer: Viewer, _ alert: AMLAlertView, stepUpMaxAge: Int, input: [String: String] = [:],
                      errors: [String: String] = [:]) -> HTML {
        let strings = viewer.strings
        let findings = alert.findings.map { finding -> HTML in
            // The pattern's earlier transfers, which may be an erased account's: not found under the customer.
            let transfers: HTML = finding.transactionIds.isEmpty ? ""
                : " " + finding.transactionIds.map { id -> HTML in #"<code>\#(id)</code>"# }.joined(separator: ", ")
            return #"<li><code>\#(finding.rule)</code> (\#(finding.score)): \#(finding.reason)\#(transfers)</li>"#
        }
        let resolved: HTML = alert.resolvedAt.map { at -> HTML in
            let text = strings.format("admin.alert.resolved", ["date": WebDates.format(at, strings), "who": short(alert.resolvedBy ?? ""),
                                                               "reason": alert.resolutionReason ?? "–"])
            return #"<p class="notice">\#(text)</p>"#
        } ?? ""
        let reports: HTML = alert.strReportIds.isEmpty ? "" : """
            <h2>\(strings["admin.alert.reports"])</h2><ul>\(alert.strReportIds.map { id -> HTML in #"<li><a href="/admin/reports/\#(id)">\#(strings["admin.report.title"]) \#(short(id))</a></li>"# }.joined())</ul>
            """
        let decisions: HTML = alert.status != .open ? "" : """
            \(decision(viewer, "/admin/alerts/\(alert.id)/dismiss", name: "dismiss", title: "admin.alert.dismiss", label: "admin.alert.dismiss.reason",
                       style: "button", input: input, errors: errors))
            \(decision(viewer, "/admin/alerts/\(alert.id)/escalate", name: "escalate", title: "admin.alert.escalate", label: "admin.alert.escalate.reason",
                       style: "button primary", input: input, errors: errors))
            \(stepUpNote(strings, maxAge: stepUpMaxAge))
            """
        let title = "\(strings["admin.alert.title"]) \(alert.rule)"
        return Layout.page(title: title, strings: strings, navigation: viewer.navigation, main: """
        \(menu(strings, current: ""))
        <h1>\(title)</h1>
        \(Field.alert(errors["form"]))
        <section class="card">
        \(DetailList.render([
            (strings["admin.col.status"], "\(strings["admin.status.\(alert.status.rawValue)"])"),
            (strings["admin.col.score"], "\(alert.score)"),
            (strings["admin.col.created"], "\(WebDates.format(alert.createdAt, strings))"),
            (strings["admin.col.customer"], #"<code>\#(alert.userId)</code>"#),
            (strings["admin.alert.transfer"], alert.transactionId.map { id -> HTML in #"<code>\#(id)</code>"# } ?? "–"),
        ]))
        <h2>\(strings["admin.alert.findings"])</h2>
        <ul>\(findings.joined())</ul>
        \(resolved)
        \(reports)
        </section>
        \(decisions)
        """, errors: errors)
    }

    // MARK: Reports

    static func reports(_ viewer: Viewer, _ page: Page<STRReportView>, status: STRReportStatus) -> HTML {
        let strings = viewer.strings
        let rows = page.items.map { report -> HTML in
            """
            <tr><td>\(WebDates.element(report.createdAt, strings))</td>
            <td><code>\(short(report.userId))</code></td><td>\(report.transactionIds.count)</td>
            <td><a href="/admin/reports/\(report.id)">\(strings["admin.open"])<span class="sr-only"> \(short(report.id))</span></a></td></tr>
            """
        }
        let table: HTML = rows.isEmpty ? #"<p>\#(strings["admin.reports.none"])</p>"# : """
            <div class="table-scroll" role="region" aria-label="\(strings["admin.reports.title"])" tabindex="0"><table id="reports"><thead><tr><th scope="col">\(strings["admin.col.created"])</th><th scope="col">\(strings["admin.col.customer"])</th>
            <th scope="col">\(strings["admin.report.transactions"])</th><th scope="col"><span class="sr-only">\(strings["admin.open"])</span></th></tr></thead>
            <tbody>\(rows.joined(separator: "\n"))</tbody></table></div>
            """
        return viewer.page("admin.reports.title", """
        \(menu(strings, current: "/admin/reports"))
        <h1>\(strings["admin.reports.title"])</h1>
        \(filters("/admin/reports", STRReportStatus.allCases.map(\.rawValue), current: status.rawValue, strings))
        <section class="card">\(table)</section>
        """)
    }

    static func report(_ viewer: Viewer, _ report: STRReportView, stepUpMaxAge: Int, notice: String? = nil, input: [String: String] = [:],
                       errors: [String: String] = [:]) -> HTML {
        let strings = viewer.strings
        let filed: HTML = report.filedAt.map { at -> HTML in
            #"<p class="notice">\#(strings.format("admin.report.filed", ["date": WebDates.format(at, strings), "reference": report.fiuReference ?? "–"]))</p>"#
        } ?? ""
        let draft: HTML = report.status != .draft ? """
            <section class="card"><h2>\(strings["admin.report.reason"])</h2><p>\(report.reason)</p>
            <h2>\(strings["admin.report.action"])</h2><p>\(report.action.isEmpty ? "–" : report.action)</p></section>
            """ : """
            <section class="card" aria-labelledby="draft">
            <h2 id="draft">\(strings["admin.report.title"])</h2>
            <form method="post" action="/admin/reports/\(report.id)" novalidate>\(Field.csrf(viewer.csrfToken))
            \(Field.textarea(id: "reason", name: "reason", label: strings["admin.report.reason"], value: input["reason"] ?? report.reason, error: errors["reason"], rows: 6))
            \(Field.textarea(id: "action", name: "action", label: strings["admin.report.action"], value: input["action"] ?? report.action, error: errors["action"], rows: 3))
            <button class="button" type="submit">\(strings["admin.report.save"])</button>
            </form></section>
            <section class="card" aria-labelledby="file">
            <h2 id="file">\(strings["admin.report.file"])</h2>
            <form method="post" action="/admin/reports/\(report.id)/file" novalidate>\(Field.csrf(viewer.csrfToken))
            \(Field.text(id: "fiuReference", name: "fiuReference", label: strings["admin.report.fiu"], value: input["fiuReference"], error: errors["fiuReference"]))
            <button class="button primary" type="submit">\(strings["admin.report.file"])</button>
            </form></section>
            \(stepUpNote(strings, maxAge: stepUpMaxAge))
            """
        let title = "\(strings["admin.report.title"]) \(short(report.id))"
        return Layout.page(title: title, strings: strings, navigation: viewer.navigation, main: """
        \(menu(strings, current: ""))
        <h1>\(title)</h1>
        \(notice.map { text -> HTML in #"<p class="notice" role="status">\#(text)</p>"# })
        \(Field.alert(errors["form"]))
        <section class="card">
        \(DetailList.render([
            (strings["admin.col.status"], "\(strings["admin.status.\(report.status.rawValue)"])"),
            (strings["admin.col.customer"], #"<code>\#(report.userId)</code>"#),
            (strings["admin.report.alert"], report.alertId.map { id -> HTML in #"<a href="/admin/alerts/\#(id)">\#(short(id))</a>"# } ?? "–"),
            (strings["admin.report.transactions"], report.transactionIds.map { id -> HTML in #"<code>\#(id)</code>"# }.joined(separator: " ")),
            (strings["admin.col.created"], "\(WebDates.format(report.createdAt, strings))"),
        ]))
        \(filed)
        <h2>\(strings["admin.report.downloads"])</h2>
        <ul><li><a href="/v1/admin/str-reports/\(report.id)/goaml.xml" download>\(strings["admin.report.goaml"])</a></li>
        <li><a href="/v1/admin/str-reports/\(report.id)/mt0002.json">\(strings["admin.report.mt0002"])</a></li></ul>
        </section>
        \(draft)
        """, errors: errors)
    }

    // MARK: Held transfers

    static func held(_ viewer: Viewer, _ page: Page<AdminTransactionView>, notice: String?) -> HTML {
        let strings = viewer.strings
        let rows = page.items.map { transfer -> HTML in
            """
            <tr><td>\(WebDates.element(transfer.createdAt, strings))</td>
            <td>\(strings.money(transfer.total))</td><td>\(transfer.recipientCountry.map { CountryNames.name($0, strings) } ?? "–")</td>
            <td>\(transfer.openAlertCount.map(String.init) ?? "–")</td><td><code>\(short(transfer.userId))</code></td>
            <td><a href="/admin/held/\(transfer.id)">\(strings["admin.open"])<span class="sr-only"> \(short(transfer.id))</span></a></td></tr>
            """
        }
        let table: HTML = rows.isEmpty ? #"<p>\#(strings["admin.held.none"])</p>"# : """
            <div class="table-scroll" role="region" aria-label="\(strings["admin.held.title"])" tabindex="0"><table id="held"><thead><tr><th scope="col">\(strings["admin.col.created"])</th><th scope="col">\(strings["admin.col.amount"])</th>
            <th scope="col">\(strings["admin.col.country"])</th><th scope="col">\(strings["admin.col.alerts"])</th><th scope="col">\(strings["admin.col.customer"])</th>
            <th scope="col"><span class="sr-only">\(strings["admin.open"])</span></th></tr></thead>
            <tbody>\(rows.joined(separator: "\n"))</tbody></table></div>
            """
        return viewer.page("admin.held.title", """
        \(menu(strings, current: "/admin/held"))
        <h1>\(strings["admin.held.title"])</h1>
        <p>\(strings["admin.held.lead"])</p>
        \(notice.map { text -> HTML in #"<p class="notice" role="status">\#(text)</p>"# })
        <section class="card">\(table)</section>
        """)
    }

    static func heldTransfer(_ viewer: Viewer, _ transfer: AdminTransactionView, stepUpMaxAge: Int, input: [String: String] = [:],
                             errors: [String: String] = [:]) -> HTML {
        let strings = viewer.strings
        let decisions: HTML = transfer.status != .held ? "" : """
            \(releaseDecision(viewer, transfer, input: input, errors: errors))
            \(decision(viewer, "/admin/held/\(transfer.id)/reject", name: "reject", title: "admin.held.reject", label: "admin.held.reject.reason",
                       style: "button danger", input: input, errors: errors))
            \(stepUpNote(strings, maxAge: stepUpMaxAge))
            """
        let title = "\(strings["admin.alert.transfer"]) \(short(transfer.id))"
        return Layout.page(title: title, strings: strings, navigation: viewer.navigation, main: """
        \(menu(strings, current: ""))
        <h1>\(title)</h1>
        \(Field.alert(errors["form"]))
        <section class="card">
        \(DetailList.render([
            (strings["admin.col.status"], "\(strings["status.\(transfer.status.rawValue)"])"),
            (strings["admin.col.amount"], "\(strings.money(transfer.total))"),
            (strings["admin.col.country"], "\(transfer.recipientCountry.map { CountryNames.name($0, strings) } ?? "–")"),
            // Left out on the officer's own transfer (`AdminTransactionView`).
            (strings["admin.col.alerts"], transfer.openAlertCount.map { #"<a href="/admin/alerts?status=open">\#($0)</a>"# } ?? "–"),
            (strings["admin.col.customer"], #"<code>\#(transfer.userId)</code>"#),
            (strings["admin.col.created"], "\(WebDates.format(transfer.createdAt, strings))"),
        ]))
        \(transfer.reviewReason.map { reason -> HTML in #"<p class="notice">\#(reason)</p>"# })
        </section>
        \(transferAlerts(strings, transfer))
        \(decisions)
        """, errors: errors)
    }

    /// Every alert on the transfer, dismissed ones with who dismissed each and why: the approving
    /// officer sees what was done to the case, not only the open count (ADR 0032). None on the officer's own transfer.
    static func transferAlerts(_ strings: Strings, _ transfer: AdminTransactionView) -> HTML {
        guard let alerts = transfer.alerts else { return "" }
        let items = alerts.map { alert -> HTML in
            let resolved: HTML = alert.resolvedAt.map { at -> HTML in
                let text = strings.format("admin.alert.resolved", ["date": WebDates.format(at, strings), "who": alert.resolvedBy ?? "–",
                                                                   "reason": alert.resolutionReason ?? "–"])
                return #"<span class="resolved">\#(text)</span>"#
            } ?? ""
            return """
                <li><a href="/admin/alerts/\(alert.id)"><code>\(alert.rule)</code></a> \(strings["admin.status.\(alert.status.rawValue)"]),
                \(WebDates.format(alert.createdAt, strings)). \(resolved)</li>
                """
        }
        return """
            <section class="card" aria-labelledby="transfer-alerts" id="transfer-alerts-list"><h2 id="transfer-alerts">\(strings["admin.alerts.title"])</h2>
            \(items.isEmpty ? #"<p>\#(strings["admin.alerts.none"])</p>"# : "<ul>\(items.joined())</ul>")</section>
            """
    }

    /// The release takes two officers (ADR 0032). With no proposal: propose it, with a reason. The
    /// proposer sees it waiting for a second officer and can withdraw it; any other officer sees who
    /// proposed it and why, and approves (the release) or refuses it.
    static func releaseDecision(_ viewer: Viewer, _ transfer: AdminTransactionView, input: [String: String], errors: [String: String]) -> HTML {
        let strings = viewer.strings
        guard let proposal = transfer.releaseProposal else {
            return decision(viewer, "/admin/held/\(transfer.id)/propose-release", name: "propose", title: "admin.held.propose",
                            label: "admin.alert.escalate.reason", style: "button primary", input: input, errors: errors)
        }
        let mine = proposal.proposedBy == viewer.userId
        let details = DetailList.render([
            (strings["admin.held.proposedBy"], #"<code>\#(proposal.proposedBy)</code>"#),
            (strings["admin.alert.escalate.reason"], "\(proposal.reason)"),
            (strings["admin.col.created"], "\(WebDates.format(proposal.proposedAt, strings))"),
        ])
        let withdraw: HTML = """
            <form method="post" action="/admin/held/\(transfer.id)/withdraw-release" novalidate>\(Field.csrf(viewer.csrfToken))
            <button class="button" type="submit">\(strings[mine ? "admin.held.withdraw" : "admin.held.refuse"])</button></form>
            """
        if mine {
            return """
            <section class="card" aria-labelledby="proposal"><h2 id="proposal">\(strings["admin.held.proposal"])</h2>
            <p class="notice" role="status" id="waiting">\(strings["admin.held.waiting"])</p>
            \(details)
            \(withdraw)</section>
            """
        }
        return """
            <section class="card" aria-labelledby="proposal" id="proposal-details"><h2 id="proposal">\(strings["admin.held.proposal"])</h2>
            \(details)
            \(withdraw)</section>
            \(decision(viewer, "/admin/held/\(transfer.id)/release", name: "release", title: "admin.held.approve", label: "admin.alert.escalate.reason",
                       style: "button primary", input: input, errors: errors))
            """
    }

    // MARK: Audit log

    /// The chain check, then the log itself newest first: who (a user id, or the system or a provider), did what,
    /// to which record, when, with the row's own data. The filters are the API's (`/v1/admin/audit-log`).
    static func audit(_ viewer: Viewer, _ verification: AuditLog.Verification, _ entries: Page<AuditLogView>, filter: [String: String]) -> HTML {
        let strings = viewer.strings
        let result: HTML = verification.ok
            ? #"<p class="notice" role="status" id="audit-result">\#(strings.format("admin.audit.ok", ["count": String(verification.checked)]))</p>"#
            : #"<p class="alert" role="alert" id="audit-result">\#(strings.format("admin.audit.broken", ["id": verification.brokenAt ?? "?"]))</p>"#
        let fields = [("entityType", "admin.audit.entityType"), ("entityId", "admin.audit.entityId"), ("actor", "admin.audit.actor"), ("action", "admin.audit.action")]
        let form = fields.map { field -> HTML in
            Field.text(id: "audit-\(field.0)", name: field.0, label: strings[field.1], value: filter[field.0], error: nil, attributes: #" autocomplete="off""#)
        }
        let rows = entries.items.map { entry -> HTML in
            // A short id links to everything that one actor did, or everything done to that one record.
            let actor: HTML = entry.actorId.map { id -> HTML in
                #"\#(entry.actorType) <a href="/admin/audit?actor=\#(URLQuery.value(id))" title="\#(id)"><code>\#(short(id))</code></a>"#
            } ?? "\(entry.actorType)"
            return """
            <tr id="audit-\(entry.seq)"><td>\(WebDates.element(entry.at, strings))</td><td>\(actor)</td><td><code>\(entry.action)</code></td>
            <td>\(entry.entityType) <a href="/admin/audit?entityType=\(URLQuery.value(entry.entityType))&amp;entityId=\(URLQuery.value(entry.entityId))" title="\(entry.entityId)"><code>\(short(entry.entityId))</code></a></td>
            <td><details><summary>\(strings["admin.audit.data"])</summary><pre>\(entry.data)</pre></details></td></tr>
            """
        }
        let query = fields.compactMap { field in filter[field.0].map { "\(field.0)=\(URLQuery.value($0))" } }
        let more: HTML = entries.nextCursor.map { cursor -> HTML in
            #"<p><a href="/admin/audit?\#((query + ["cursor=\(URLQuery.value(cursor))"]).joined(separator: "&amp;"))">\#(strings["tx.more"])</a></p>"#
        } ?? ""
        let table: HTML = rows.isEmpty ? #"<p>\#(strings["admin.audit.none"])</p>"# : """
            <div class="table-scroll" role="region" aria-labelledby="audit-entries-title" tabindex="0">
            <table id="audit-entries"><thead><tr><th scope="col">\(strings["admin.audit.at"])</th><th scope="col">\(strings["admin.audit.actor"])</th>
            <th scope="col">\(strings["admin.audit.action"])</th><th scope="col">\(strings["admin.audit.entity"])</th><th scope="col">\(strings["admin.audit.data"])</th></tr></thead>
            <tbody>\(rows)</tbody></table></div>
            \(more)
            """
        return viewer.page("admin.audit.title", """
        \(menu(strings, current: "/admin/audit"))
        <h1>\(strings["admin.audit.title"])</h1>
        <p>\(strings["admin.audit.lead"])</p>
        <section class="card">\(result)</section>
        <section class="card" aria-labelledby="audit-entries-title">
        <h2 id="audit-entries-title">\(strings["admin.audit.entries"])</h2>
        <form method="get" action="/admin/audit" class="filters" novalidate>
        \(form)
        <button class="button" type="submit">\(strings["admin.audit.filter"])</button>
        </form>
        \(table)
        </section>
        """)
    }

    // MARK: Customers

    static func customers(_ viewer: Viewer, _ found: Page<AdminUserView>?, input: [String: String], errors: [String: String]) -> HTML {
        let strings = viewer.strings
        let rows = (found?.items ?? []).map { customer -> HTML in
            let hits = [customer.isPep == true ? "PEP" : nil, customer.isSanctioned == true ? "SANCTIONS" : nil].compactMap { $0 }.joined(separator: ", ")
            // The AML facts are left out on the officer's own record (`AdminUserView`).
            let risk: HTML = customer.riskLevel.map { #"<code>\#($0.rawValue)</code>"# } ?? "–"
            let alerts: HTML = customer.openAlertCount.map { #"<a href="/admin/alerts?status=open&amp;userId=\#(customer.id)">\#($0)</a>"# } ?? "–"
            return """
            <tr><td>\(customer.name ?? "–")</td><td>\(risk)\(hits.isEmpty ? "" : " · \(hits)")</td>
            <td>\(customer.transferCount)</td>
            <td>\(alerts)</td><td><code>\(short(customer.id))</code></td></tr>
            """
        }
        let results: HTML = found == nil ? "" : rows.isEmpty ? #"<section class="card"><p>\#(strings["admin.customers.none"])</p></section>"# : """
            <section class="card"><div class="table-scroll" role="region" aria-label="\(strings["admin.customers.title"])" tabindex="0"><table id="customers"><thead><tr><th scope="col">\(strings["admin.customers.name"])</th><th scope="col">\(strings["admin.col.risk"])</th>
            <th scope="col">\(strings["admin.col.transfers"])</th><th scope="col">\(strings["admin.col.alerts"])</th><th scope="col">\(strings["admin.col.customer"])</th></tr></thead>
            <tbody>\(rows.joined(separator: "\n"))</tbody></table></div></section>
            """
        return viewer.page("admin.customers.title", """
        \(menu(strings, current: "/admin/customers"))
        <h1>\(strings["admin.customers.title"])</h1>
        <p>\(strings["admin.customers.lead"])</p>
        <section class="card">
        <form method="post" action="/admin/customers" novalidate>\(Field.csrf(viewer.csrfToken))
        \(Field.text(id: "name", name: "name", label: strings["admin.customers.name"], value: input["name"], error: errors["name"]))
        \(Field.text(id: "nationalId", name: "nationalId", label: strings["admin.customers.nationalId"], value: nil, error: errors["nationalId"],
                     attributes: #" inputmode="numeric" autocomplete="off""#))
        <button class="button primary" type="submit">\(strings["admin.customers.search"])</button>
        </form></section>
        \(results)
        """, errors: errors)
    }

    // MARK: Complaints

    static func complaints(_ viewer: Viewer, _ open: [ComplaintView], notice: String?, failed: (id: String, input: [String: String], errors: [String: String])? = nil) -> HTML {
        let strings = viewer.strings
        let statuses = [ComplaintStatus.inProgress, .resolved, .rejected].map { ($0.rawValue, strings["complaints.status.\($0.rawValue)"]) }
        let items = open.map { complaint -> HTML in
            let mine = failed?.id == complaint.id
            let input = mine ? failed?.input ?? [:] : [:], errors = mine ? failed?.errors ?? [:] : [:]
            return """
            <li class="card" id="complaint-\(complaint.id)">
            <h2>\(complaint.subject)</h2>
            <p>\(strings["complaints.status.\(complaint.status.rawValue)"]) · \(strings.format("complaints.due", ["date": WebDates.day(iso: complaint.dueDate, strings)]))</p>
            <p>\(complaint.description)</p>
            <form method="post" action="/admin/complaints/\(complaint.id)/answer" novalidate>\(Field.csrf(viewer.csrfToken))
            \(Field.select(id: "status-\(complaint.id)", name: "status", label: strings["admin.complaints.status"], options: statuses,
                           selected: input["status"] ?? ComplaintStatus.resolved.rawValue, error: nil))
            \(Field.textarea(id: "resolution-\(complaint.id)", name: "resolution", label: strings["admin.complaints.resolution"], value: input["resolution"],
                             error: errors["resolution-\(complaint.id)"], rows: 4))
            <button class="button primary" type="submit">\(strings["admin.complaints.send"])</button>
            </form></li>
            """
        }
        return viewer.page("admin.complaints.title", """
        \(menu(strings, current: "/admin/complaints"))
        <h1>\(strings["admin.complaints.title"])</h1>
        \(Field.alert(failed?.errors["form"]))
        \(notice.map { text -> HTML in #"<p class="notice" role="status">\#(text)</p>"# })
        \(open.isEmpty ? #"<section class="card"><p>\#(strings["admin.complaints.none"])</p></section>"# : #"<ul class="list">\#(items.joined(separator: "\n"))</ul>"#)
        """, errors: failed?.errors ?? [:])
    }

    // MARK: Reconciliation

    /// The invariant checker's findings and the open operations alerts, each alert with a form to
    /// resolve it (how it was handled, kept on the alert; `input`/`errors` keyed `resolve-{id}`).
    /// On an alert that a business may be passing as another: the form that closes it (`close-{id}`), once
    /// brreg.no shows it isn't its owner's.
    private static func closeBusiness(_ alert: OperationsAlert, _ viewer: Viewer, input: [String: String], errors: [String: String]) -> HTML {
        guard alert.kind == .organisationAlreadyRegistered, alert.entityType == "merchant", let merchantId = alert.entityId else { return "" }
        let strings = viewer.strings
        return """
            <form method="post" action="/admin/merchants/\(merchantId)/close" novalidate>\(Field.csrf(viewer.csrfToken))
            \(Field.text(id: "close-\(merchantId)", name: "reason", label: strings["admin.reconciliation.closureReason"], value: input["close-\(merchantId)"],
                         error: errors["close-\(merchantId)"], attributes: #" autocomplete="off""#))
            <button class="button danger" type="submit">\(strings["admin.reconciliation.closeBusiness"])</button></form>
            """
    }

    static func reconciliation(_ viewer: Viewer, _ report: ReconciliationService.Report, notice: String? = nil,
                               input: [String: String] = [:], errors: [String: String] = [:]) -> HTML {
        let strings = viewer.strings
        let findings = report.findings.map { finding -> HTML in
            """
            <tr><td><code>\(finding.problem.rawValue)</code></td><td>\(strings["status.\(finding.status.rawValue)"])</td>
            <td>\(WebDates.element(finding.since, strings))</td><td><code>\(finding.transactionId)</code></td></tr>
            """
        }
        let alerts = report.alerts.map { alert -> HTML in
            """
            <tr><td><code>\(alert.kind.rawValue)</code></td><td><code>\(alert.entityId ?? "–")</code></td>
            <td>\(WebDates.element(alert.createdAt, strings))</td><td><code>\(alert.details)</code></td>
            <td><form method="post" action="/admin/reconciliation/alerts/\(alert.id)/resolve" novalidate>\(Field.csrf(viewer.csrfToken))
            \(Field.text(id: "resolve-\(alert.id)", name: "reason", label: strings["admin.reconciliation.resolution"], value: input["resolve-\(alert.id)"],
                         error: errors["resolve-\(alert.id)"], attributes: #" autocomplete="off""#))
            <button class="button" type="submit">\(strings["admin.reconciliation.resolve"])</button></form>\(closeBusiness(alert, viewer, input: input, errors: errors))</td></tr>
            """
        }
        let findingsTable: HTML = findings.isEmpty ? #"<p class="notice" role="status" id="reconciliation-result">\#(strings["admin.reconciliation.ok"])</p>"# : """
            <div class="table-scroll" role="region" aria-label="\(strings["admin.reconciliation.title"])" tabindex="0"><table id="findings"><thead><tr><th scope="col">\(strings["admin.col.problem"])</th><th scope="col">\(strings["admin.col.status"])</th>
            <th scope="col">\(strings["admin.col.since"])</th><th scope="col">\(strings["admin.alert.transfer"])</th></tr></thead>
            <tbody>\(findings.joined(separator: "\n"))</tbody></table></div>
            """
        let alertsTable: HTML = alerts.isEmpty ? "" : """
            <section class="card"><h2>\(strings["admin.reconciliation.alerts"])</h2>
            <div class="table-scroll" role="region" aria-label="\(strings["admin.reconciliation.alerts"])" tabindex="0"><table id="operations-alerts"><thead><tr><th scope="col">\(strings["admin.col.kind"])</th><th scope="col">\(strings["admin.alert.transfer"])</th>
            <th scope="col">\(strings["admin.col.created"])</th><th scope="col">JSON</th><th scope="col">\(strings["admin.reconciliation.resolve"])</th></tr></thead>
            <tbody>\(alerts.joined(separator: "\n"))</tbody></table></div></section>
            """
        return viewer.page("admin.reconciliation.title", """
        \(menu(strings, current: "/admin/reconciliation"))
        <h1>\(strings["admin.reconciliation.title"])</h1>
        <p>\(strings["admin.reconciliation.lead"])</p>
        \(notice.map { text -> HTML in #"<p class="notice" role="status">\#(text)</p>"# })
        \(Field.alert(errors["form"]))
        <section class="card">\(findingsTable)</section>
        \(alertsTable)
        """)
    }
}
