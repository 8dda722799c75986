import Foundation
import Observation

/// Send: pick or add a recipient, type an amount (NOK to send, or what the recipient gets in
/// their currency), see a quote that counts down and refreshes, confirm (one idempotency key per
/// transfer, kept across retries), approve at the bank, and follow the transfer to its end.
@Observable
@MainActor
public final class SendModel {
    public enum AmountSide: Sendable, Equatable {
        /// The amount is NOK leaving the account (before the fee).
        case send
        /// The amount is what the recipient receives, in their currency.
        case receive
    }

    // What the screen shows and edits.
    public private(set) var recipients: [Recipient] = []
    public private(set) var accounts: [BankAccount] = []
    public private(set) var recipient: Recipient?
    public var account: BankAccount? {
        didSet { if oldValue != account { progress.draftChanged() } }
    }
    public private(set) var amountText = ""
    public private(set) var amountSide: AmountSide = .send
    public var message = "" {
        didSet { if oldValue != message { progress.draftChanged() } }
    }
    public private(set) var quote: Quote?
    /// Seconds until the quote's price lapses; the countdown refreshes it at 0.
    public private(set) var secondsLeft = 0
    /// The issues of the last "add recipient", per field of `RecipientInput`.
    public private(set) var recipientIssues: [String: FieldIssue] = [:]
    /// The issue of the amount (`amount`), from the server's answer or the parser.
    public private(set) var amountIssue: FieldIssue?
    public private(set) var problem: Problem?
    /// The transfer from confirmation to its final status.
    public let progress: PaymentProgress<RemittanceInput>

    let environment: ClientEnvironment
    weak var session: SessionModel?

    public init(environment: ClientEnvironment, session: SessionModel? = nil) {
        self.environment = environment
        self.session = session
        progress = PaymentProgress(environment: environment)
    }

    public var phase: PaymentPhase { progress.phase }
    public var transaction: Transaction? { progress.transaction }
    /// The key the transfer being confirmed is sent with (nil before confirming).
    public var idempotencyKey: String? { progress.idempotencyKey }

    /// The amount in minor units, when the text is one.
    public var amountMinor: Int64? { Money.parseMinor(amountText, exponent: Money(amountMinor: 0, currency: amountCurrency).minorUnitExponent) }

    /// What the draft asks a price for; nil without a recipient or a positive amount.
    private var quoteInput: QuoteInput? {
        guard let recipient, let amount = amountMinor, amount > 0 else { return nil }
        return amountSide == .send
            ? QuoteInput(country: recipient.country, currency: recipient.currency, sendAmountMinor: amount)
            : QuoteInput(country: recipient.country, currency: recipient.currency, receiveAmountMinor: amount)
    }

    /// The currency the amount is typed in.
    public var amountCurrency: String { amountSide == .send ? "NOK" : (recipient?.currency ?? "NOK") }

    public var canConfirm: Bool {
        recipient != nil && account != nil && quote != nil && secondsLeft > 0 && phase == .editing
    }

    /// Recipients and the accounts that can pay (active ones).
    public func load() async {
        do {
            recipients = try await environment.client.recipients(limit: 100).items
            accounts = try await environment.client.bankAccounts().items.filter { $0.status == .active }
            if account == nil { account = accounts.first }
            problem = nil
        } catch {
            fail(error)
        }
    }

    public func select(_ recipient: Recipient) {
        guard recipient != self.recipient else { return }
        self.recipient = recipient
        draftChanged()
    }

    /// Adds a recipient and selects it; refused fields land in `recipientIssues`.
    @discardableResult
    public func addRecipient(_ input: RecipientInput) async -> Bool {
        do {
            let created = try await environment.client.addRecipient(input)
            recipientIssues = [:]
            recipients.insert(created, at: 0)
            select(created)
            return true
        } catch {
            let problem = Problem(error)
            recipientIssues = problem.fields
            if recipientIssues.isEmpty { fail(error) } else { self.problem = problem }
            return false
        }
    }

    public func setAmount(_ text: String, side: AmountSide? = nil) {
        amountText = text
        if let side { amountSide = side }
        amountIssue = text.isEmpty || amountMinor != nil ? nil : FieldIssue(issue: "format", message: nil)
        draftChanged()
    }

