import DropAPI
import DropCore
import DropHTML
import DropStore
import Foundation
import Hummingbird

/// The merchant's page (`/merchant`) and the payer's page a QR code opens (`/pay/{code}`).
extension WebFeature {
    func addMerchantRoutes(to router: Router<AppRequestContext>, services: AppServices) {
        router.get("/merchant") { request, context in
            guard let viewer = try await Viewer.signedIn(request, context, services) else { return Self.signInFirst(request) }
            guard let merchant = try? await services.merchants.mine(userId: viewer.userId) else {
                return Self.html(MerchantPage.register(viewer, .init { _ in nil }, owner: try await Self.owner(viewer, services, context), errors: [:]))
            }
            // A GET form encodes spaces as "+", which the router's query parameters keep.
            let query = FormBody.parse(request.uri.query ?? "")
            return try await Self.merchantDashboard(viewer, merchant, services, amount: query["amount"], reference: query["reference"])
        }

        // A payment to the shop, which the merchant's "payment received" notification opens.
        router.get("/merchant/payments/:id") { request, context in
            guard let viewer = try await Viewer.signedIn(request, context, services) else { return Self.signInFirst(request) }
            guard let merchant = try? await services.merchants.mine(userId: viewer.userId) else { throw AppError.notFound() }
            let payment = try await services.merchantDashboard.payment(merchant: merchant, id: try context.parameters.require("id"))
            return Self.html(MerchantPage.payment(viewer, merchant: MerchantView(merchant), payment))
        }

        router.post("/merchant") { request, context in
            guard let viewer = try await Viewer.signedIn(request, context, services) else { return Self.signInFirst(request) }
            let form = try await FormBody.read(request)
            let input = MerchantPage.Registration { form[$0] }
            do {
                _ = try await services.merchants.register(user: try await services.sessions.currentUser(context), input.input, requestID: context.requestID)
                return Self.redirect("/merchant")
            } catch let error as AppError where error.code == MerchantService.existsCode {
                // Sent twice (a double click, or an old tab): the business they have is on the page.
                return Self.redirect("/merchant")
            } catch let error as AppError {
                return Self.html(MerchantPage.register(viewer, input, owner: try await Self.owner(viewer, services, context),
                                                       errors: MerchantPage.registrationErrors(error, viewer.strings)), status: error.status)
            }
        }

        router.get("/pay/:code") { request, context in
            let strings = Strings(Self.language(of: request))
            var state = try await Self.payState(request, context, services, strings: strings)
            // A paid code says so even after it expired; the id comes from the terms, so only the same purchase matches.
            if let id = PaymentLinkSigner.identifier(of: state.link) {
                state.holder = try await services.qrPayments.linkHolder(id)
            }
            if let viewer = state.viewer, state.linkError == nil, state.holder == nil, !state.unavailable {
                try await Self.addPayer(&state, viewer: viewer, services, context)
            }
            let status: HTTPResponse.Status = state.holder != nil ? .ok : state.unavailable ? .conflict : state.linkError == nil ? .ok : .unprocessableContent
            return Self.html(PayPage.render(strings, state), status: status)
        }

        router.post("/pay/:code") { request, context in
            guard let viewer = try await Viewer.signedIn(request, context, services) else { return Self.signInFirst(request) }
            let strings = viewer.strings
            let form = try await FormBody.read(request)
            let code = try context.parameters.require("code")
            let merchant = try await services.merchants.publicMerchant(code: code)
            let parsedCode = try MerchantCode(merchant.code)
            var link = PaymentLink.staticLink(parsedCode)
            if let signature = form["signature"], let amount = form["amountMinor"].flatMap({ Int64($0) }),
               let expiresAt = form["expiresAt"].flatMap({ Int64($0) }) {
                link = .dynamic(parsedCode, terms: .init(amountMinor: amount, reference: form["reference"] ?? "", expiresAt: expiresAt), signature: signature)
            }
            var state = PayPage.State(merchant: PublicMerchantView(merchant), link: link, viewer: viewer)
            guard merchant.takesPayments else {
                state.unavailable = true
                return Self.html(PayPage.render(strings, state), status: .conflict)
            }
            state.amount = form["amount"] ?? ""
            state.bankAccountId = form["bankAccountId"] ?? ""
            state.idempotencyKey = form["idempotencyKey"] ?? state.idempotencyKey
            let render = { (state: PayPage.State, status: HTTPResponse.Status) async throws -> Response in
                var state = state
                try await Self.addPayer(&state, viewer: viewer, services, context)
                return Self.html(PayPage.render(strings, state), status: status)
            }
            let amountMinor: Int64
            if let terms = link.terms {
                amountMinor = terms.amountMinor
            } else {
                guard let amount = try? Money(parsing: state.amount, currency: .nok), amount.minorUnits > 0 else {
                    state.errors["amount"] = strings[state.amount.isEmpty ? "error.issue.required" : "send.error.amount.format"]
                    return try await render(state, .unprocessableContent)
                }
                amountMinor = amount.minorUnits
            }
            do {
                let started = try await services.qrPayments.createOnce(
                    user: try await services.sessions.currentUser(context),
                    .init(merchantCode: merchant.code, amountMinor: amountMinor, reference: link.terms?.reference, expiresAt: link.terms?.expiresAt,
                          signature: link.signature, bankAccountId: state.bankAccountId, client: .web),
                    idempotencyKey: state.idempotencyKey, psuIPAddress: context.clientIP)
                return Self.handOff(to: started.scaRedirect ?? "/transactions/\(started.transaction.id)", .bank, request, services)
            } catch let error as AppError {
                switch (error.code, error.details.first?.issue) {
                case ("PAYMENT_LINK_USED", _):
                    if let id = PaymentLinkSigner.identifier(of: link) { state.holder = try await services.qrPayments.linkHolder(id) }
                    if state.holder == nil { state.linkError = strings["pay.inprogress"] }
                case ("MERCHANT_UNAVAILABLE", _):
                    // Its owner lost their standing between the page and the confirm.
                    state.unavailable = true
                    return Self.html(PayPage.render(strings, state), status: error.status)
                case ("IDEMPOTENCY_KEY_REUSED", _):
                    // The first confirm's payment was written but its bank didn't answer, and this one asks
                    // for something else: it is another payment, under a key of its own, once confirmed again.
                    state.idempotencyKey = RecordID.make()
                    state.errors["form"] = strings["error.generic"]
                case ("PAYMENT_LINK_EXPIRED", _): state.linkError = strings["pay.error.expired"]
                case ("PAYMENT_LINK_INVALID", _): state.linkError = strings["pay.error.invalid"]
                case (_, .some("own_merchant")): state.errors["form"] = strings["pay.error.own"]
                case ("LIMIT_EXCEEDED", let issue):
                    state.errors["amount"] = issue == "range"
                        ? strings.format("pay.error.amount", ["min": QRPaymentLimits.minimum.formatted(for: strings.displayLocale),
                                                              "max": QRPaymentLimits.maximum.formatted(for: strings.displayLocale)])
                        : strings["error.issue.\(issue ?? "")"]
                default:
                    let errors = FieldErrors.from(error, strings: strings, fields: ["amountMinor": "amount", "bankAccountId": "bankAccountId"],
                                                  codes: ["INSUFFICIENT_FUNDS": "bankAccountId", "BANK_RECONNECT_REQUIRED": "bankAccountId",
                                                          "PROVIDER_UNAVAILABLE": "bankAccountId"])
                    state.errors.merge(errors) { first, _ in first }
                }
                return try await render(state, error.status)
            }
        }
    }

