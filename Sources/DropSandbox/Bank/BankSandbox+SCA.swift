import DropCore
import Foundation
import HTTPTypes
import Hummingbird

extension BankSandbox {
    /// `GET /{bank}/sca/{consents|payments}/{id}`: the page the PSU approves on.
    func scaPage(_ request: Request, bankId: String, kind: String, id: String) async -> Response {
        guard let bank = BankSandboxBank.find(id: bankId) else { return html(.notFound, BankSandboxSCAPage.message(bankName: "Bank", text: "Unknown bank.")) }
        do {
            switch kind {
            case "consents":
                guard let consent = try await store.consent(id: id, bankId: bank.id, at: now()), consent.status == "received" else {
                    return html(.notFound, BankSandboxSCAPage.message(bankName: bank.name, text: "Nothing to approve here."))
                }
                let accounts = consent.accountNumbers.compactMap { number in
                    (try? NorwegianAccountNumber(number))?.formatted
                }
                return html(.ok, BankSandboxSCAPage.html(
                    bankName: bank.name, title: "Give Drop access to your accounts", psuName: psuName(consent.psuId),
                    lines: [
                        .init(label: "Accounts", value: accounts.joined(separator: ", ")),
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
                return html(.ok, BankSandboxSCAPage.html(bankName: bank.name, title: "Approve payment", psuName: psuName(payment.psuId), lines: lines, kind: kind, id: id))
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
        do {
            switch kind {
            case "consents":
                guard let consent = try await store.consent(id: id, bankId: bank.id, at: now()), consent.status == "received" else {
                    return html(.conflict, BankSandboxSCAPage.message(bankName: bank.name, text: "This request is no longer open."))
                }
                try await store.setConsentStatus(id: id, to: approve ? "valid" : "rejected")
                return redirect(approve ? consent.redirectURI : (consent.nokRedirectURI ?? consent.redirectURI))
            case "payments":
                guard let payment = try await store.payment(id: id, bankId: bank.id, at: now()), payment.awaitsSCA else {
                    return html(.conflict, BankSandboxSCAPage.message(bankName: bank.name, text: "This payment can no longer be approved."))
                }
                let decided = try await store.decide(paymentId: id, approve: approve, at: now())
                let succeeded = decided.status != "RJCT"
                return redirect(succeeded ? decided.redirectURI : (decided.nokRedirectURI ?? decided.redirectURI))
            default:
                return html(.notFound, BankSandboxSCAPage.message(bankName: bank.name, text: "Unknown authorisation."))
            }
        } catch {
            return html(.internalServerError, BankSandboxSCAPage.message(bankName: bank.name, text: "Something went wrong."))
        }
    }

    private func psuName(_ nationalId: String) -> String {
        guard let number = try? NationalIdentityNumber(nationalId) else { return "the account holder" }
        return SandboxPersons.person(for: number).name
    }

    private func html(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
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
