import DropAPI
import DropCore
import DropHTML
import DropStore
import Foundation
import Hummingbird

/// The server-rendered web app: pages, the language switch, static assets.
public struct WebFeature: AppFeature {
    /// Back to the sign-in page with the session's cookie ended, and any draft kept from an earlier ended session
    /// with it: the next person on this browser is someone else.
    static func signedOut(_ services: AppServices) -> Response {
        var response = redirect("/login")
        response.headers[values: .setCookie] = [services.sessions.expiredCookie] + FormDraft.allCases.map(\.clearCookie)
        return response
    }

    /// Reads every language's strings now, so a broken translation file stops `drop serve` at start.
    public init() {
        _ = Strings.tables
        _ = LegalPages.texts
    }

    public var errorPageRenderer: ErrorPageRenderer { ErrorPageView.render }

    /// How many newest payments the dashboard shows: what a starting process reads ahead (`WarmStart`).
    public static let newestPaymentsOnDashboard = DashboardContents.recentCount

    /// The email jobs: email speaks the person's language from the pages' translations.
    public func addJobs(to jobs: JobRegistry, services: AppServices) {
        EmailJobs.register(jobs, services: services)
    }

    /// The stylesheet, scripts and translations the pages need, checked by `drop serve` before it starts.
    public static var resources: ShippedResources.Requirement {
        .init(bundle: Assets.resources.bundle, files: Assets.resources.files + Language.allCases.map(Strings.file) + LegalPages.files)
    }