    /// The pay page's merchant and link, read from the path and query exactly as the QR code
    /// carried them; a link that is not Drop's, tampered with or expired says so.
    static func payState(_ request: Request, _ context: AppRequestContext, _ services: AppServices, strings: Strings) async throws -> PayPage.State {
        let merchant = try await services.merchants.publicMerchant(code: try context.parameters.require("code"))
        let code = try MerchantCode(merchant.code)
        let viewer = try await Viewer.signedIn(request, context, services)
        let query = request.uri.query.map { $0.isEmpty ? "" : "?" + $0 } ?? ""
        let base = services.publicBaseURL.url
        guard let link = try? PaymentLink.parse(base + "/pay/" + code.value + query, base: base) else {
            return PayPage.State(merchant: PublicMerchantView(merchant), link: .staticLink(code), linkError: strings["pay.error.invalid"], viewer: viewer)
        }
        guard merchant.takesPayments else {
            return PayPage.State(merchant: PublicMerchantView(merchant), link: link, viewer: viewer, unavailable: true)
        }
        var linkError: String?
        do {
            try PaymentLinkSigner(secrets: services.config.secrets.paymentLinkSecrets).verify(link, now: services.clock())
        } catch PaymentLinkError.expired {
            linkError = strings["pay.error.expired"]
        } catch {
            linkError = strings["pay.error.invalid"]
        }
        return PayPage.State(merchant: PublicMerchantView(merchant), link: link, linkError: linkError, viewer: viewer)
    }

