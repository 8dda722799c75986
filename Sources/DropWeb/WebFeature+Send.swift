import DropAPI
import DropCore
import DropStore
import Foundation
import Hummingbird

/// Send money: the form, the price to review, the confirmation that goes to the bank.
extension WebFeature {
    func addSendRoutes(to router: Router<AppRequestContext>, services: AppServices) {
        router.get("/send") { request, context in
            guard let viewer = try await Viewer.signedIn(request, context, services) else { return Self.signInFirst(request) }
            let query = request.uri.queryParameters
            // Back after signing in again: what they had typed when the session ran out.
            if let restored = try await FormDraft.send.restored(request, for: viewer, with: services.csrf, page: { kept, notice in
                try await Self.sendForm(viewer, services, context, input: .init { kept?[$0] }, notice: notice)
            }) { return restored }
            return try await Self.sendForm(viewer, services, context, input: .init { query.get($0) })
        }

        router.post("/send/quote") { request, context in
            guard let viewer = try await Viewer.signedIn(request, context, services) else { return try await Self.sessionEnded(request, services) }
            let form = try await FormBody.read(request)
            let input = SendMoneyPage.Input { form[$0] }
            let strings = viewer.strings
            let user = try await services.sessions.currentUser(context)
            guard user.kycStatus == .approved else {
                return try await Self.sendForm(viewer, services, context, input: input, status: .forbidden,
                                               errors: ["form": strings["error.code.KYC_REQUIRED"]])
            }
            // Each field on its own first, so every problem shows at once.
            var errors: [String: String] = [:]
            let recipient = input.recipientId.isEmpty ? nil : try? await services.recipients.find(id: input.recipientId, userId: viewer.userId)
            if recipient == nil { errors["recipientId"] = strings["send.error.recipient"] }
            let (amount, amountError) = Self.parseKroner(input.amount, strings)
            if let amountError { errors["amount"] = amountError }
            let accounts = try await services.balances.accounts(userId: viewer.userId, presence: .present(ipAddress: context.clientIP))
            let account = accounts.first { $0.record.id == input.bankAccountId }
            if account == nil { errors["bankAccountId"] = strings["send.error.account"] }
            if input.message.count > 140 { errors["message"] = strings["error.issue.too_long"] }
            guard errors.isEmpty, let recipient, let amount else {
                return try await Self.sendForm(viewer, services, context, input: input, status: .unprocessableContent, errors: errors)
            }
            do {
                let quote = try await services.quotes.create(userId: viewer.userId, QuoteInput(
                    country: recipient.country, currency: recipient.currency, sendAmountMinor: amount.minorUnits))
                return Self.html(SendMoneyPage.review(viewer, .init(
                    quote: quote, recipient: recipient, account: account, input: input,
                    bankPayee: services.config.providers.payoutCollectionName, idempotencyKey: RecordID.make())))
            } catch let error as AppError {
                return try await Self.sendForm(viewer, services, context, input: input, status: error.status,
                                               errors: Self.sendErrors(error, strings, recipient: recipient))
            }
        }

        router.post("/send/confirm") { request, context in
            guard let viewer = try await Viewer.signedIn(request, context, services) else { return try await Self.sessionEnded(request, services) }
            let form = try await FormBody.read(request)
            let input = SendMoneyPage.Input { form[$0] }
            let user = try await services.sessions.currentUser(context)
            do {
                let started = try await services.remittances.createOnce(
                    user: user,
                    // The payee the review page showed, always sent: a page without it is not confirmed.
                    .init(recipientId: input.recipientId, quoteId: form["quoteId"] ?? "", bankAccountId: input.bankAccountId,
                          message: input.message.isEmpty ? nil : input.message, client: .web, payeeVersion: form["payeeVersion"] ?? ""),
                    idempotencyKey: form["idempotencyKey"] ?? "", psuIPAddress: context.clientIP)
                // A transfer held for review has no bank step yet: show it instead.
                return Self.handOff(to: started.scaRedirect ?? "/transactions/\(started.transaction.id)", .bank, request, services)
            } catch let error as AppError {
                let recipient = try? await services.recipients.find(id: input.recipientId, userId: viewer.userId)
                /// A new price for the same amount, on a review page of its own (a new key: it confirms another request).
                func reviewAgain(_ recipient: RecipientView, notice: String, status: HTTPResponse.Status) async throws -> Response? {
                    guard let old = try? await services.quotes.find(id: form["quoteId"] ?? "", userId: viewer.userId),
                          let quote = try? await services.quotes.create(userId: viewer.userId, QuoteInput(
                              country: recipient.country, currency: recipient.currency, sendAmountMinor: old.send.minorUnits)) else { return nil }
                    let accounts = try await services.balances.accounts(userId: viewer.userId, presence: .present(ipAddress: context.clientIP))
                    return Self.html(SendMoneyPage.review(viewer, .init(
                        quote: quote, recipient: recipient, account: accounts.first { $0.record.id == input.bankAccountId }, input: input,
                        bankPayee: services.config.providers.payoutCollectionName,
                        idempotencyKey: RecordID.make(), notice: viewer.strings[notice])), status: status)
                }
                // The recipient was edited after the page was shown (another tab, or someone else): nothing
                // was sent; the recipient as it is now, with a new price for the same amount, to review again.
                if error.code == "RECIPIENT_CHANGED", let recipient,
                   let page = try await reviewAgain(recipient, notice: "send.review.recipientChanged", status: error.status) {
                    return page
                }
                // The price ran out while they read it: one tap gets a new one to review, for the same amount.
                if error.code == "QUOTE_EXPIRED", let recipient, let page = try await reviewAgain(recipient, notice: "send.review.requoted", status: .ok) {
                    return page
                }
                // The first submit (a double click, or a refresh) is still waiting for a slow bank: the same.
                if error.code == "PROVIDER_UNAVAILABLE" || error.code == "IDEMPOTENCY_KEY_IN_USE", let recipient,
                   let quote = try? await services.quotes.find(id: form["quoteId"] ?? "", userId: viewer.userId) {
                    // The bank may or may not have the payment: the same page and key again, so
                    // pressing once more finishes this transfer rather than starting another.
                    let accounts = try await services.balances.accounts(userId: viewer.userId, presence: .present(ipAddress: context.clientIP))
                    return Self.html(SendMoneyPage.review(viewer, .init(
                        quote: quote, recipient: recipient, account: accounts.first { $0.record.id == input.bankAccountId }, input: input,
                        bankPayee: services.config.providers.payoutCollectionName,
                        idempotencyKey: form["idempotencyKey"] ?? "", error: viewer.strings["send.error.bankUnknown"])), status: error.status)
                }
                return try await Self.sendForm(viewer, services, context, input: input, status: error.status,
                                               errors: Self.sendErrors(error, viewer.strings, recipient: recipient))
            }
        }
    }