    /// Asks for a price for the current draft.
    public func refreshQuote() async {
        guard let recipient, let input = quoteInput else {
            quote = nil
            secondsLeft = 0
            return
        }
        // The draft may change while the price is on its way: an answer for another draft is dropped,
        // the side included ("1000" to send and "1000" to receive are the same minor units in EUR).
        let isCurrent = { self.recipient == recipient && self.quoteInput == input }
        do {
            let quote = try await environment.client.quote(input)
            guard isCurrent() else { return }
            self.quote = quote
            amountIssue = nil
            problem = nil
            tick()
        } catch {
            guard isCurrent() else { return }
            let problem = Problem(error)
            if let issue = problem.fields["sendAmountMinor"] ?? problem.fields["receiveAmountMinor"] ?? problem.fields["amountMinor"] {
                amountIssue = issue
                self.problem = problem
            } else {
                fail(error)
            }
        }
    }

    /// Updates the countdown from the clock.
    public func tick() {
        secondsLeft = quote?.secondsLeft(at: environment.now()) ?? 0
    }

    /// The live countdown: ticks every second and asks for a new price when it lapses, while
    /// the draft is being edited. Run it in the screen's task; it ends when the task is cancelled.
    public func runCountdown() async {
        while !Task.isCancelled {
            do { try await environment.sleep(.seconds(1)) } catch { return }
            guard phase == .editing else { continue }
            tick()
            if quote != nil, secondsLeft == 0 { await refreshQuote() }
        }
    }

    /// Creates the transfer. A retry after a failure that may not have reached Drop sends the same
    /// body with the same key, so it is created at most once.
    public func confirm() async {
        let client = environment.client
        let draft = progress.draft
        let problem = await progress.submit({
            guard let recipient, let account, let quote, let amount = amountMinor, secondsLeft > 0 else { return nil }
            let message = self.message.isEmpty ? nil : self.message
            // What is paid: the quote is only its price, new after a relaunch.
            let terms = TransferTerms(recipientId: recipient.id, payeeVersion: recipient.payeeVersion, bankAccountId: account.id,
                                      amountMinor: amount, currency: amountCurrency, receives: amountSide == .receive, message: message)
            return PaymentDraft(intent: PaymentIntent("remittance", terms), quoteId: quote.id) { quoteId in
                // The payee on the screen: an edit since (another device, someone else) is refused, not paid.
                RemittanceInput(recipientId: recipient.id, quoteId: quoteId, bankAccountId: account.id,
                                message: message, client: .mobile, payeeVersion: recipient.payeeVersion)
            }
        }, send: { input, key in try await client.sendMoney(input, idempotencyKey: key) })
        // Started over while it was on its way: the answer is not about what the screen shows now.
        guard progress.draft == draft else { return }
        if let problem, problem.code == Problem.recipientChanged {
            // Show the recipient as it is now, with a new price, before anything is confirmed.
            await reloadRecipient()
            self.problem = problem
        } else if let problem { fail(problem) } else { self.problem = nil }
    }

    /// Reads the recipients again and selects the current version of the chosen one (a new draft).
    private func reloadRecipient() async {
        guard let id = recipient?.id else { return }
        do {
            recipients = try await environment.client.recipients(limit: 100).items
            if let fresh = recipients.first(where: { $0.id == id }) { select(fresh) } else {
                recipient = nil
                draftChanged()
            }
        } catch {
            fail(error)
        }
    }

    /// The bank sent the app back (`drop://transactions/{id}`): follow this transfer to its end.
    /// Returns false for links that are not about this transfer.
    @discardableResult
    public func open(_ link: DeepLink) async -> Bool {
        guard progress.isReturn(link) else { return false }
        await follow()
        return true
    }

    /// Reads the status until it is final.
    public func follow() async {
        if let problem = await progress.follow() { fail(problem) }
    }

    /// Starts a new transfer (keeps recipients and accounts).
    public func startOver() {
        progress.reset()
        quote = nil
        secondsLeft = 0
        amountText = ""
        message = ""
        amountIssue = nil
        problem = nil
    }

    private func draftChanged() {
        // A new draft is a new transfer: a new key when it is confirmed, and a new price. Also while the
        // confirmation is on its way: should it fail, the old price is not confirmed for the new terms.
        guard phase == .editing || phase == .submitting else { return }
        progress.draftChanged()
        quote = nil
        secondsLeft = 0
    }

    private func fail(_ error: any Error) {
        let problem = Problem(error)
        self.problem = problem
        session?.report(problem)
    }
}

/// A transfer's terms as the person chose them, which make it the same transfer after a relaunch.
private struct TransferTerms: Encodable {
    let recipientId: String
    let payeeVersion: String?
    let bankAccountId: String
    let amountMinor: Int64
    let currency: String
    /// The amount is what the recipient receives (else what leaves the account).
    let receives: Bool
    let message: String?
}
