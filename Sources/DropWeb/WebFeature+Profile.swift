import DropAPI
import DropCore
import DropStore
import Foundation
import Hummingbird

/// Profile (details, language, limits, consents, your data, erasure) and complaints.
extension WebFeature {
    func addProfileRoutes(to router: Router<AppRequestContext>, services: AppServices) {
        router.get("/profile") { request, context in
            guard let viewer = try await Viewer.signedIn(request, context, services) else { return Self.signInFirst(request) }
            return try await Self.profilePage(viewer, services, section: nil)
        }

        // A static route per page: beside the forms' POST routes (`/profile/details`, …) a `/profile/:section` would answer 405.
        for section in ProfilePage.Section.allCases {
            router.get(RouterPath(section.path)) { request, context in
                try await Self.profileSection(section, request, context, services)
            }
        }

        router.post("/profile/details") { request, context in
            guard let viewer = try await Viewer.signedIn(request, context, services) else { return Self.signInFirst(request) }
            let form = try await FormBody.read(request)
            let typed = ["phone": form["phone"] ?? "", "email": form["email"] ?? ""]
            do {
                _ = try await services.profiles.update(try context.requireIdentity(), with: ProfilePatch(phone: typed["phone"], email: typed["email"]),
                                                       requestID: context.requestID)
                // A checkbox is sent only when ticked.
                try await services.profiles.setEmailNotifications(userId: viewer.userId, form["notifyEmail"] == "on")
                return Self.redirect("/profile/details?saved=details")
            } catch let error as AppError where error.code == "STEP_UP_REQUIRED" {
                // A new email or phone: BankID again, then back to this form to make the change.
                return Self.redirect(StepUp.webStepUp(back: "/profile/details"))
            } catch let error as AppError {
                return try await Self.profilePage(viewer, services, section: .details, input: typed, status: error.status,
                                                  errors: FieldErrors.from(error, strings: viewer.strings, fields: ["phone": "phone", "email": "email"], codes: [:]))
            }
        }

        router.post("/profile/email/confirmation") { request, context in
            guard let viewer = try await Viewer.signedIn(request, context, services) else { return Self.signInFirst(request) }
            do {
                try await services.emailConfirmation.resend(userId: viewer.userId, requestID: context.requestID)
                return Self.redirect("/profile/details?saved=email-sent")
            } catch let error as AppError where error.status == .conflict {
                return Self.redirect("/profile/details")
            }
        }

        // The link in the confirmation email: no sign-in needed, the token is the proof.
        router.get("/email/confirm") { request, context in
            let strings = Strings(Self.language(of: request))
            do {
                try await services.emailConfirmation.confirm(token: request.uri.queryParameters.get("token") ?? "", requestID: context.requestID)
                return Self.html(EmailConfirmPage.confirmed(strings, signedIn: context.identity != nil))
            } catch let error as AppError {
                return Self.html(EmailConfirmPage.failed(strings, code: error.code, signedIn: context.identity != nil), status: error.status)
            }
        }

        router.post("/profile/language") { request, context in
            guard let identity = context.identity else { return Self.signInFirst(request) }
            let form = try await FormBody.read(request)
            guard let language = Language(rawValue: form["locale"] ?? "") else { return Self.redirect("/profile/language") }
            _ = try await services.profiles.update(identity, with: ProfilePatch(locale: language.rawValue), requestID: context.requestID)
            var response = Self.redirect("/profile/language?saved=language")
            response.headers[.setCookie] = Self.languageCookie(language, services: services)
            return response
        }

        router.post("/profile/limits") { request, context in
            guard let viewer = try await Viewer.signedIn(request, context, services) else { return Self.signInFirst(request) }
            let form = try await FormBody.read(request)
            let typed = ["daily": form["daily"] ?? "", "monthly": form["monthly"] ?? ""]
            var errors: [String: String] = [:]
            var amounts: [String: Money] = [:]
            for (field, text) in typed where !text.trimmingCharacters(in: .whitespaces).isEmpty {
                do { amounts[field] = try Money(parsing: text, currency: .nok) } catch { errors[field] = viewer.strings["send.error.amount.format"] }
            }
            guard errors.isEmpty else { return try await Self.profilePage(viewer, services, section: .limits, input: typed, status: .unprocessableContent, errors: errors) }
            do {
                _ = try await services.spendingLimits.update(try context.requireIdentity(), SpendingLimitsInput(daily: amounts["daily"], monthly: amounts["monthly"]),
                                                             requestID: context.requestID)
                return Self.redirect("/profile/limits?saved=limits")
            } catch let error as AppError where error.code == "STEP_UP_REQUIRED" {
                // A higher limit: BankID again, then back to this form to raise it.
                return Self.redirect(StepUp.webStepUp(back: "/profile/limits"))
            } catch let error as AppError {
                let fields = ["daily": "daily", "monthly": "monthly", "daily.currency": "daily", "monthly.currency": "monthly", "daily.amountMinor": "daily",
                              "monthly.amountMinor": "monthly"]
                let locale = viewer.strings.displayLocale
                return try await Self.profilePage(viewer, services, section: .limits, input: typed, status: error.status, errors: FieldErrors.from(
                    error, strings: viewer.strings, fields: fields, codes: [:],
                    fill: ["min": Money.zero(.nok).formatted(for: locale)],
                    fillByField: ["daily": ["max": SpendingLimits.maximumDaily.formatted(for: locale)],
                                  "monthly": ["max": SpendingLimits.maximumMonthly.formatted(for: locale)]]))
            }
        }

        router.post("/profile/consents/marketing") { request, context in
            guard let viewer = try await Viewer.signedIn(request, context, services) else { return Self.signInFirst(request) }
            let form = try await FormBody.read(request)
            _ = try await services.profiles.recordConsent(
                userId: viewer.userId, ConsentInput(type: "marketing", version: ConsentType.marketing.currentVersion, granted: form["granted"] == "true"),
                requestID: context.requestID)
            return Self.redirect("/profile/consents?saved=consents")
        }

        router.post("/profile/data-requests") { request, context in
            guard let viewer = try await Viewer.signedIn(request, context, services) else { return Self.signInFirst(request) }
            let form = try await FormBody.read(request)
            let typed = ["kind": form["kind"] ?? "", "details": form["details"] ?? ""]
            do {
                _ = try await services.dataRequests.create(
                    userId: viewer.userId, .init(kind: typed["kind"] ?? "", details: typed["details"]), requestID: context.requestID)
                return Self.redirect("/profile/data?saved=request")
            } catch let error as AppError {
                return try await Self.profilePage(viewer, services, section: .data, input: typed, status: error.status,
                                                  errors: FieldErrors.from(error, strings: viewer.strings, fields: ["kind": "kind", "details": "details"],
                                                                           codes: ["CONFLICT": "kind"]))
            }
        }

        // The data export as a file, from the data page's one-button form: a POST, so no link or page elsewhere can
        // start it (it writes `gdpr.exported`). It needs a recent BankID sign-in as the API's does: BankID again,
        // then back to the data page to press the button once more.
        router.post("/profile/data/export") { request, context in
            guard context.identity != nil else { return Self.signInFirst(request) }
            do {
                return try await DataExport.download(context, services: services)
            } catch let error as AppError where error.code == "STEP_UP_REQUIRED" {
                return Self.redirect(StepUp.webStepUp(back: "/profile/data"))
            }
        }

        router.post("/profile/erase") { request, context in
            guard let viewer = try await Viewer.signedIn(request, context, services) else { return Self.signInFirst(request) }
            let form = try await FormBody.read(request)
            guard form["confirm"] == "yes" else {
                return try await Self.profilePage(viewer, services, section: .erase, status: .unprocessableContent,
                                                  errors: ["confirm": viewer.strings["profile.erase.confirm.missing"]])
            }
            do {
                let receipt = try await services.erasure.erase(try context.requireIdentity(), requestID: context.requestID)
                var response = Self.html(ProfilePage.erased(viewer.strings, retainedUntil: receipt.retained.isEmpty ? nil : receipt.retainedUntil))
                response.headers[.setCookie] = services.sessions.expiredCookie
                return response
            } catch let error as AppError where error.code == "STEP_UP_REQUIRED" {
                // Erasure can't be undone: BankID again, then back to this page to confirm it once more.
                return Self.redirect(StepUp.webStepUp(back: "/profile/erase"))
            } catch let error as AppError {
                return try await Self.profilePage(viewer, services, section: .erase, status: error.status,
                                                  errors: ["confirm": FieldErrors.message(error, viewer.strings)])
            }
        }

        router.post("/profile/logout-everywhere") { request, context in
            guard let identity = context.identity else { return Self.signInFirst(request) }
            try await services.sessions.endAll(userId: identity.userId, requestID: context.requestID)
            return Self.signedOut(services)
        }

        router.get("/complaints") { request, context in
            guard let viewer = try await Viewer.signedIn(request, context, services) else { return Self.signInFirst(request) }
            let notice = request.uri.queryParameters.get("filed") != nil ? viewer.strings["complaints.filed"] : nil
            return try await Self.complaintsPage(viewer, services, input: ["transactionId": request.uri.queryParameters.get("transaction") ?? ""], notice: notice)
        }

        router.post("/complaints") { request, context in
            guard let viewer = try await Viewer.signedIn(request, context, services) else { return Self.signInFirst(request) }
            let form = try await FormBody.read(request)
            let typed = ["subject": form["subject"] ?? "", "description": form["description"] ?? "", "transactionId": form["transactionId"] ?? ""]
            do {
                _ = try await services.complaints.file(
                    userId: viewer.userId, .init(subject: typed["subject"] ?? "", description: typed["description"] ?? "", transactionId: typed["transactionId"]),
                    requestID: context.requestID)
                return Self.redirect("/complaints?filed=1")
            } catch let error as AppError {
                return try await Self.complaintsPage(viewer, services, input: typed, status: error.status,
                                                     errors: FieldErrors.from(error, strings: viewer.strings,
                                                                              fields: ["subject": "subject", "description": "description", "transactionId": "transactionId"],
                                                                              codes: [:]))
            }
        }
    }

