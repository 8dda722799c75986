import DropCore
import Foundation
import HTTPTypes
import Hummingbird

extension BankSandbox {
    /// `POST /{bank}/v1/consents`.
    func createConsent(_ request: Request, bankId: String) async throws -> Response {
        let bank = try self.bank(bankId)
        let psuId = try optionalPSUId(request)
        guard let redirectURI = header(request, "TPP-Redirect-URI") else { throw BankSandboxAPIError.format("TPP-Redirect-URI is missing.") }
        let body = try await BankSandboxJSON.object(from: request)
        guard let access = body["access"] as? [String: Any] else { throw BankSandboxAPIError.format("access is missing.") }
        guard let recurring = body["recurringIndicator"] as? Bool else { throw BankSandboxAPIError.format("recurringIndicator is missing.") }
        guard let validUntil = body["validUntil"] as? String, BankSandboxCalendar.isISODate(validUntil) else {
            throw BankSandboxAPIError.format("validUntil must be an ISO date.")
        }
        guard validUntil >= BankSandboxCalendar.day(of: now()) else { throw BankSandboxAPIError(.badRequest, "PERIOD_INVALID", "validUntil is in the past.") }
        guard let frequency = body["frequencyPerDay"] as? Int, (1...4).contains(frequency) else {
            throw BankSandboxAPIError.format("frequencyPerDay must be 1 to 4.")
        }
        let combined = body["combinedServiceIndicator"] as? Bool ?? false
        // Checks the access's shape now; which accounts it covers is settled once the PSU is known.
        var (covered, withBalances) = try Self.coverage(of: access, owned: nil, bankName: bank.name)
        if let psuId {
            covered = try Self.coverage(of: access, owned: try await store.accounts(of: psuId, at: bank.id), bankName: bank.name).accounts
        }
        let date = now()
        let consent = BankSandboxConsent(
            id: RecordID.make(), bankId: bank.id, psuId: psuId, accountNumbers: covered,
            includesBalances: withBalances, accessJSON: BankSandboxJSON.text(access), recurringIndicator: recurring,
            validUntil: validUntil, frequencyPerDay: frequency, combinedServiceIndicator: combined, status: .received,
            createdAt: date, lastActionDate: BankSandboxCalendar.day(of: date), redirectURI: redirectURI,
            nokRedirectURI: header(request, "TPP-Nok-Redirect-URI"), unattendedAccesses: [:]
        )
        try await store.insert(consent: consent)
        let selfLink = absoluteURL(request, path: "\(bank.id)/v1/consents/\(consent.id)")
        var response = BankSandboxJSON.response(.created, [
            "consentStatus": consent.status.rawValue,
            "consentId": consent.id,
            "_links": [
                "scaRedirect": ["href": absoluteURL(request, path: "\(bank.id)/sca/consents/\(consent.id)")],
                "self": ["href": selfLink],
                "status": ["href": selfLink + "/status"],
            ],
        ])
        response.headers[.location] = selfLink
        response.headers[HTTPField.Name("ASPSP-SCA-Approach")!] = "REDIRECT"
        return response
    }

    func consentDetails(bankId: String, id: String, statusOnly: Bool) async throws -> Response {
        let bank = try self.bank(bankId)
        guard let consent = try await store.consent(id: id, bankId: bank.id, at: now()) else { throw BankSandboxAPIError.consentUnknown() }
        if statusOnly { return BankSandboxJSON.response(.ok, ["consentStatus": consent.status.rawValue]) }
        // Who the consent belongs to, once known (this bank's extension): the TPP checks it is its customer.
        let psu: [String: Any] = consent.psuId.map { ["psuId": $0] } ?? [:]
        return BankSandboxJSON.response(.ok, psu.merging([
            "access": BankSandboxJSON.parse(consent.accessJSON) ?? [:],
            "recurringIndicator": consent.recurringIndicator,
            "validUntil": consent.validUntil,
            "frequencyPerDay": consent.frequencyPerDay,
            "combinedServiceIndicator": consent.combinedServiceIndicator,
            "lastActionDate": consent.lastActionDate,
            "consentStatus": consent.status.rawValue,
        ]) { _, new in new })
    }

    func deleteConsent(bankId: String, id: String) async throws -> Response {
        let bank = try self.bank(bankId)
        guard try await store.consent(id: id, bankId: bank.id, at: now()) != nil else { throw BankSandboxAPIError.consentUnknown() }
        try await store.setConsentStatus(id: id, to: .terminatedByTpp)
        return Response(status: .noContent)
    }

