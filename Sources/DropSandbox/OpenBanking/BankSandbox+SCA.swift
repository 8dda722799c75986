import DropCore
import DropHTML
import Foundation
import HTTPTypes
import Hummingbird

extension BankSandbox {
    /// `GET /{bank}/sca/{consents|payments|periodic-payments}/{id}`: the page the PSU approves on.
    func scaPage(_ request: Request, bankId: String, kind: String, id: String) async -> Response {
        guard let bank = BankSandboxBank.find(id: bankId) else { return html(.notFound, BankSandboxSCAPage.message(bankName: "Bank", text: "Unknown bank.")) }
        do {
            switch kind {
            case "consents":
                guard let consent = try await store.consent(id: id, bankId: bank.id, at: now()), consent.status == .received else {
                    return html(.notFound, BankSandboxSCAPage.message(bankName: bank.name, text: "Nothing to approve here."))
                }
                let accounts = consent.psuId == nil ? "All your accounts at \(bank.name)"
                    : consent.accountNumbers.compactMap { (try? NorwegianAccountNumber($0))?.formatted }.joined(separator: ", ")
                return html(.ok, BankSandboxSCAPage.html(
                    bankName: bank.name, title: "Give Drop access to your accounts", psuName: consent.psuId.map(psuName),
                    nationalId: consent.psuId, lines: [
                        .init(label: "Accounts", value: accounts),
                        .init(label: "Balances", value: consent.includesBalances ? "Yes" : "No"),
                        .init(label: "Valid until", value: consent.validUntil),
                        .init(label: "Automatic reads per day", value: String(consent.frequencyPerDay)),
                    ], kind: kind, id: id
                ))
            case "payments":
                guard let payment = try await store.payment(id: id, bankId: bank.id, at: now()), payment.awaitsSCA else {
                    return html(.notFound, BankSandboxSCAPage.message(bankName: bank.name, text: "Nothing to approve here."))
                }
                let currency = Currency(rawValue: payment.currency) ?? .nok
                let amount = Money(minorUnits: payment.amountMinorUnits, currency: currency).decimalString
                let creditor = payment.creditorAccountIsIBAN ? payment.creditorAccount : ((try? NorwegianAccountNumber(payment.creditorAccount))?.formatted ?? payment.creditorAccount)
                var lines: [BankSandboxSCAPage.Line] = [
                    .init(label: "Amount", value: "\(amount.replacingOccurrences(of: ".", with: ",")) \(currency.code)"),
                    .init(label: "Payee", value: payment.creditorName),
                    .init(label: "To account", value: creditor),
                    .init(label: "From account", value: (try? NorwegianAccountNumber(payment.debtorAccountNumber))?.formatted ?? payment.debtorAccountNumber),
                ]
                if let message = payment.remittanceInformationUnstructured { lines.append(.init(label: "Message", value: message)) }
                return html(.ok, BankSandboxSCAPage.html(bankName: bank.name, title: "Approve payment", psuName: psuName(payment.psuId),
                                                         nationalId: payment.psuId, lines: lines, kind: kind, id: id))
            case "periodic-payments":
                guard let order = try await store.periodicPayment(id: id, bankId: bank.id, at: now()), order.awaitsSCA else {
                    return html(.notFound, BankSandboxSCAPage.message(bankName: bank.name, text: "Nothing to approve here."))
                }
                return html(.ok, BankSandboxSCAPage.html(bankName: bank.name, title: "Approve a standing order", psuName: psuName(order.psuId),
                                                         nationalId: order.psuId, lines: scaLines(order), kind: kind, id: id))
            default:
                return html(.notFound, BankSandboxSCAPage.message(bankName: bank.name, text: "Unknown authorisation."))
            }
        } catch {
            return html(.internalServerError, BankSandboxSCAPage.message(bankName: bank.name, text: "Something went wrong."))
        }
    }