    /// The session ended while the person filled in a money form (`draft`: the send form or the standing
    /// transfer's): say why on the sign-in page, keep what they typed (a cookie only that form's page reads,
    /// given back to them only: `FormDraft.sealed`) and bring them back to that form after signing in.
    static func sessionEnded(_ request: Request, _ services: AppServices, keeping draft: FormDraft = .send) async throws -> Response {
        let form = try await FormBody.read(request)
        var response = redirect("/login?error=SESSION_EXPIRED&redirect=%2F\(draft.page.dropFirst())")
        // Kept only for the person the ended session's token names; without one nobody knows whose it is.
        if let token = request.cookie(SessionAuthenticator.cookieName), let author = await services.sessionTokens.author(of: token) {
            response.headers[.setCookie] = draft.setCookie(draft.sealed(form, author: author, with: services.csrf),
                                                           secure: services.config.environment != .development)
        }
        return response
    }

    static func sendForm(
        _ viewer: Viewer, _ services: AppServices, _ context: AppRequestContext, input: SendMoneyPage.Input,
        status: HTTPResponse.Status = .ok, errors: [String: String] = [:], notice: String? = nil
    ) async throws -> Response {
        let user = try await services.sessions.currentUser(context)
        let recipients = try await services.recipients.list(userId: viewer.userId, page: PageRequest(limit: PageRequest.maximumLimit)).items
        let accounts = try await services.balances.accounts(userId: viewer.userId, presence: .present(ipAddress: context.clientIP))
        let remaining = try await services.spendingLimits.overview(userId: viewer.userId).remaining
        var input = input
        if input.bankAccountId.isEmpty { input.bankAccountId = accounts.first { $0.record.status == .active }?.record.id ?? "" }
        return html(SendMoneyPage.render(viewer, .init(
            recipients: recipients, accounts: accounts, kycApproved: user.kycStatus == .approved,
            input: input, errors: errors, notice: notice,
            remainingToday: remaining.daily.minorUnits <= remaining.monthly.minorUnits ? remaining.daily : remaining.monthly)), status: status)
    }

    /// The API's refusal placed next to the field it is about.
    static func sendErrors(_ error: AppError, _ strings: Strings, recipient: RecipientView?) -> [String: String] {
        let corridor = recipient.flatMap { recipient in
            CountryCode(rawValue: recipient.country).flatMap { country in
                Currency(rawValue: recipient.currency).flatMap { Corridors.find(country: country, currency: $0) }
            }
        }
        let locale = strings.displayLocale
        return FieldErrors.from(
            error, strings: strings,
            fields: ["sendAmountMinor": "amount", "amountMinor": "amount", "recipientId": "recipientId", "bankAccountId": "bankAccountId",
                     "message": "message"],
            codes: ["QUOTE_EXPIRED": "amount", "LIMIT_EXCEEDED": "amount", "INSUFFICIENT_FUNDS": "bankAccountId",
                    "PROVIDER_UNAVAILABLE": "bankAccountId", "BANK_RECONNECT_REQUIRED": "bankAccountId"],
            fill: ["min": (corridor?.minAmount ?? TransferAmountLimits.minimum).formatted(for: locale),
                   "max": (corridor?.maxAmount ?? TransferAmountLimits.maximum).formatted(for: locale)])
    }
}