    public func addRoutes(to router: Router<AppRequestContext>, services: AppServices) {
        // The front page for visitors; a signed-in person (the logo, the error page's "Til forsiden") goes home to the dashboard.
        router.get("/") { request, context in
            if context.identity != nil { return Self.redirect("/dashboard") }
            return Self.html(HomePage.render(Strings(Self.language(of: request))))
        }
        // The front page's price calculator, without JavaScript: a GET form, so the answer can be linked and
        // reloaded. Rate-limited per address with `GET /v1/prices` (`RateLimitRule.defaults`, "prices").
        router.get("/price") { request, _ in
            let strings = Strings(Self.language(of: request))
            var state = HomePage.Calculator()
            let query = request.uri.queryParameters
            // A browser sends a GET form's spaces ("2 500") as "+", which the query parser leaves as is.
            state.amount = (query.get("amount") ?? "").replacingOccurrences(of: "+", with: " ")
            state.corridor = query.get("corridor") ?? state.corridor
            let corridor = RecipientsPage.corridor(state.corridor)
            if corridor == nil { state.errors["corridor"] = strings["home.calc.error.corridor"] }
            let (amount, amountError) = Self.parseKroner(state.amount, strings)
            if let amountError { state.errors["amount"] = amountError }
            guard let corridor, let amount, state.errors.isEmpty else {
                return Self.html(HomePage.render(strings, calculator: state), status: .unprocessableContent)
            }
            do {
                state.price = try await services.quotes.price(QuoteInput(
                    country: corridor.country.rawValue, currency: corridor.currency.code, sendAmountMinor: amount.minorUnits))
                return Self.html(HomePage.render(strings, calculator: state))
            } catch let error as AppError {
                let locale = strings.displayLocale
                state.errors = FieldErrors.from(
                    error, strings: strings, fields: ["sendAmountMinor": "amount"],
                    codes: ["LIMIT_EXCEEDED": "amount", "RATE_UNAVAILABLE": "corridor"],
                    fill: ["min": corridor.minAmount.formatted(for: locale), "max": corridor.maxAmount.formatted(for: locale)])
                return Self.html(HomePage.render(strings, calculator: state), status: error.status)
            }
        }
        // Remembers the choice for a year; works without JavaScript.
        router.get("/language/:code") { request, context in
            guard let code = context.parameters.get("code"), let language = Language(rawValue: code) else {
                throw AppError.notFound()
            }
            return Response(status: .seeOther, headers: [
                .location: Self.returnPath(referer: request.headers[.referer], baseURL: services.publicBaseURL.url),
                .setCookie: Self.languageCookie(language, services: services),
            ])
        }
        router.get("/login") { request, _ in
            let query = request.uri.queryParameters
            let returnTo = query.get("redirect").flatMap { $0.hasPrefix("/") && !$0.hasPrefix("//") ? $0 : nil }
            return Self.html(LoginPage.render(Strings(Self.language(of: request)), error: query.get("error"), returnTo: returnTo))
        }
        // A fresh BankID sign-in a form asked for (`StepUp.webStepUp`): the form's 303 lands here, and this
        // page, not a redirect, goes on to BankID (`handOff`).
        router.get("/step-up") { request, _ in
            let back = request.uri.queryParameters.get("redirect").flatMap { $0.hasPrefix("/") && !$0.hasPrefix("//") ? $0 : nil } ?? "/dashboard"
            return Self.handOff(to: StepUp.bankIDStart(back: back), .bankID, request, services)
        }
        // One statement for the customer, the header and the numbers the balance and the newest
        // transactions are kept under; those two come from memory while the numbers stand (ADR 0014),
        // and on a first visit are read beside it (ADR 0024).
        router.get("/dashboard") { request, context in
            guard let identity = context.identity else { return Self.signInFirst(request) }
            guard let contents = try await DashboardContents.read(userId: identity.userId, presence: .present(ipAddress: context.clientIP),
                                                                  services: services)
            else { throw AppError.unauthenticated }
            return Self.html(DashboardPage.render(Viewer(request, identity, services, overview: contents.overview), user: contents.overview.user,
                                                  accounts: contents.accounts, recent: contents.recent))
        }
        router.get("/bank-accounts") { request, context in
            guard let identity = context.identity else { return Self.signInFirst(request) }
            let accounts = try await services.balances.accounts(userId: identity.userId, presence: .present(ipAddress: context.clientIP))
            let query = request.uri.queryParameters
            return Self.html(BankAccountsPage.render(Strings(Self.language(of: request)), .init(
                accounts: accounts, banks: BankDirectory.norway.banks, csrfToken: services.csrf.token(for: identity.sessionId),
                connected: query.get("connected"), error: query.get("error"), removed: query.get("removed") != nil,
                navigation: try await .load(request, userId: identity.userId, services))))
        }
        router.post("/bank-accounts/connect") { request, context in
            guard let identity = context.identity else { return Self.signInFirst(request) }
            let form = try await FormBody.read(request)
            do {
                let started = try await services.bankConnections
                    .connect(userId: identity.userId, bank: form["bank"] ?? "", client: .web, psuIPAddress: context.clientIP)
                return Self.handOff(to: started.scaRedirect, .bank, request, services)
            } catch let error as AppError {
                return Self.redirect("/bank-accounts?error=\(error.code)")
            }
        }
        router.post("/bank-accounts/:id/refresh") { request, context in
            guard let identity = context.identity else { return Self.signInFirst(request) }
            _ = try await services.balances.accounts(userId: identity.userId, presence: .present(ipAddress: context.clientIP), force: true)
            return Self.redirect("/bank-accounts")
        }
        router.get("/bank-accounts/:id/remove") { request, context in
            guard let viewer = try await Viewer.signedIn(request, context, services) else { return Self.signInFirst(request) }
            let id = try context.parameters.require("id")
            guard let account = try await services.database.withConnection({ try await BankAccountRepository.find(id: id, userId: viewer.userId, on: $0) }) else {
                throw AppError.notFound("No such bank account.")
            }
            return Self.html(BankAccountsPage.confirmRemove(viewer, account))
        }
        router.post("/bank-accounts/:id/remove") { request, context in
            guard let identity = context.identity else { return Self.signInFirst(request) }
            try await services.bankConnections.remove(accountId: try context.parameters.require("id"), userId: identity.userId)
            return Self.redirect("/bank-accounts?removed=1")
        }
        router.get("/onboarding") { request, context in
            guard let identity = context.identity else { return Self.signInFirst(request) }
            return try await Self.onboarding(request, services: services, userId: identity.userId) { _ in }
        }
        router.post("/onboarding/phone") { request, context in
            guard let identity = context.identity else { return Self.signInFirst(request) }
            let form = try await FormBody.read(request)
            do {
                _ = try await services.profiles.update(identity, with: ProfilePatch(phone: form["phone"] ?? ""), requestID: context.requestID)
                return Self.redirect("/onboarding")
            } catch let error as AppError where error.code == "STEP_UP_REQUIRED" {
                // A number already on file is changed only after BankID again.
                return Self.redirect(StepUp.webStepUp(back: "/onboarding"))
            } catch let error as AppError {
                return try await Self.onboarding(request, services: services, userId: identity.userId, status: .unprocessableContent) { state in
                    state.phoneInput = form["phone"]
                    state.phoneError = FieldErrors.from(error, strings: Strings(Self.language(of: request)), fields: ["phone": "phone"],
                                                        codes: [:]).values.first
                }
            }
        }
        router.post("/onboarding/consents") { request, context in
            guard let identity = context.identity else { return Self.signInFirst(request) }
            let form = try await FormBody.read(request)
            let strings = Strings(Self.language(of: request))
            for consent in try await services.profiles.consents(userId: identity.userId) {
                let checked = form[consent.type] != nil
                guard checked != consent.granted else { continue }
                _ = try await services.profiles.recordConsent(
                    userId: identity.userId, ConsentInput(type: consent.type, version: consent.currentVersion, granted: checked),
                    requestID: context.requestID)
            }
            let missing = try await services.profiles.consents(userId: identity.userId).contains { $0.required && !$0.granted }
            guard missing else { return Self.redirect("/onboarding") }
            return try await Self.onboarding(request, services: services, userId: identity.userId, status: .unprocessableContent) { state in
                state.consentError = strings["onboarding.consents.missing"]
            }
        }
        router.post("/onboarding/kyc") { request, context in
            guard let identity = context.identity else { return Self.signInFirst(request) }
            do {
                let started = try await services.kyc.start(try await services.sessions.currentUser(context), requestID: context.requestID)
                return Self.handOff(to: started.sdkUrl, .identityCheck, request, services)
            } catch let error as AppError {
                return try await Self.onboarding(request, services: services, userId: identity.userId, status: error.status) { state in
                    state.kycError = FieldErrors.message(error, Strings(Self.language(of: request)))
                }
            }
        }
        router.post("/logout") { _, context in
            if let identity = context.identity {
                try await services.sessions.end(identity, requestID: context.requestID)
            }
            return Self.signedOut(services)
        }
        addSendRoutes(to: router, services: services)
        addRecipientRoutes(to: router, services: services)
        addStandingOrderRoutes(to: router, services: services)
        addTransactionRoutes(to: router, services: services)
        addNotificationRoutes(to: router, services: services)
        addProfileRoutes(to: router, services: services)
        addScanRoutes(to: router, services: services)
        addMerchantRoutes(to: router, services: services)
        addComplianceRoutes(to: router, services: services)
        // The service worker lives at the root so that its scope is the whole app (installable web app).
        router.get("/sw.js") { _, _ in
            guard let asset = Assets.lookup("sw.js") else { throw AppError.notFound() }
            return asset.response(cacheControl: "no-cache")
        }
        // The texts people accept during onboarding; public.
        router.get("/terms") { request, _ in Self.html(LegalPages.render(.terms, Strings(Self.language(of: request)))) }
        router.get("/privacy") { request, _ in Self.html(LegalPages.render(.privacy, Strings(Self.language(of: request)))) }
        // What the installed app shows without a network (the service worker keeps this page only).
        router.get("/offline") { request, _ in
            Self.html(OfflinePage.render(Strings(Self.language(of: request))))
        }
        router.get("/assets/:file") { _, context in
            guard let name = context.parameters.get("file"), let asset = Assets.lookup(name) else { throw AppError.notFound() }
            return asset.response(cacheControl: "public, max-age=3600")
        }
    }