    /// `GET /{bank}/v1/accounts` and `GET /{bank}/v1/accounts/{id}/balances`. Without
    /// `PSU-IP-Address` the read is unattended and counts against the consent's daily budget.
    func readAccounts(_ request: Request, bankId: String, accountId: String?) async throws -> Response {
        let bank = try self.bank(bankId)
        guard let consentId = header(request, "Consent-ID") else { throw BankSandboxAPIError.format("Consent-ID is missing.") }
        let attended = header(request, "PSU-IP-Address") != nil
        let (consent, accounts) = try await store.authoriseAccountRead(consentId: consentId, bankId: bank.id, attended: attended, at: now())
        if let accountId {
            guard let account = accounts.first(where: { $0.resourceId == accountId }) else {
                throw BankSandboxAPIError.resourceUnknown("The account is not covered by the consent.")
            }
            guard consent.includesBalances else { throw BankSandboxAPIError(.unauthorized, "CONSENT_INVALID", "The consent does not cover balances.") }
            return BankSandboxJSON.response(.ok, ["account": ["iban": account.iban, "currency": account.currency], "balances": [balance(of: account)]])
        }
        let withBalance = request.uri.queryParameters.get("withBalance") == "true" && consent.includesBalances
        return BankSandboxJSON.response(.ok, [
            "accounts": accounts.map { account -> [String: Any] in
                var entry: [String: Any] = [
                    "resourceId": account.resourceId, "iban": account.iban, "bban": account.accountNumber,
                    "currency": account.currency, "name": account.name, "displayName": account.name,
                    "product": account.product, "cashAccountType": "CACC", "status": "enabled", "bic": bank.bic,
                    "usage": "PRIV",
                    "_links": ["balances": ["href": absoluteURL(request, path: "\(bank.id)/v1/accounts/\(account.resourceId)/balances")]],
                ]
                if withBalance { entry["balances"] = [balance(of: account)] }
                return entry
            },
        ])
    }

    private func balance(of account: BankSandboxAccount) -> [String: Any] {
        let money = Money(minorUnits: account.balanceMinorUnits, currency: .nok)
        return [
            "balanceAmount": ["currency": account.currency, "amount": money.decimalString],
            "balanceType": "interimAvailable",
            "creditLimitIncluded": false,
            "lastChangeDateTime": BankSandboxCalendar.iso8601(now()),
            "referenceDate": BankSandboxCalendar.day(of: now()),
        ]
    }

    /// The accounts an `access` object covers among `owned` (nil: only check its shape), and
    /// whether it includes balances.
    static func coverage(of access: [String: Any], owned: [BankSandboxAccount]?, bankName: String) throws(BankSandboxAPIError) -> (accounts: [String], balances: Bool) {
        if let all = (access["availableAccountsWithBalance"] ?? access["allPsd2"]) as? String, all.hasPrefix("allAccounts") {
            return ((owned ?? []).map(\.accountNumber), true)
        }
        if let all = access["availableAccounts"] as? String, all.hasPrefix("allAccounts") {
            return ((owned ?? []).map(\.accountNumber), false)
        }
        let listed = ((access["accounts"] as? [Any]) ?? []) + ((access["balances"] as? [Any]) ?? [])
        guard !listed.isEmpty else { throw BankSandboxAPIError.format("access names no accounts.") }
        var covered: [String] = []
        for reference in listed {
            guard let (identifier, isIBAN) = BankSandboxJSON.accountReference(reference) else {
                throw BankSandboxAPIError.format("An account reference in access is malformed.")
            }
            guard let owned else { continue }
            guard let account = owned.first(where: { isIBAN ? $0.iban == identifier : $0.accountNumber == identifier }) else {
                throw BankSandboxAPIError.format("An account in access is not the PSU's account at \(bankName).")
            }
            if !covered.contains(account.accountNumber) { covered.append(account.accountNumber) }
        }
        return (covered, !((access["balances"] as? [Any]) ?? []).isEmpty)
    }

    /// `PSU-ID`, optional in the redirect approach: the PSU's national identity number, as
    /// Norwegian banks accept it. Without it the PSU identifies themselves on the SCA page.
    func optionalPSUId(_ request: Request) throws(BankSandboxAPIError) -> String? {
        guard let psuId = header(request, "PSU-ID") else { return nil }
        guard let number = try? NationalIdentityNumber(psuId) else {
            throw BankSandboxAPIError(.unauthorized, "PSU_CREDENTIALS_INVALID", "PSU-ID is not a valid national identity number.")
        }
        return number.digitsForHashing
    }
}
