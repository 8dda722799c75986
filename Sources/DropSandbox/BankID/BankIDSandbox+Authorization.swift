import DropCore
import Foundation
import HTTPTypes
import Hummingbird

/// `GET` and `POST /protocol/openid-connect/auth`: the sign-in page and its submission.
extension BankIDSandbox {
    func showSignInPage(_ request: Request) -> Response {
        let parameters = BankIDFormParameters(encoded: request.uri.query ?? "")
        do {
            let authorization = try BankIDAuthorizationRequest.parse(parameters, clients: clients)
            let remembered = signInSessions.reusable(for: request, authorization: authorization, now: now())
            if authorization.prompt.contains("none") {
                // No page may be shown: answer at once with the remembered sign-in, or say one is needed.
                guard let remembered else {
                    return BankIDResponses.redirect(to: BankIDAuthorizationError(
                        redirectURI: authorization.redirectURI, error: "login_required",
                        description: "The person must sign in.", state: authorization.state).location)
                }
                return issueCode(authorization, person: remembered.person, authenticatedAt: remembered.authenticatedAt,
                                 assurance: remembered.assurance)
            }
            return BankIDResponses.html(BankIDSignInPage.render(request: authorization, basePath: basePath, remembered: remembered?.person))
        } catch {
            return respond(to: error)
        }
    }

    func submitSignIn(_ request: Request) async -> Response {
        guard let form = await Self.formParameters(of: request) else {
            return BankIDResponses.html(
                BankIDSignInPage.errorPage(message: "The form could not be read.", basePath: basePath), status: .badRequest
            )
        }
        let authorization: BankIDAuthorizationRequest
        do {
            authorization = try BankIDAuthorizationRequest.parse(form, clients: clients)
        } catch {
            return respond(to: error)
        }

        if form["action"] == "cancel" {
            let denied = BankIDAuthorizationError(
                redirectURI: authorization.redirectURI, error: "access_denied",
                description: "The person cancelled the sign-in.", state: authorization.state
            )
            return BankIDResponses.redirect(to: denied.location)
        }

        if form["action"] == "continue" {
            // Checked again on submit: the hidden prompt/max_age came back from the browser.
            guard let remembered = signInSessions.reusable(for: request, authorization: authorization, now: now()) else {
                let page = BankIDSignInPage.render(request: authorization, basePath: basePath,
                                                   errorMessage: "Your earlier sign-in can't be used here. Sign in again.")
                return BankIDResponses.html(page, status: .badRequest)
            }
            return issueCode(authorization, person: remembered.person, authenticatedAt: remembered.authenticatedAt,
                             assurance: remembered.assurance)
        }

        // A person button submits `person`; otherwise the typed number counts.
        let typed = form["person"] ?? form["nationalId"] ?? ""
        let number: NationalIdentityNumber
        do {
            number = try NationalIdentityNumber(typed)
        } catch {
            let page = BankIDSignInPage.render(
                request: authorization, basePath: basePath, errorMessage: error.message,
                typedNationalId: String(typed.prefix(20))
            )
            return BankIDResponses.html(page, status: .badRequest)
        }

        let time = now()
        let person = SandboxPersons.person(for: number)
        var response = issueCode(authorization, person: person, authenticatedAt: time, assurance: authorization.assurance)
        // Remembered for later requests from this browser, as a real OP's single sign-on.
        response.headers.append(HTTPField(name: .setCookie, value: BankIDSignInSessions.setCookie(
            signInSessions.remember(person, authenticatedAt: time, assurance: authorization.assurance), path: basePath)))
        return response
    }

    /// Redirects back with a code for `person`, whose ID token will say they authenticated at `authenticatedAt`,
    /// at the level `assurance`.
    private func issueCode(_ authorization: BankIDAuthorizationRequest, person: SandboxPerson, authenticatedAt: Date,
                           assurance: BankIDAssuranceLevel) -> Response {
        let time = now()
        let grant = BankIDAuthorizationGrant(
            clientID: authorization.client.clientID, redirectURI: authorization.redirectURI,
            scopes: authorization.scopes, nonce: authorization.nonce, codeChallenge: authorization.codeChallenge,
            person: person, authenticatedAt: authenticatedAt, assurance: assurance, expiresAt: time.addingTimeInterval(Self.codeLifetime)
        )
        let code = grants.issueCode(for: grant, now: time)
        logger.info("bankid sandbox authenticated a person", metadata: [
            "client_id": "\(authorization.client.clientID)",
            "sub": "\(pseudonyms.subject(nationalId: person.nationalId, clientID: authorization.client.clientID))",
            "reused_sign_in": "\(authenticatedAt < time)",
        ])
        return BankIDResponses.redirect(to: authorization.redirect(with: [("code", code), ("state", authorization.state)]))
    }

    private func respond(to refusal: BankIDAuthorizationRequest.Refusal) -> Response {
        switch refusal {
        case .errorPage(let message):
            logger.notice("bankid sandbox refused an authorization request", metadata: ["reason": "\(message)"])
            return BankIDResponses.html(BankIDSignInPage.errorPage(message: message, basePath: basePath), status: .badRequest)
        case .redirect(let error):
            return BankIDResponses.redirect(to: error.location)
        }
    }

    /// The `application/x-www-form-urlencoded` body, or nil if it is another type, too big or unreadable.
    static func formParameters(of request: Request) async -> BankIDFormParameters? {
        let contentType = request.headers[.contentType]?.lowercased() ?? ""
        guard contentType.hasPrefix("application/x-www-form-urlencoded") else { return nil }
        var request = request
        guard let buffer = try? await request.collectBody(upTo: maxBodyBytes) else { return nil }
        return BankIDFormParameters(encoded: String(decoding: buffer.readableBytesView, as: UTF8.self))
    }
}
