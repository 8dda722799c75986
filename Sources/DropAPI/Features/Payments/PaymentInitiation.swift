import DropCore
import DropProviders
import DropStore
import Foundation
import Logging

/// Asks the user's bank to make a payment from one of their linked accounts (PIS). Drop never
/// holds the money: the bank moves it, after the user approves on the bank's own page.
struct PaymentInitiation: Sendable {
    let database: Database
    let openBanking: Lazy<any OpenBanking>
    /// Who the payer is at their bank, so the bank refuses an account that isn't theirs.
    let bankConnections: BankConnectionService
    /// Where a remittance is paid to: Drop's collection account at its payout partner.
    let collectionAccount: CollectionAccount
    let publicBaseURL: PublicBaseURL
    /// Where Drop asks the banks (`AppServices.openBankingBaseURL`): an SCA page over plain http is
    /// taken only from there, the bank sandbox of development and tests.
    let bankBaseURL: String
    let clock: @Sendable () -> Date
    let logger: Logger

    struct Order: Sendable {
        /// The user's linked account the money leaves from.
        var debtor: BankAccountRecord
        var amount: Money
        var creditor: OpenBankingAccountReference
        var creditorName: String
        /// Drop's end-to-end id: the bank carries it to the creditor, and it ties the payment to the transaction.
        var endToEndId: String
        var message: String?
        /// Where the bank sends the user back after approving or refusing.
        var returnURL: String
        var psuIPAddress: String
        /// The payer's national identity number as stored with the payment's read, sealed (nil: Drop has none).
        var payerSealedPid: String?
        /// The `X-Request-ID`, fixed when the transaction was written: every repeat of this order
        /// is the same payment at the bank.
        var requestId: String
    }

    struct Started: Sendable, Equatable {
        let paymentId: String
        let scaRedirect: String
        let product: OpenBankingPaymentProduct
    }

    func initiate(_ order: Order) async throws -> Started {
        do {
            return try await ask(order)
        } catch let error as OpenBankingError {
            throw refusal(error, bankId: order.debtor.bankId)
        }
    }

    /// `initiate`, with the bank's refusal as the bank gave it.
    func ask(_ order: Order) async throws -> Started {
        guard let debtor = order.debtor.bban.map(OpenBankingAccountReference.bban) ?? order.debtor.iban.map(OpenBankingAccountReference.iban) else {
            throw AppError.validation("The account has no number to pay from.", details: [ErrorDetail(field: "bankAccountId", issue: "unusable")])
        }
        let product = Self.product(amount: order.amount, creditor: order.creditor)
        // Named when Drop has the number (read with the payment): the bank then refuses an account
        // that isn't this person's.
        let psu = order.payerSealedPid.flatMap { bankConnections.psuId(sealed: $0, userId: order.debtor.userId) }
        let started = try await openBanking.wrapped.initiatePayment(
            bank: order.debtor.bankId, product: product,
            payment: OpenBankingPayment(debtorAccount: debtor, amount: order.amount, creditorAccount: order.creditor,
                                        creditorName: order.creditorName.prefix(codePoints: 70), endToEndIdentification: order.endToEndId,
                                        remittanceInformationUnstructured: order.message.map { $0.prefix(codePoints: 140) }),
            psuId: psu?.digitsForHashing, psuIPAddress: order.psuIPAddress, redirectURI: order.returnURL,
            nokRedirectURI: order.returnURL + (order.returnURL.contains("?") ? "&" : "?") + "result=nok", requestId: order.requestId)
        let answer = try checked(started, bankId: order.debtor.bankId)
        return Started(paymentId: answer.id, scaRedirect: answer.scaRedirect, product: product)
    }

    /// A bank's answer to an initiation (payment or standing order) as Drop may store and hand it out:
    /// a plain id and the bank's https page (`BankAnswerCheck`, as the NextGenPSD2 client checks it).
    /// Anything else is an unreadable answer: the bank may have made the payment, so the outcome
    /// stays unknown and the bank is asked again; the page never reaches the customer.
    func checked(_ started: OpenBankingAuthorisationStart, bankId: String) throws -> OpenBankingAuthorisationStart {
        guard BankAnswerCheck.isResourceId(started.id), BankAnswerCheck.isSCAPage(started.scaRedirect, bankBaseURL: bankBaseURL) else {
            logger.warning("bank answered an initiation with an id or SCA page Drop does not take", metadata: ["bank": .string(bankId)])
            throw ProviderError.decoding(provider: "bank-\(bankId)", reason: "not a plain id and the bank's https page")
        }
        return started
    }

    /// A bank's refusal of a payment or a standing order, as the customer is told it.
    func refusal(_ error: OpenBankingError, bankId: String) -> any Error {
        switch error {
        case .fundsNotAvailable:
            return AppError(.unprocessableContent, code: "INSUFFICIENT_FUNDS", message: "There is not enough money in the account.")
        case .formatError(let text):
            logger.warning("bank refused a payment's format", metadata: ["bank": .string(bankId)])
            return AppError.validation("The bank refused the payment: \(text)")
        case .consentInvalid, .consentExpired, .consentUnknown:
            return AppError.conflict("Reconnect the bank before paying from it.", code: "BANK_RECONNECT_REQUIRED")
        case .accessExceeded, .unknown:
            // Any other refusal is still the bank's answer, not Drop's failure: nothing was paid.
            logger.warning("bank refused a payment", metadata: ["bank": .string(bankId), "refusal": .string("\(error)")])
            return AppError(.badGateway, code: "BANK_REFUSED", message: "Your bank refused the payment. Nothing was paid; try again later.")
        }
    }

    /// Cancels a payment the user has not approved yet.
    func cancel(paymentId: String, product: OpenBankingPaymentProduct, bankId: String) async throws {
        try await openBanking.wrapped.cancelPayment(bank: bankId, product: product, paymentId: paymentId)
    }

    /// NOK to a Norwegian account number is domestic; EUR to an IBAN is SEPA; the rest cross-border.
    static func product(amount: Money, creditor: OpenBankingAccountReference) -> OpenBankingPaymentProduct {
        switch (amount.currency, creditor) {
        case (.nok, .bban): .norwegianDomesticCreditTransfers
        case (.eur, .iban): .sepaCreditTransfers
        default: .crossBorderCreditTransfers
        }
    }

    /// Whether a failed initiation certainly made no payment at the bank: the bank refused it (its
    /// `tppMessages`, an `OpenBankingError`), Drop refused before asking (`AppError`), the bank's
    /// breaker was open or the request could not be sent. Only then may the transfer fail and its
    /// key be freed. Everything else is unknown and only the request id can tell: a timeout, a 5xx
    /// or an unreadable answer may have come after the bank made the payment, and so may a
    /// cancellation (`IdempotentRequest` cancels an attempt whose key a retry took over, mid-call,
    /// and a cancelled attempt must write no more than a crashed one), or an error of any other kind.
    ///
    /// `reasking`: the request may have been sent before (a resumed attempt, the reconciler, the
    /// expiry, a cancel learning the payment). Then not asking now says nothing of the first time,
    /// and only the bank's own refusal of the request id is proof.
    static func certainlyNotMade(_ error: any Error, reasking: Bool = false) -> Bool {
        if Task.isCancelled { return false }
        switch error {
        case is OpenBankingError:
            return true
        case is AppError:
            return !reasking
        case let error as ProviderError:
            switch error {
            case .circuitOpen, .invalidRequest: return !reasking
            case .unavailable, .timeout, .http, .decoding: return false
            }
        default:
            return false
        }
    }
}