    static func language(of request: Request) -> Language {
        Language.negotiate(cookie: request.cookie("drop_lang"), acceptLanguage: request.headers[.acceptLanguage])
    }

    static func onboarding(
        _ request: Request, services: AppServices, userId: String, status: HTTPResponse.Status = .ok,
        adjust: (inout OnboardingPage.State) -> Void
    ) async throws -> Response {
        guard let user = try await UserRepository.find(id: userId, in: services.database) else {
            return redirect("/login")
        }
        var state = OnboardingPage.State(user: user, consents: try await services.profiles.consents(userId: userId),
                                         navigation: try await .load(request, userId: userId, services))
        adjust(&state)
        return html(OnboardingPage.render(Strings(language(of: request)), state), status: status)
    }

    /// Where the language switch sends the person back to: the page they were on (a page one can
    /// GET: a form's result page goes back to its form), never another site.
    static func returnPath(referer: String?, baseURL: String) -> String {
        guard let referer, let url = URLComponents(string: referer), url.host == nil || referer.hasPrefix(baseURL) else { return "/" }
        let path = url.percentEncodedPath
        let pages = ["/dashboard", "/bank-accounts", "/onboarding", "/send", "/recipients", "/transactions", "/notifications", "/login", "/merchant"]
        if path.range(of: "^/transactions/[0-9a-fA-F-]{36}$", options: .regularExpression) != nil { return path }
        if ["/transactions", "/recipients"].contains(path), let query = url.percentEncodedQuery, !query.isEmpty,
           query.range(of: "^[A-Za-z0-9=&_%.-]*$", options: .regularExpression) != nil {
            return path + "?" + query
        }
        return pages.first { path == $0 || path.hasPrefix($0 + "/") } ?? "/"
    }

    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
    }

    /// Someone not signed in goes to the login page, and after BankID back to the page they asked for
    /// (a link from a notification or an e-mail keeps working). A form posted without a session has
    /// no page to come back to: it starts from the login page's default, the dashboard.
    static func signInFirst(_ request: Request) -> Response {
        guard request.method == .get || request.method == .head else { return redirect("/login") }
        var path = request.uri.path
        // The login keeps where it goes back to: never a national identity number, so the customer
        // lookup's query (a number, or a name) and any query naming one stay behind.
        let naming = request.uri.queryParameters.contains { $0.key.lowercased() == "nationalid" }
        if let query = request.uri.query, !query.isEmpty, !naming, !path.hasPrefix("/admin/customers") { path += "?" + query }
        // The dashboard is where a sign-in goes anyway.
        return redirect(["/", "/dashboard"].contains(path) ? "/login" : "/login?redirect=" + URLQuery.value(path))
    }

    /// The one place a page becomes a response body.
    /// A typed NOK amount ("2 500", "1 234,50"), or the message for its field.
    static func parseKroner(_ text: String, _ strings: Strings) -> (Money?, String?) {
        do {
            return (try Money(parsing: text, currency: .nok), nil)
        } catch MoneyParsingError.empty {
            return (nil, strings["send.error.amount.empty"])
        } catch {
            return (nil, strings["send.error.amount.format"])
        }
    }

    /// Never stored: a page names the person, their balances and payments, and Back after signing
    /// out (or the disk cache of a shared phone) must not show it again.
    static func html(_ page: HTML, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                 body: .init(byteBuffer: ByteBuffer(string: page.description)))
    }
}
