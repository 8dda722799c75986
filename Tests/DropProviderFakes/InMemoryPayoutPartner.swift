import DropCore
import DropProviders
import Foundation

/// The payout partner as a `PayoutPartner` fake for tests at the router: it reads each pain.001
/// as the partner does (the message id must be the one it is sent under, the transaction count and
/// control sum must add up, an end-to-end id is paid once), keeps every transaction's status,
/// answers with the same report for the same bytes again and refuses other bytes under a used
/// message id, and returns NOK only that it holds: money a person's bank paid into its collection
/// account (`InMemoryBank.executedPayment`) under an end-to-end id whose payout it rejected.
///
/// The partner's own clock (settling, crediting, rejecting) is a method a test calls. The XML
/// of pain.002 and its schema are tested against the payout sandbox over HTTP (`PayoutTests`).
public actor InMemoryPayoutPartner: PayoutPartner {
    struct Transaction {
        let endToEndId: String
        let amountMinor: Int64
        let currency: String
        var status: PaymentStatusCode
        var reason: String?
    }

    struct Message {
        let xml: String
        let paymentInformationId: String
        var transactions: [Transaction]
    }

    private let bank: InMemoryBank
    /// The collection account people's banks pay into.
    private let collectionAccount: String
    private var messages: [String: Message] = [:]
    private var returns: [String: PayoutReturn] = [:]
    /// The account each return goes back to.
    private var returnAccounts: [String: String] = [:]
    private var nextReturn = 0
    /// How the partner misanswers about a return (by its end-to-end id), if it does.
    private var returnAnswers: [String: ReturnAnswer] = [:]

    public init(bank: InMemoryBank, collectionAccount: String = "15030010008") {
        self.bank = bank
        self.collectionAccount = collectionAccount
    }

    // MARK: What the partner does on its own clock

    /// The partner no longer knows the message (its status read answers 404).
    public func forget(messageId: String) { messages[messageId] = nil }

    /// The recipient is paid (`ACCC`).
    public func credit(_ endToEndId: String) throws { try move(endToEndId, to: .acceptedCreditSettlementCompleted, reason: nil) }

    /// The payout can't be made (`RJCT`), e.g. `AC01` for an account that doesn't exist.
    public func reject(_ endToEndId: String, reason: String) throws { try move(endToEndId, to: .rejected, reason: reason) }

    /// The partner pays every pending return back to the account it came from.
    public func completeReturns() async {
        for (id, entry) in returns where entry.status == .pending {
            await bank.deposit(entry.amountMinor, toAccountNumber: returnAccounts[id] ?? "")
            returns[id] = PayoutReturn(id: entry.id, returnId: entry.returnId, endToEndId: entry.endToEndId, amountMinor: entry.amountMinor,
                                       currency: entry.currency, status: .completed, completedAt: Date())
        }
    }

    /// How a partner can answer about a return other than as it stands.
    public enum ReturnAnswer: Sendable {
        /// An answer Drop can't read (`ProviderError.decoding`), e.g. a status it doesn't model.
        case unreadable
        /// The return as it stands, but for another amount.
        case amountMinor(Int64)
        /// The partner could not pay it back, with its code (`AC04`: the account is closed).
        case failed(reason: String)
    }

    /// From now on the status of the return of `endToEndId`'s NOK is answered as `answer`.
    public func answerReturn(of endToEndId: String, with answer: ReturnAnswer) { returnAnswers[endToEndId] = answer }

    /// Each return asked for: the end-to-end id its NOK arrived under and the account it goes back to.
    public func returnsAsked() -> [(endToEndId: String, account: String)] {
        returns.values.sorted { $0.id < $1.id }.map { ($0.endToEndId, returnAccounts[$0.id] ?? "") }
    }

    /// Every end-to-end id the partner was asked to pay, and its status.
    public func statuses() -> [String: PaymentStatusCode] {
        Dictionary(messages.values.flatMap(\.transactions).map { ($0.endToEndId, $0.status) }, uniquingKeysWith: { first, _ in first })
    }

    public enum Refusal: Error, Sendable { case unknownTransaction, alreadyFinal }

    // MARK: PayoutPartner

    public func submit(pain001 xml: String, messageId: String) async throws -> PayoutSubmission {
        if let earlier = messages[messageId] {
            guard earlier.xml == xml else {
                throw PayoutError.idempotencyConflict(messageId: messageId, reasons: [.init(code: "DU01", additionalInformation: "message id used for another message")])
            }
            return PayoutSubmission(messageId: messageId, pain001: xml, pain002: "", report: report(messageId, earlier), replayed: true)
        }
        let message = try Self.read(xml, messageId: messageId)
        let known = Set(messages.values.flatMap(\.transactions).map(\.endToEndId))
        if let repeated = message.transactions.first(where: { known.contains($0.endToEndId) }) {
            let refused = PaymentTransactionStatus(originalEndToEndId: repeated.endToEndId, status: .rejected,
                                                   reasons: [.init(code: "AM05", additionalInformation: "duplicate end-to-end id")])
            throw PayoutError.rejectedInstructions(messageId: messageId, status: 422, reasons: refused.reasons, instructions: [refused])
        }
        messages[messageId] = message
        return PayoutSubmission(messageId: messageId, pain001: xml, pain002: "", report: report(messageId, message), replayed: false)
    }

    public func statusDocument(messageId: String) async throws -> PayoutStatusDocument {
        guard let message = messages[messageId] else { throw PayoutError.unknownMessage(messageId: messageId) }
        return PayoutStatusDocument(report: report(messageId, message), pain002: "")
    }

    public func requestReturn(returnId: String, endToEndId: String, amountMinor: Int64, toAccount account: String) async throws -> PayoutReturn {
        if let earlier = returns.values.first(where: { $0.returnId == returnId }) {
            guard earlier.endToEndId == endToEndId, earlier.amountMinor == amountMinor else { throw PayoutError.returnRefused(code: "RETURN_ID_REUSED") }
            return earlier
        }
        guard let received = await bank.executedPayment(to: collectionAccount, endToEndId: endToEndId),
              received.debtorBBAN == account, amountMinor <= received.amountMinor else {
            throw PayoutError.returnRefused(code: "FUNDS_NOT_HELD")
        }
        guard !returns.values.contains(where: { $0.endToEndId == endToEndId }) else { throw PayoutError.returnRefused(code: "ALREADY_RETURNED") }
        if let payout = messages.values.flatMap(\.transactions).first(where: { $0.endToEndId == endToEndId }), payout.status != .rejected {
            throw PayoutError.returnRefused(code: "PAYOUT_NOT_REJECTED")
        }
        nextReturn += 1
        let entry = PayoutReturn(id: "ret-\(nextReturn)", returnId: returnId, endToEndId: endToEndId, amountMinor: amountMinor,
                                 currency: "NOK", status: .pending, completedAt: nil)
        returns[entry.id] = entry
        returnAccounts[entry.id] = account
        return entry
    }

    public func returnStatus(id: String) async throws -> PayoutReturn {
        guard let entry = returns[id] else { throw PayoutError.returnRefused(code: "UNKNOWN_RETURN") }
        switch returnAnswers[entry.endToEndId] {
        case nil:
            return entry
        case .unreadable:
            throw ProviderError.decoding(provider: PayoutClient.providerName, reason: "not a return")
        case .amountMinor(let amount):
            return PayoutReturn(id: entry.id, returnId: entry.returnId, endToEndId: entry.endToEndId, amountMinor: amount,
                                currency: entry.currency, status: entry.status, completedAt: entry.completedAt)
        case .failed(let reason):
            return PayoutReturn(id: entry.id, returnId: entry.returnId, endToEndId: entry.endToEndId, amountMinor: entry.amountMinor,
                                currency: entry.currency, status: .failed, completedAt: nil, reason: reason)
        }
    }

    // MARK: Reading and answering

    /// The message's transactions, checked as the partner checks a pain.001 before accepting it.
    static func read(_ xml: String, messageId: String) throws -> Message {
        let refuse = { (code: String, text: String) in
            PayoutError.rejected(messageId: messageId, status: 422, reasons: [.init(code: code, additionalInformation: text)])
        }
        guard let document = try? XMLTree.parse(xml), let initiation = document.child("CstmrCdtTrfInitn") else {
            throw refuse("FF01", "not a pain.001")
        }
        guard initiation.value("GrpHdr", "MsgId") == messageId else { throw refuse("FF01", "MsgId is not the message id it was sent under") }
        var transactions: [Transaction] = []
        var sum = Decimal(0)
        let information = initiation.children(named: "PmtInf")
        for transfer in information.flatMap({ $0.children(named: "CdtTrfTxInf") }) {
            guard let endToEndId = transfer.value("PmtId", "EndToEndId"), let amount = transfer.descendant("Amt", "InstdAmt"),
                  let code = amount.attributes["Ccy"], let currency = Currency(rawValue: code), let value = Decimal(string: amount.text),
                  let minor = try? Money(parsing: amount.text, currency: currency) else {
                throw refuse("FF01", "a transaction without end-to-end id or amount")
            }
            sum += value
            transactions.append(Transaction(endToEndId: endToEndId, amountMinor: minor.minorUnits, currency: code, status: .pending))
        }
        guard initiation.value("GrpHdr", "NbOfTxs") == String(transactions.count), !transactions.isEmpty else {
            throw refuse("AM18", "NbOfTxs does not match the transactions")
        }
        guard let control = initiation.value("GrpHdr", "CtrlSum").flatMap({ Decimal(string: $0) }), control == sum else {
            throw refuse("AM10", "CtrlSum does not match the amounts")
        }
        return Message(xml: xml, paymentInformationId: information.first?.value("PmtInfId") ?? messageId, transactions: transactions)
    }

    private func report(_ messageId: String, _ message: Message) -> PaymentStatusReport {
        let statuses = message.transactions.map(\.status)
        let group: PaymentStatusCode = statuses.allSatisfy { $0 == .rejected } ? .rejected
            : statuses.contains(.pending) ? .acceptedTechnicalValidation
            : statuses.allSatisfy { $0 == .acceptedCreditSettlementCompleted } ? .acceptedCreditSettlementCompleted : .acceptedSettlementCompleted
        return PaymentStatusReport(
            messageId: "rpt-\(messageId)", creationDateTime: "2026-01-01T00:00:00", originalMessageId: messageId,
            originalMessageNameId: "pain.001.001.09", groupStatus: group,
            paymentInformation: [PaymentInformationStatus(
                originalPaymentInformationId: message.paymentInformationId, status: nil,
                transactions: message.transactions.map {
                    PaymentTransactionStatus(originalEndToEndId: $0.endToEndId, status: $0.status,
                                             reasons: $0.reason.map { [PaymentStatusReason(code: $0, additionalInformation: nil)] } ?? [])
                })])
    }

    private func move(_ endToEndId: String, to status: PaymentStatusCode, reason: String?) throws {
        for (id, message) in messages {
            guard let index = message.transactions.firstIndex(where: { $0.endToEndId == endToEndId }) else { continue }
            guard message.transactions[index].status == .pending else { throw Refusal.alreadyFinal }
            messages[id]?.transactions[index].status = status
            messages[id]?.transactions[index].reason = reason
            return
        }
        throw Refusal.unknownTransaction
    }
}
