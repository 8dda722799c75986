import DropAPI
import Hummingbird

/// What was typed into a money form whose session ran out, kept while its author signs in again
/// (30 minutes, in a cookie only the form's own page is sent) and shown on that page once, to them only:
/// the draft is bound to the user the ended session's token names, and signing out forgets it.
enum FormDraft: Sendable, CaseIterable {
    /// `/send`: a one-off transfer.
    case send
    /// `/standing`: a standing transfer; it comes back as one, never as a one-off send form.
    case standing

    /// The form's page: the cookie's path, and where signing in again comes back to.
    var page: String {
        switch self {
        case .send: "/send"
        case .standing: "/standing"
        }
    }

    var cookie: String {
        switch self {
        case .send: "drop_send_draft"
        case .standing: "drop_standing_draft"
        }
    }

    /// The fields kept: what the person typed or chose, never the form's key or token.
    var fields: [String] {
        switch self {
        case .send: ["recipientId", "amount", "bankAccountId", "message"]
        case .standing: StandingOrdersPage.formFields
        }
    }

    /// The kept fields as the cookie holds them: a query string.
    func encoded(_ form: FormBody) -> String {
        fields.compactMap { name in form[name].flatMap { $0.isEmpty ? nil : "\(name)=\(URLQuery.value($0))" } }.joined(separator: "&")
    }

    func setCookie(_ value: String, secure: Bool) -> String {
        "\(cookie)=\(value); Path=\(page); Max-Age=1800; HttpOnly; SameSite=Lax\(secure ? "; Secure" : "")"
    }

    /// Shown once: the page that restores the draft forgets it.
    var clearCookie: String { "\(cookie)=; Path=\(page); Max-Age=0; HttpOnly; SameSite=Lax" }

    /// The cookie's value: the kept fields and a MAC over them and their author's user id (the HMAC of
    /// `CSRFProtection`, over a label of the draft's own), so the form gives them back only to whoever typed them,
    /// never to the next person who signs in on this browser.
    func sealed(_ form: FormBody, author userId: String, with csrf: CSRFProtection) -> String {
        let fields = encoded(form)
        return "\(fields)&\(Self.macField)=\(csrf.token(for: authored(fields, by: userId)))"
    }

    /// The kept fields, when `userId` typed them; nil for someone else's draft or one that was changed.
    func opened(_ value: String, by userId: String, with csrf: CSRFProtection) -> FormBody? {
        guard let separator = value.range(of: "&\(Self.macField)=", options: .backwards) else { return nil }
        let fields = String(value[..<separator.lowerBound])
        guard csrf.isValid(String(value[separator.upperBound...]), for: authored(fields, by: userId)) else { return nil }
        return FormBody.parse(fields)
    }

    /// The form's page opened bare, back after signing in again, with a draft kept: `page` draws the form with the
    /// kept fields and a notice saying so, and the draft is forgotten. Someone else's draft, or a changed one, is
    /// forgotten unseen (`page` gets nil and no notice). Nil when there is no draft to give back.
    func restored(_ request: Request, for viewer: Viewer, with csrf: CSRFProtection,
                  page: (_ kept: FormBody?, _ notice: String?) async throws -> Response) async throws -> Response? {
        guard request.uri.query?.isEmpty ?? true, let value = request.cookie(cookie), !value.isEmpty else { return nil }
        let kept = opened(value, by: viewer.userId, with: csrf)
        var response = try await page(kept, kept.map { _ in viewer.strings["send.draft.restored"] })
        response.headers[.setCookie] = clearCookie
        return response
    }

    private static let macField = "mac"

    private func authored(_ fields: String, by userId: String) -> String { "form-draft:\(cookie):\(userId):\(fields)" }
}
