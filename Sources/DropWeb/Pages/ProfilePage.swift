import DropAPI
import DropCore
import DropHTML
import DropStore
import Foundation

/// `/profile`: who Drop knows you as, and a page for each thing one can change: contact details,
/// language, spending limits, consents, your data (download, requests) and deleting the account.
/// One form per page, so a refused field is on the screen the person just used, not far below it.
enum ProfilePage {
    /// The profile's pages under `/profile/<section>`; each one's form posts where it always did.
    enum Section: String, CaseIterable {
        case details, language, limits, consents, data, erase

        var path: String { "/profile/\(rawValue)" }

        var titleKey: String {
            switch self {
            case .details: "profile.contact"
            case .language: "profile.language"
            case .limits: "profile.limits"
            case .consents: "profile.consents"
            case .data: "profile.data"
            case .erase: "profile.erase"
            }
        }
    }

    struct State {
        var user: UserRecord
        var emailNotifications = true
        /// What a page shows and nothing more: each page loads only its own (`WebFeature.profilePage`).
        var limits: SpendingLimitsView?
        var consents: [ConsentView] = []
        var requests: [DataRequestView] = []
        var input: [String: String] = [:]
        var errors: [String: String] = [:]
        var notice: String?
    }

    /// The person as BankID knows them, the profile's pages with what each holds now, and signing out.
    static func overview(_ viewer: Viewer, _ state: State) -> HTML {
        let strings = viewer.strings
        let user = state.user
        let csrf = Field.csrf(viewer.csrfToken)
        let birth = user.birthdate.map { WebDates.day(iso: $0, strings) } ?? "–"
        let marketing = state.consents.first { $0.type == ConsentType.marketing.rawValue }?.granted == true
        let now: [Section: String] = [
            .details: [user.phone, user.email].compactMap { $0 }.joined(separator: " · "),
            .language: strings.language.endonym,
            .limits: state.limits.map { "\(strings.money($0.daily)) / \(strings.money($0.monthly))" } ?? "",
            .consents: "\(strings["profile.consent.marketing"]): \(strings[marketing ? "profile.consent.yes" : "profile.consent.no"])",
            .data: state.requests.isEmpty ? strings["profile.requests.none"] : "\(strings["profile.requests"]): \(state.requests.count)",
        ]
        let sections = Section.allCases.map { section -> HTML in
            let detail: HTML = now[section].map { text -> HTML in #"<span class="hint">\#(text)</span>"# } ?? ""
            return #"<li><a href="\#(section.path)">\#(strings[section.titleKey])</a> \#(detail)</li>"#
        }
        return viewer.page("profile.title", """
        <h1>\(strings["profile.title"])</h1>
        \(state.notice.map { text -> HTML in #"<p class="notice" role="status">\#(text)</p>"# })
        <section class="card" aria-labelledby="profile-person">
        <h2 id="profile-person">\(strings["profile.person"])</h2>
        <dl class="facts">
        <dt>\(strings["profile.name"])</dt><dd>\(user.name ?? "–")</dd>
        <dt>\(strings["profile.birthdate"])</dt><dd>\(birth)</dd>
        <dt>\(strings["profile.kyc"])</dt><dd>\(strings["dashboard.kyc.\(user.kycStatus.rawValue)"])</dd>
        </dl>
        <p class="hint">\(strings["profile.person.bankid"])</p>
        <p><a href="/merchant">\(strings[viewer.navigation.merchant ? "profile.business.open" : "profile.business.register"])</a></p>
        </section>

        <nav class="card" aria-labelledby="profile-sections">
        <h2 id="profile-sections">\(strings["profile.sections"])</h2>
        <ul class="list plain sections">\(sections)</ul>
        <div class="actions">\(Field.button(action: "/profile/data/export", label: strings["profile.data.export"], csrf: viewer.csrfToken)) \
        <a href="/complaints">\(strings["complaints.title"])</a></div>
        </nav>

        <section class="card" aria-labelledby="profile-session">
        <h2 id="profile-session">\(strings["profile.session"])</h2>
        <div class="actions">
        <form method="post" action="/logout" class="inline">\(csrf)<button class="button" type="submit">\(strings["nav.logout"])</button></form>
        <form method="post" action="/profile/logout-everywhere" class="inline">\(csrf)<button class="button" type="submit">\(strings["profile.logout.everywhere"])</button></form>
        </div>
        <p class="hint">\(strings["profile.logout.everywhere.hint"])</p>
        </section>
        """)
    }

    /// Whether the address is confirmed, and the way to have the link sent again while it isn't.
    private static func emailStatus(_ user: UserRecord, _ viewer: Viewer) -> HTML {
        guard let email = user.email else { return "" }
        let strings = viewer.strings
        if user.emailVerifiedAt != nil { return #"<p class="hint">\#(strings.format("profile.email.confirmed", ["email": email]))</p>"# }
        return """
        <p class="hint">\(strings.format("profile.email.unconfirmed", ["email": email]))</p>
        \(Field.button(action: "/profile/email/confirmation", label: strings["profile.email.resend"], csrf: viewer.csrfToken))
        """
    }

    /// One of the profile's pages: its form, what was typed when it was refused, and the way back.
    static func render(_ viewer: Viewer, _ state: State, section: Section) -> HTML {
        let strings = viewer.strings
        let notice = state.notice.map { text -> HTML in #"<p class="notice" role="status">\#(text)</p>"# }
        return viewer.page(section.titleKey, """
        <p><a href="/profile">\(strings["profile.back"])</a></p>
        <h1>\(strings[section.titleKey])</h1>
        \(notice)
        \(Field.alert(state.errors["form"]))
        <section class="card\(section == .erase ? " danger" : "")">
        \(form(section, viewer, state))
        </section>
        """, errors: state.errors)
    }

    private static func form(_ section: Section, _ viewer: Viewer, _ state: State) -> HTML {
        let strings = viewer.strings
        let user = state.user
        func value(_ field: String, _ stored: String?) -> String? { state.input[field] ?? stored }
        let csrf = Field.csrf(viewer.csrfToken)
        switch section {
        case .details:
            return """
            <form method="post" action="/profile/details" novalidate>\(csrf)
            \(Field.text(id: "phone", name: "phone", label: strings["profile.phone"], value: value("phone", user.phone), error: state.errors["phone"],
                         type: "tel", attributes: #" autocomplete="tel""#))
            \(Field.text(id: "email", name: "email", label: strings["profile.email"], value: value("email", user.email), error: state.errors["email"],
                         type: "email", attributes: #" autocomplete="email""#, hint: strings["profile.email.hint"]))
            <div class="check"><input type="checkbox" id="notifyEmail" name="notifyEmail"\(state.emailNotifications ? " checked" : "")>
            <label for="notifyEmail">\(strings["profile.email.notify"])</label></div>
            <p class="hint">\(strings["profile.details.stepup"])</p>
            <button class="button primary" type="submit">\(strings["profile.save"])</button>
            </form>
            \(emailStatus(user, viewer))
            """
        case .language:
            return """
            <form method="post" action="/profile/language">\(csrf)
            \(Field.select(id: "locale", name: "locale", label: strings["profile.language"], options: Language.allCases.map { ($0.rawValue, $0.endonym) },
                           selected: strings.language.rawValue, error: nil))
            <button class="button primary" type="submit">\(strings["profile.save"])</button>
            </form>
            """
        case .limits:
            guard let limits = state.limits else { return "" }
            return """
            <p>\(strings.format("profile.limits.used", ["today": strings.money(limits.used.daily), "month": strings.money(limits.used.monthly)]))</p>
            <form method="post" action="/profile/limits" novalidate>\(csrf)
            \(Field.text(id: "daily", name: "daily", label: strings["profile.limits.daily"], value: value("daily", amountText(limits.daily)),
                         error: state.errors["daily"], attributes: #" inputmode="decimal""#,
                         hint: strings.format("profile.limits.max", ["amount": strings.money(limits.maximum.daily)])))
            \(Field.text(id: "monthly", name: "monthly", label: strings["profile.limits.monthly"], value: value("monthly", amountText(limits.monthly)),
                         error: state.errors["monthly"], attributes: #" inputmode="decimal""#,
                         hint: strings.format("profile.limits.max", ["amount": strings.money(limits.maximum.monthly)])))
            <button class="button primary" type="submit">\(strings["profile.save"])</button>
            </form>
            """
        case .consents:
            let marketing = state.consents.first { $0.type == ConsentType.marketing.rawValue }
            let rows = state.consents.map { consent -> HTML in
                let status = consent.granted ? strings.format("profile.consent.granted", ["version": consent.version ?? ""]) : strings["profile.consent.notgranted"]
                return "<li><strong>\(strings["profile.consent.\(consent.type)"])</strong>: \(status)</li>"
            }
            return """
            <ul class="list plain">\(rows)</ul>
            <form method="post" action="/profile/consents/marketing" class="inline">\(csrf)
            \(Field.hidden("granted", marketing?.granted == true ? "false" : "true"))
            <button class="button" type="submit">\(strings[marketing?.granted == true ? "profile.marketing.withdraw" : "profile.marketing.grant"])</button>
            </form>
            """
        case .data:
            let requests = state.requests.map { request -> HTML in
                """
                <li>\(strings["profile.request.\(request.kind.rawValue)"]) · \(strings["profile.request.status.\(request.status.rawValue)"]) · \
                \(strings.format("profile.request.due", ["date": WebDates.day(iso: request.dueDate, strings)]))</li>
                """
            }
            let kinds = DataSubjectRequestKind.answeredByHand.map { ($0.rawValue, strings["profile.request.\($0.rawValue)"]) }
            return """
            <p>\(strings["profile.data.lead"])</p>
            \(Field.button(action: "/profile/data/export", label: strings["profile.data.export"], csrf: viewer.csrfToken))
            <h2>\(strings["profile.requests"])</h2>
            \(state.requests.isEmpty ? "<p>\(strings["profile.requests.none"])</p>" : #"<ul class="list plain">\#(requests)</ul>"#)
            <form method="post" action="/profile/data-requests" novalidate>\(csrf)
            \(Field.select(id: "kind", name: "kind", label: strings["profile.request.kind"], options: kinds, selected: state.input["kind"], error: state.errors["kind"]))
            <div class="field">
            <label for="details">\(strings["profile.request.details"])</label>
            <textarea id="details" name="details" rows="3" maxlength="2000"\(Field.invalid("details", state.errors["details"]))>\(state.input["details"] ?? "")</textarea>
            \(Field.error("details", state.errors["details"]))
            </div>
            <button class="button primary" type="submit">\(strings["profile.request.send"])</button>
            </form>
            <p><a href="/complaints">\(strings["complaints.title"])</a></p>
            """
        case .erase:
            return """
            <p>\(strings["profile.erase.lead"])</p>
            <form method="post" action="/profile/erase" novalidate>\(csrf)
            <div class="field check">
            <input id="confirm" name="confirm" type="checkbox" value="yes"\(Field.invalid("confirm", state.errors["confirm"]))>
            <label for="confirm">\(strings["profile.erase.confirm"])</label>
            \(Field.error("confirm", state.errors["confirm"]))
            </div>
            <button class="button danger" type="submit">\(strings["profile.erase.button"])</button>
            </form>
            """
        }
    }

    /// A limit as a person would type it back: "20000" or "20000,50".
    static func amountText(_ money: Money) -> String {
        let kroner = money.minorUnits / 100, ore = money.minorUnits % 100
        return ore == 0 ? String(kroner) : String(format: "%d,%02d", kroner, ore)
    }

    /// Shown after erasure, signed out.
    static func erased(_ strings: Strings, retainedUntil: Date?) -> HTML {
        Layout.page(title: strings["profile.erased.title"], strings: strings, main: """
        <section class="card">
        <h1>\(strings["profile.erased.title"])</h1>
        <p>\(strings["profile.erased.lead"])</p>
        \(retainedUntil.map { date -> HTML in "<p>\(strings.format("profile.erased.retained", ["date": WebDates.format(date, strings)]))</p>" })
        <p><a href="/">\(strings["error.home"])</a></p>
        </section>
        """)
    }
}