    /// `POST` of the SCA form: records the decision, then sends the browser back to the TPP.
    func scaDecision(_ request: Request, bankId: String, kind: String, id: String) async -> Response {
        guard let bank = BankSandboxBank.find(id: bankId) else { return html(.notFound, BankSandboxSCAPage.message(bankName: "Bank", text: "Unknown bank.")) }
        let form = (try? await request.body.collect(upTo: 16 * 1024)).map { String(buffer: $0) } ?? ""
        let decision = Self.formValue("decision", in: form)
        guard decision == "approve" || decision == "deny" else { return html(.badRequest, BankSandboxSCAPage.message(bankName: bank.name, text: "Choose approve or deny.")) }
        let approve = decision == "approve"
        // Approving needs the PSU signed in; cancelling does not, as at a real bank.
        let signedIn = Self.formValue("nationalId", in: form).flatMap { try? NationalIdentityNumber($0) }?.digitsForHashing
        if approve, signedIn == nil {
            return html(.unprocessableContent, BankSandboxSCAPage.message(bankName: bank.name, text: "Sign in with a valid national identity number to approve."))
        }
        do {
            switch kind {
            case "consents":
                guard let consent = try await store.consent(id: id, bankId: bank.id, at: now()), consent.status == .received else {
                    return html(.conflict, BankSandboxSCAPage.message(bankName: bank.name, text: "This request is no longer open."))
                }
                guard approve, let psuId = signedIn else {
                    try await store.setConsentStatus(id: id, to: .rejected)
                    return redirect(consent.nokRedirectURI ?? consent.redirectURI)
                }
                // The TPP named the PSU (`PSU-ID`): nobody else may approve. The request ends here, so
                // it can't be tried again with another person's sign-in.
                guard consent.psuId == nil || consent.psuId == psuId else {
                    try await store.setConsentStatus(id: id, to: .rejected)
                    return html(.forbidden, BankSandboxSCAPage.message(
                        bankName: bank.name,
                        text: "This request was made for another person. You signed in as someone else, so it has been refused; nothing was shared."))
                }
                let access = BankSandboxJSON.parse(consent.accessJSON) as? [String: Any] ?? [:]
                let covered: [String]
                do {
                    covered = try Self.coverage(of: access, owned: try await store.accounts(of: psuId, at: bank.id), bankName: bank.name).accounts
                } catch let error as BankSandboxAPIError {
                    return html(.forbidden, BankSandboxSCAPage.message(bankName: bank.name, text: error.text))
                }
                guard !covered.isEmpty else {
                    return html(.unprocessableContent, BankSandboxSCAPage.message(bankName: bank.name, text: "You have no accounts at \(bank.name)."))
                }
                try await store.approveConsent(id: id, psuId: psuId, accountNumbers: covered)
                return redirect(consent.redirectURI)
            case "payments":
                guard let payment = try await store.payment(id: id, bankId: bank.id, at: now()), payment.awaitsSCA else {
                    return html(.conflict, BankSandboxSCAPage.message(bankName: bank.name, text: "This payment can no longer be approved."))
                }
                if approve, signedIn != payment.psuId {
                    return html(.forbidden, BankSandboxSCAPage.message(bankName: bank.name, text: "Only the holder of the account can approve this payment."))
                }
                let decided = try await store.decide(paymentId: id, approve: approve, at: now())
                let succeeded = decided.status != .rejected
                return redirect(succeeded ? decided.redirectURI : (decided.nokRedirectURI ?? decided.redirectURI))
            case "periodic-payments":
                guard let order = try await store.periodicPayment(id: id, bankId: bank.id, at: now()), order.awaitsSCA else {
                    return html(.conflict, BankSandboxSCAPage.message(bankName: bank.name, text: "This standing order can no longer be approved."))
                }
                if approve, signedIn != order.psuId {
                    return html(.forbidden, BankSandboxSCAPage.message(bankName: bank.name, text: "Only the holder of the account can approve this standing order."))
                }
                let decided = try await store.decide(periodicPaymentId: id, approve: approve, at: now())
                return redirect(decided.status == .accepted ? decided.redirectURI : (decided.nokRedirectURI ?? decided.redirectURI))
            default:
                return html(.notFound, BankSandboxSCAPage.message(bankName: bank.name, text: "Unknown authorisation."))
            }
        } catch {
            return html(.internalServerError, BankSandboxSCAPage.message(bankName: bank.name, text: "Something went wrong."))
        }
    }

    func psuName(_ nationalId: String) -> String {
        guard let number = try? NationalIdentityNumber(nationalId) else { return "the account holder" }
        return SandboxPersons.person(for: number).name
    }

    private func html(_ status: HTTPResponse.Status, _ page: HTML) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(string: page.description)))
    }

    private func redirect(_ location: String) -> Response {
        Response(status: .found, headers: [.location: location])
    }

    static func formValue(_ name: String, in form: String) -> String? {
        for pair in form.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.first == name else { continue }
            return parts.count > 1 ? parts[1].replacingOccurrences(of: "+", with: " ").removingPercentEncoding : ""
        }
        return nil
    }
}
