import DropCore
import Foundation
import HTTPTypes
import Hummingbird

/// NextGenPSD2 periodic payments (standing orders): one SCA approves the terms, and the bank then
/// pays on each due day by its own clock (`executeDuePeriodicPayments`, run with webhook delivery).
/// Each execution is reported by a signed webhook and listed in the order's details
/// (`executions`, this bank's extension: a real ASPSP shows them as booked transactions).
extension BankSandbox {
    /// `POST /{bank}/v1/periodic-payments/{product}`.
    func initiatePeriodicPayment(_ request: Request, bankId: String, product: String) async throws -> Response {
        let bank = try self.bank(bankId)
        let terms = try await paymentTerms(request, bank: bank, product: product)
        guard let startText = terms.body["startDate"] as? String, let start = try? CalendarDate(iso: startText) else {
            throw BankSandboxAPIError.format("startDate must be a date (YYYY-MM-DD).")
        }
        let endText = terms.body["endDate"] as? String
        let end = try endText.map { text throws(BankSandboxAPIError) -> CalendarDate in
            guard let date = try? CalendarDate(iso: text) else { throw BankSandboxAPIError.format("endDate must be a date (YYYY-MM-DD).") }
            return date
        }
        guard let frequencyCode = terms.body["frequency"] as? String, let frequency = StandingOrderFrequency(bankCode: frequencyCode) else {
            throw BankSandboxAPIError.format("frequency must be one of Weekly, EveryTwoWeeks, Monthly, Quarterly.")
        }
        let dayText = terms.body["dayOfExecution"] as? String
        guard dayText.map({ BankSandboxFormat.isDigits($0, maxLength: 2) }) ?? true else { throw BankSandboxAPIError.format("dayOfExecution must be \"1\" to \"31\".") }
        guard (terms.body["executionRule"] as? String).map({ ["following", "preceding"].contains($0) }) ?? true else {
            throw BankSandboxAPIError.format("executionRule must be following or preceding.")
        }
        guard start >= OsloCalendar.today(now()) else { throw BankSandboxAPIError.format("startDate is in the past.") }
        let schedule: StandingOrderSchedule
        do {
            schedule = try StandingOrderSchedule(frequency: frequency, startDate: start, endDate: end, dayOfExecution: dayText.flatMap { Int($0) })
        } catch {
            throw BankSandboxAPIError.format(error.message)
        }
        var order = BankSandboxPeriodicPayment(
            id: RecordID.make(), bankId: bank.id, product: product, psuId: terms.debtor.ownerNationalId,
            debtorAccountNumber: terms.debtor.accountNumber, creditorAccount: terms.creditorId, creditorAccountIsIBAN: terms.creditorIsIBAN,
            creditorName: terms.creditorName, amountMinorUnits: terms.amount.minorUnits, currency: terms.amount.currency.code,
            debitMinorUnits: terms.debit, remittanceInformationUnstructured: terms.remittance, startDate: schedule.startDate.iso,
            endDate: schedule.endDate?.iso, frequency: frequency.bankCode, dayOfExecution: schedule.dayOfExecution, status: .received,
            createdAt: now(), redirectURI: terms.redirectURI, nokRedirectURI: header(request, "TPP-Nok-Redirect-URI"),
            requestId: header(request, "X-Request-ID"))
        if let earlier = try await store.insert(periodicPayment: order) {
            guard earlier.isSameOrder(as: order) else {
                throw BankSandboxAPIError(.conflict, "REQUEST_ID_REUSED", "X-Request-ID was used for another payment.")
            }
            order = earlier
        }
        let selfLink = absoluteURL(request, path: "\(bank.id)/v1/periodic-payments/\(product)/\(order.id)")
        var response = BankSandboxJSON.response(.created, [
            "transactionStatus": order.status.rawValue,
            "paymentId": order.id,
            "_links": [
                "scaRedirect": ["href": absoluteURL(request, path: "\(bank.id)/sca/periodic-payments/\(order.id)")],
                "self": ["href": selfLink],
                "status": ["href": selfLink + "/status"],
            ],
        ])
        response.headers[.location] = selfLink
        response.headers[HTTPField.Name("ASPSP-SCA-Approach")!] = "REDIRECT"
        return response
    }

    /// `GET …/periodic-payments/{product}/{id}` (terms and executions) and `…/status`.
    func periodicPaymentDetails(bankId: String, product: String, id: String, statusOnly: Bool) async throws -> Response {
        let order = try await existingPeriodicPayment(bankId: bankId, product: product, id: id)
        var body: [String: Any] = ["transactionStatus": order.status.rawValue]
        if let reason = order.reasonCode { body["statusReasonInformation"] = reason }
        if !statusOnly {
            body["instructedAmount"] = ["currency": order.currency, "amount": BankSandboxPIS.decimal(order.amountMinorUnits, order.currency)]
            body["creditorName"] = order.creditorName
            body["creditorAccount"] = [order.creditorAccountIsIBAN ? "iban" : "bban": order.creditorAccount]
            body["debtorAccount"] = ["bban": order.debtorAccountNumber]
            body["startDate"] = order.startDate
            if let end = order.endDate { body["endDate"] = end }
            body["frequency"] = order.frequency
            body["dayOfExecution"] = String(order.dayOfExecution)
            body["executionRule"] = "following"
            body["executions"] = order.executions.map(order.json)
        }
        return BankSandboxJSON.response(.ok, body)
    }

    /// `DELETE …/periodic-payments/{product}/{id}`: no more executions. Cancelling one already
    /// cancelled is answered the same, so a TPP that lost the first answer can ask again.
    func cancelPeriodicPayment(bankId: String, product: String, id: String) async throws -> Response {
        let order = try await existingPeriodicPayment(bankId: bankId, product: product, id: id)
        try await store.cancel(periodicPaymentId: order.id, at: now())
        return Response(status: .noContent)
    }

    func existingPeriodicPayment(bankId: String, product: String, id: String) async throws -> BankSandboxPeriodicPayment {
        let bank = try self.bank(bankId)
        guard let order = try await store.periodicPayment(id: id, bankId: bank.id, at: now()), order.product == product else {
            throw BankSandboxAPIError.resourceUnknown("No such payment.")
        }
        return order
    }

    /// The SCA page's lines for a standing order.
    func scaLines(_ order: BankSandboxPeriodicPayment) -> [BankSandboxSCAPage.Line] {
        let currency = Currency(rawValue: order.currency) ?? .nok
        let amount = Money(minorUnits: order.amountMinorUnits, currency: currency).decimalString.replacingOccurrences(of: ".", with: ",")
        var lines: [BankSandboxSCAPage.Line] = [
            .init(label: "Amount each time", value: "\(amount) \(currency.code)"),
            .init(label: "How often", value: order.frequency + (["Monthly", "Quarterly"].contains(order.frequency) ? ", on day \(order.dayOfExecution)" : "")),
            .init(label: "First payment day", value: order.startDate),
            .init(label: "Last payment day", value: order.endDate ?? "Until you stop it"),
            .init(label: "Payee", value: order.creditorName),
            .init(label: "To account", value: order.creditorAccountIsIBAN ? order.creditorAccount
                : ((try? NorwegianAccountNumber(order.creditorAccount))?.formatted ?? order.creditorAccount)),
            .init(label: "From account", value: (try? NorwegianAccountNumber(order.debtorAccountNumber))?.formatted ?? order.debtorAccountNumber),
        ]
        if let message = order.remittanceInformationUnstructured { lines.append(.init(label: "Message", value: message)) }
        return lines
    }
}