    static func profileSection(_ section: ProfilePage.Section, _ request: Request, _ context: AppRequestContext, _ services: AppServices) async throws -> Response {
        guard let viewer = try await Viewer.signedIn(request, context, services) else { return signInFirst(request) }
        // Only a known confirmation is shown; anything else in `saved` is ignored.
        let saved = request.uri.queryParameters.get("saved").flatMap { viewer.strings.has("profile.saved.\($0)") ? $0 : nil }
        return try await profilePage(viewer, services, section: section, notice: saved.map { viewer.strings["profile.saved.\($0)"] })
    }

    /// The profile's overview (`section` nil) or one of its pages, with what was typed and refused.
    static func profilePage(_ viewer: Viewer, _ services: AppServices, section: ProfilePage.Section?, input: [String: String] = [:], notice: String? = nil,
                            status: HTTPResponse.Status = .ok, errors: [String: String] = [:]) async throws -> Response {
        guard let user = try await UserRepository.find(id: viewer.userId, in: services.database) else {
            return redirect("/login")
        }
        // The overview summarises every page; a page loads only what it shows.
        func shows(_ page: ProfilePage.Section) -> Bool { section == nil || section == page }
        let state = ProfilePage.State(
            user: user,
            emailNotifications: section == .details ? try await services.profiles.emailNotifications(userId: viewer.userId) : true,
            limits: shows(.limits) ? try await services.spendingLimits.overview(userId: viewer.userId) : nil,
            consents: shows(.consents) ? try await services.profiles.consents(userId: viewer.userId) : [],
            requests: shows(.data) ? try await services.dataRequests.list(userId: viewer.userId) : [],
            input: input, errors: errors, notice: notice)
        return html(section.map { ProfilePage.render(viewer, state, section: $0) } ?? ProfilePage.overview(viewer, state), status: status)
    }

    static func complaintsPage(_ viewer: Viewer, _ services: AppServices, input: [String: String] = [:], notice: String? = nil,
                               status: HTTPResponse.Status = .ok, errors: [String: String] = [:]) async throws -> Response {
        let state = ComplaintsPage.State(
            complaints: try await services.complaints.list(userId: viewer.userId),
            transactions: try await services.transactions.list(userId: viewer.userId, filter: .init(), page: PageRequest(limit: 20)).items,
            input: input, errors: errors, notice: notice)
        return html(ComplaintsPage.render(viewer, state), status: status)
    }

    static func languageCookie(_ language: Language, services: AppServices) -> String {
        let secure = services.config.environment == .development ? "" : "; Secure"
        return "drop_lang=\(language.rawValue); Path=/; Max-Age=31536000; SameSite=Lax\(secure)"
    }
}
