import DropCore
import Foundation
import HTTPTypes
import Hummingbird

extension BankSandbox {
    static let paymentProducts = ["norwegian-domestic-credit-transfers", "sepa-credit-transfers", "cross-border-credit-transfers"]

    /// NOK per unit of a foreign currency, in øre, for debiting a NOK account (sandbox rates).
    static let sandboxRatesInØre: [String: Int64] = ["NOK": 100, "EUR": 1150, "USD": 1080, "GBP": 1350, "SEK": 100, "DKK": 155]

    /// `POST /{bank}/v1/payments/{product}`.
    func initiatePayment(_ request: Request, bankId: String, product: String) async throws -> Response {
        let bank = try self.bank(bankId)
        let terms = try await paymentTerms(request, bank: bank, product: product)
        let endToEnd = terms.body["endToEndIdentification"] as? String
        guard (endToEnd?.unicodeScalars.count ?? 0) <= 35 else { throw BankSandboxAPIError.format("endToEndIdentification is longer than 35.") }
        var payment = BankSandboxPayment(
            id: RecordID.make(), bankId: bank.id, product: product, psuId: terms.debtor.ownerNationalId,
            debtorAccountNumber: terms.debtor.accountNumber, creditorAccount: terms.creditorId, creditorAccountIsIBAN: terms.creditorIsIBAN,
            creditorName: terms.creditorName, amountMinorUnits: terms.amount.minorUnits, currency: terms.amount.currency.code, debitMinorUnits: terms.debit,
            endToEndIdentification: endToEnd, remittanceInformationUnstructured: terms.remittance, status: .received,
            reasonCode: nil, fundsAvailable: nil, createdAt: now(), redirectURI: terms.redirectURI,
            nokRedirectURI: header(request, "TPP-Nok-Redirect-URI")
        )
        payment.requestId = header(request, "X-Request-ID")
        if let earlier = try await store.insert(payment: payment) {
            // The same request again (the TPP lost our answer): the same payment, not a second one.
            guard earlier.isSamePayment(as: payment) else {
                throw BankSandboxAPIError(.conflict, "REQUEST_ID_REUSED", "X-Request-ID was used for another payment.")
            }
            payment = earlier
        }
        let selfLink = absoluteURL(request, path: "\(bank.id)/v1/payments/\(product)/\(payment.id)")
        var response = BankSandboxJSON.response(.created, [
            "transactionStatus": payment.status.rawValue,
            "paymentId": payment.id,
            "_links": [
                "scaRedirect": ["href": absoluteURL(request, path: "\(bank.id)/sca/payments/\(payment.id)")],
                "self": ["href": selfLink],
                "status": ["href": selfLink + "/status"],
            ],
        ])
        response.headers[.location] = selfLink
        response.headers[HTTPField.Name("ASPSP-SCA-Approach")!] = "REDIRECT"
        return response
    }

    /// What a payment and a periodic payment share, checked the same way: the debtor is the
    /// PSU's account here, the amount a positive decimal string in an offered currency, the
    /// creditor an account the product can reach, the name and the text within their lengths.
    struct PaymentTerms {
        let body: [String: Any]
        let debtor: BankSandboxAccount
        let amount: Money
        /// What leaves the NOK account: foreign amounts at the sandbox rate, rounded up to whole øre.
        let debit: Int64
        let creditorId: String
        let creditorIsIBAN: Bool
        let creditorName: String
        let remittance: String?
        let redirectURI: String
    }

