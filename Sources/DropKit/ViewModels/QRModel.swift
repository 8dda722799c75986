import DropCore
import Foundation
import Observation

/// QR: a scanned or pasted link, checked to be Drop's own, the shop it names, the amount (typed
/// for a shop's static code, fixed by a signed code), the account to pay from, the bank's
/// approval and the result.
@Observable
@MainActor
public final class QRModel {
    public enum LinkState: Sendable, Equatable {
        case empty
        /// The text was refused before anything was asked of the server.
        case refused(DeepLink.PaymentLinkRefusal)
        /// A signed code whose time ran out.
        case expired
        case ready(DeepLink.PaymentLink, PublicMerchant)
    }

    public private(set) var link: LinkState = .empty
    public private(set) var accounts: [BankAccount] = []
    /// Changing the account or the message after an error makes the next confirmation a new
    /// payment, as editing the amount does: the earlier request is never sent again with new terms
    /// it would not carry.
    public var account: BankAccount? { didSet { if account != oldValue { progress.draftChanged() } } }
    public private(set) var amountText = ""
    public var message = "" { didSet { if message != oldValue { progress.draftChanged() } } }
    public private(set) var amountIssue: FieldIssue?
    public private(set) var problem: Problem?
    /// The payment from confirmation to its final status.
    public let progress: PaymentProgress<QRPaymentInput>

    let environment: ClientEnvironment
    weak var session: SessionModel?

    public init(environment: ClientEnvironment, session: SessionModel? = nil) {
        self.environment = environment
        self.session = session
        progress = PaymentProgress(environment: environment)
    }

    public var phase: PaymentPhase { progress.phase }
    public var transaction: Transaction? { progress.transaction }
    public var idempotencyKey: String? { progress.idempotencyKey }

    /// The amount to pay: the signed code's, or what the payer typed for a static code.
    public var amountMinor: Int64? {
        guard case .ready(let link, _) = link else { return nil }
        return link.amountMinor ?? Money.parseMinor(amountText).flatMap { $0 > 0 ? $0 : nil }
    }

    /// A static code asks the payer for the amount.
    public var needsAmount: Bool {
        if case .ready(let link, _) = link { return link.isStatic }
        return false
    }

    /// Reads what the camera or the clipboard gave. Only Drop's own links (same origin as the
    /// client, or `drop://pay/…`) go further; then the shop's public details are fetched.
    public func open(_ text: String) async {
        reset()
        switch DeepLink.paymentLink(from: text, origin: environment.client.baseURL) {
        case .failure(let refusal):
            link = .refused(refusal)
        case .success(let parsed):
            await open(parsed)
        }
    }

    /// A pay link the app was opened with (a universal link or `drop://pay/…`).
    public func open(_ parsed: DeepLink.PaymentLink) async {
        reset()
        // The server's rule (good up to and including its second), so a code the server still takes is never refused here.
        if let expiry = parsed.expiresAt, DropCore.PaymentLink.hasExpired(expiry, at: environment.now()) {
            link = .expired
            return
        }
        do {
            let merchant = try await environment.client.merchant(code: parsed.merchantCode)
            if accounts.isEmpty {
                accounts = try await environment.client.bankAccounts().items.filter { $0.status == .active }
            }
            if account == nil { account = accounts.first }
            link = .ready(parsed, merchant)
        } catch {
            fail(error)
        }
    }

    public func setAmount(_ text: String) {
        amountText = text
        progress.draftChanged()
        amountIssue = text.isEmpty || Money.parseMinor(text) != nil ? nil : FieldIssue(issue: "format", message: nil)
    }

    public var canPay: Bool { amountMinor != nil && account != nil && phase == .editing }

    /// Pays. A retry after a failure that may not have reached Drop reuses key and body.
    public func pay() async {
        let client = environment.client
        let draft = progress.draft
        let problem = await progress.submit({
            guard case .ready(let link, _) = link, let amount = amountMinor, let account else { return nil }
            // A static code's typed text is the payer's message; a signed code's reference is the order's.
            let reference = link.isStatic ? (message.isEmpty ? nil : message) : link.reference
            let input = QRPaymentInput(merchantCode: link.merchantCode, amountMinor: amount, reference: reference, expiresAt: link.expiresAt,
                                       signature: link.signature, bankAccountId: account.id, client: .mobile)
            return PaymentDraft(intent: PaymentIntent("qr-payment", input)) { _ in input }
        }, send: { input, key in try await client.payQR(input, idempotencyKey: key) })
        // Another code was opened while it was on its way: the answer is not about the one on the screen.
        guard progress.draft == draft else { return }
        amountIssue = problem?.fields["amountMinor"]
        if let problem { fail(problem) } else { self.problem = nil }
    }

    /// Back from the bank (`drop://transactions/{id}`): follow the payment to its end.
    @discardableResult
    public func open(_ deepLink: DeepLink) async -> Bool {
        guard progress.isReturn(deepLink) else { return false }
        if let problem = await progress.follow() { fail(problem) }
        return true
    }

    private func reset() {
        link = .empty
        amountText = ""
        message = ""
        amountIssue = nil
        problem = nil
        progress.reset()
    }

    private func fail(_ error: any Error) {
        let problem = Problem(error)
        self.problem = problem
        session?.report(problem)
    }
}