    /// Whether the viewer may register a business, and the accounts it may settle to.
    static func owner(_ viewer: Viewer, _ services: AppServices, _ context: AppRequestContext) async throws -> MerchantPage.Owner {
        let user = try await services.sessions.currentUser(context)
        let accounts = try await services.balances.accounts(userId: viewer.userId, presence: .present(ipAddress: context.clientIP))
        return MerchantPage.Owner(kycApproved: user.kycStatus == .approved, accounts: accounts.filter {
            $0.record.status == .active && $0.record.currency == Currency.nok.code && MerchantService.norwegianNumber(of: $0.record) != nil
        })
    }

    /// What a signed-in payer needs: whether they may pay, and their accounts.
    static func addPayer(_ state: inout PayPage.State, viewer: Viewer, _ services: AppServices, _ context: AppRequestContext) async throws {
        let user = try await services.sessions.currentUser(context)
        state.kycApproved = user.kycStatus == .approved
        state.accounts = try await services.balances.accounts(userId: viewer.userId, presence: .present(ipAddress: context.clientIP))
    }

    static func merchantDashboard(_ viewer: Viewer, _ merchant: MerchantRecord, _ services: AppServices, amount: String?, reference: String?) async throws -> Response {
        let strings = viewer.strings
        let merchants = services.merchants
        let staticLink = try merchants.link(for: merchant, amountMinor: nil, reference: nil).view
        var dynamic = MerchantPage.Dynamic(amount: amount ?? "", reference: reference ?? "")
        var status: HTTPResponse.Status = .ok
        if let amount, !amount.isEmpty {
            do {
                let money = try Money(parsing: amount, currency: .nok)
                let link = try merchants.link(for: merchant, amountMinor: money.minorUnits, reference: reference).view
                dynamic.link = link
                // Trusted: SVG drawn by Drop's QR renderer, which escapes the one text in it (the title).
                dynamic.svg = HTML(trustedMarkup: try merchants.svg(link, merchantName: merchant.name))
            } catch let error as AppError {
                status = error.status
                if error.details.contains(where: { $0.field == "reference" }) {
                    dynamic.errors["reference"] = strings["merchant.qr.error.reference"]
                } else {
                    dynamic.errors["amount"] = strings.format("merchant.qr.error.amount", [
                        "min": QRPaymentLimits.minimum.formatted(for: strings.displayLocale), "max": QRPaymentLimits.maximum.formatted(for: strings.displayLocale)])
                }
            } catch {
                status = .unprocessableContent
                dynamic.errors["amount"] = strings["send.error.amount.format"]
            }
        }
        let today = try await services.merchantDashboard.dashboard(merchant: merchant, from: nil, to: nil)
        // Trusted: SVG drawn by Drop's QR renderer, which escapes the one text in it (the title).
        let staticSVG = HTML(trustedMarkup: try merchants.svg(staticLink, merchantName: merchant.name))
        return html(MerchantPage.dashboard(viewer, .init(
            merchant: MerchantView(merchant), staticLink: staticLink, staticSVG: staticSVG,
            dynamic: dynamic, today: today)), status: status)
    }
}