    func paymentTerms(_ request: Request, bank: BankSandboxBank, product: String) async throws -> PaymentTerms {
        guard Self.paymentProducts.contains(product) else { throw BankSandboxAPIError(.notFound, "PRODUCT_UNKNOWN", "Unknown payment product \(product).") }
        let psuId = try optionalPSUId(request)
        guard let redirectURI = header(request, "TPP-Redirect-URI") else { throw BankSandboxAPIError.format("TPP-Redirect-URI is missing.") }
        let body = try await BankSandboxJSON.object(from: request)

        guard let (debtorId, debtorIsIBAN) = BankSandboxJSON.accountReference(body["debtorAccount"]) else { throw BankSandboxAPIError.format("debtorAccount is missing.") }
        // The debtor account names the payer; only its holder can approve on the SCA page.
        guard let debtor = await (debtorIsIBAN ? store.account(iban: debtorId) : store.account(number: debtorId)), debtor.bankId == bank.id,
              psuId == nil || psuId == debtor.ownerNationalId else {
            throw BankSandboxAPIError.format("debtorAccount is not \(psuId == nil ? "an" : "the PSU's") account at \(bank.name).")
        }
        guard let instructed = body["instructedAmount"] as? [String: Any], let currencyCode = instructed["currency"] as? String,
              let amountText = instructed["amount"] as? String else { throw BankSandboxAPIError.format("instructedAmount needs currency and amount (a string).") }
        guard BankSandboxFormat.isAmount(amountText), let currency = Currency(rawValue: currencyCode),
              let money = try? Money(decimalString: amountText, currency: currency), money.isPositive else {
            throw BankSandboxAPIError.format("instructedAmount is not a positive amount.")
        }
        guard let rate = Self.sandboxRatesInØre[currency.code] else { throw BankSandboxAPIError.format("Currency \(currency.code) is not offered.") }
        guard let (creditorId, creditorIsIBAN) = BankSandboxJSON.accountReference(body["creditorAccount"]) else { throw BankSandboxAPIError.format("creditorAccount is missing.") }
        switch product {
        case "norwegian-domestic-credit-transfers":
            guard currency == .nok else { throw BankSandboxAPIError.format("Domestic payments are in NOK.") }
            guard !creditorIsIBAN, NorwegianAccountNumber.isValid(creditorId), creditorId.count == 11 else {
                throw BankSandboxAPIError.format("creditorAccount must be an 11-digit Norwegian bban.")
            }
        case "sepa-credit-transfers":
            guard currency == .eur else { throw BankSandboxAPIError.format("SEPA payments are in EUR.") }
            guard creditorIsIBAN, IBAN.isValid(creditorId) else { throw BankSandboxAPIError.format("creditorAccount must be a valid IBAN.") }
        default:
            guard creditorIsIBAN ? IBAN.isValid(creditorId) : BankSandboxFormat.isAlphanumeric(creditorId, maxLength: 30) else {
                throw BankSandboxAPIError.format("creditorAccount is not a valid account reference.")
            }
        }
        // Lengths in code points, as a bank's Max70Text/Max140Text validation counts them, not grapheme clusters.
        guard let creditorName = body["creditorName"] as? String, !creditorName.isEmpty, creditorName.unicodeScalars.count <= 70 else {
            throw BankSandboxAPIError.format("creditorName must be 1 to 70 characters.")
        }
        let remittance = body["remittanceInformationUnstructured"] as? String
        guard (remittance?.unicodeScalars.count ?? 0) <= 140 else { throw BankSandboxAPIError.format("remittanceInformationUnstructured is longer than 140.") }
        // What the debtor's NOK account is charged, rounded up. 14 whole digits of GBP come to more
        // øre than an Int64 holds: refused as a bad amount, as the other amounts the bank can't take.
        let (inØreTimes100, overflow) = money.minorUnits.multipliedReportingOverflow(by: rate)
        guard !overflow, inØreTimes100 <= Int64.max - 99 else { throw BankSandboxAPIError.format("instructedAmount is too large.") }
        let debit = currency == .nok ? money.minorUnits : (inØreTimes100 + 99) / 100
        return PaymentTerms(body: body, debtor: debtor, amount: money, debit: debit, creditorId: creditorId, creditorIsIBAN: creditorIsIBAN,
                            creditorName: creditorName, remittance: remittance, redirectURI: redirectURI)
    }

    func paymentDetails(bankId: String, product: String, id: String, statusOnly: Bool) async throws -> Response {
        let payment = try await existingPayment(bankId: bankId, product: product, id: id)
        var body: [String: Any] = ["transactionStatus": payment.status.rawValue]
        if let funds = payment.fundsAvailable { body["fundsAvailable"] = funds }
        // Why a payment was rejected (ISO 20022 reason: MS02 the customer stopped it, AM04 not enough money),
        // on the status read too: that is what the TPP polls.
        if let reason = payment.reasonCode { body["statusReasonInformation"] = reason }
        if !statusOnly {
            body["instructedAmount"] = ["currency": payment.currency, "amount": BankSandboxPIS.decimal(payment.amountMinorUnits, payment.currency)]
            body["creditorName"] = payment.creditorName
            body["creditorAccount"] = [payment.creditorAccountIsIBAN ? "iban" : "bban": payment.creditorAccount]
            body["debtorAccount"] = ["bban": payment.debtorAccountNumber]
        }
        return BankSandboxJSON.response(.ok, body)
    }

    func cancelPayment(bankId: String, product: String, id: String) async throws -> Response {
        let payment = try await existingPayment(bankId: bankId, product: product, id: id)
        try await store.cancel(paymentId: payment.id, at: now())
        return Response(status: .noContent)
    }

    private func existingPayment(bankId: String, product: String, id: String) async throws -> BankSandboxPayment {
        let bank = try self.bank(bankId)
        guard let payment = try await store.payment(id: id, bankId: bank.id, at: now()), payment.product == product else {
            throw BankSandboxAPIError.resourceUnknown("No such payment.")
        }
        return payment
    }
}

enum BankSandboxPIS {
    /// `instructedAmount.amount`: minor units as the decimal string BG uses.
    static func decimal(_ minorUnits: Int64, _ currency: String) -> String {
        Money(minorUnits: minorUnits, currency: Currency(rawValue: currency) ?? .nok).decimalString
    }
}
