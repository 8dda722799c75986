import DropCore
import Foundation
import SQLKit

/// What a suspicious transaction report says about its people and transactions, read from the
/// database. Names leave here only inside the rendered report.
public enum STRReportContentRepository {
    /// A user as a person of the report. An erased customer is still named while their records are
    /// kept (hvitvaskingsloven § 30, ADR 0027); their phone and e-mail are gone.
    public static func person(userId: String, withContact: Bool, on db: DatabaseConnection) async throws -> SuspiciousTransactionReport.Person? {
        guard let row = try await db.raw("""
            SELECT name, given_name, family_name, birthdate, phone, email FROM users WHERE id = \(bind: userId)
            """).first() else { return nil }
        let given = try row.decode(column: "given_name", as: String?.self)
        let family = try row.decode(column: "family_name", as: String?.self)
        let birthdate = try row.decode(column: "birthdate", as: String?.self)
        var person: SuspiciousTransactionReport.Person
        if let given, let family {
            person = .init(givenName: given, familyName: family, birthdate: birthdate, residence: "NO")
        } else {
            person = .init(fullName: try row.decode(column: "name", as: String?.self) ?? "", birthdate: birthdate, residence: "NO")
        }
        if withContact {
            person.email = try row.decode(column: "email", as: String?.self)
            person.residence = nil
        } else {
            person.phone = try row.decode(column: "phone", as: String?.self)
        }
        return person
    }

    /// `senderBank` names the sender's bank and its BIC from the bank's id (the directory lives with the API).
    public static func transaction(id: String, senderBank: (_ bankId: String) -> (name: String, bic: String?),
                                   on db: DatabaseConnection) async throws -> SuspiciousTransactionReport.Transaction? {
        guard let row = try await db.raw("""
            SELECT t.id, t.kind, t.end_to_end_id, t.created_at, t.amount_minor, t.currency, t.target_amount_minor, t.target_currency, t.rate,
                a.bank_id, a.bban, a.iban AS from_iban, a.bic AS from_bic, a.currency AS from_currency,
                t.payee_name AS recipient_name, t.payee_country AS country, t.payee_iban AS to_iban, t.payee_account_number AS account_number,
                t.payee_bic AS to_bic, t.payee_bank_name AS bank_name, t.payee_currency AS to_currency,
                m.name AS merchant_name, m.organisation_number, m.settlement_account
            FROM transactions t
            LEFT JOIN bank_accounts a ON a.id = t.bank_account_id
            LEFT JOIN merchants m ON m.id = t.merchant_id
            WHERE t.id = \(bind: id)
            """).first() else { return nil }
        let currency = Currency(rawValue: try row.decode(column: "currency", as: String.self)) ?? .nok
        let amount = Money(minorUnits: try row.decode(column: "amount_minor", as: Int64.self), currency: currency)
        let targetMinor = try row.decode(column: "target_amount_minor", as: Int64?.self)
        let targetCurrency = try row.decode(column: "target_currency", as: String?.self).flatMap(Currency.init(rawValue:))
        let received = targetMinor.flatMap { minor in targetCurrency.map { Money(minorUnits: minor, currency: $0) } }
        let bankId = try row.decode(column: "bank_id", as: String?.self)
        let fromIBAN = try row.decode(column: "from_iban", as: String?.self)
        let from = SuspiciousTransactionReport.Account(
            institutionName: bankId.map { senderBank($0).name },
            bic: try row.decode(column: "from_bic", as: String?.self) ?? bankId.flatMap { senderBank($0).bic },
            number: try row.decode(column: "bban", as: String?.self) ?? fromIBAN ?? "", iban: fromIBAN,
            currency: (try row.decode(column: "from_currency", as: String?.self)).flatMap(Currency.init(rawValue:)))
        let counterparty: SuspiciousTransactionReport.Counterparty
        let country: String
        if try row.decode(column: "kind", as: String.self) == "qr_payment" {
            let account = try row.decode(column: "settlement_account", as: String?.self) ?? ""
            counterparty = .business(name: try row.decode(column: "merchant_name", as: String?.self) ?? "",
                                     organisationNumber: try row.decode(column: "organisation_number", as: String?.self),
                                     account: .init(institutionName: nil, bic: nil, number: account, iban: nil, currency: .nok))
            country = "NO"
        } else {
            let iban = try row.decode(column: "to_iban", as: String?.self)
            let accountNumber = try row.decode(column: "account_number", as: String?.self)
            counterparty = .person(name: try row.decode(column: "recipient_name", as: String?.self) ?? "", account: .init(
                institutionName: try row.decode(column: "bank_name", as: String?.self), bic: try row.decode(column: "to_bic", as: String?.self),
                number: iban ?? accountNumber ?? "", iban: iban,
                currency: (try row.decode(column: "to_currency", as: String?.self)).flatMap(Currency.init(rawValue:))))
            country = try row.decode(column: "country", as: String?.self) ?? ""
        }
        let kind = try row.decode(column: "kind", caseOf: TransactionKind.self)
        return SuspiciousTransactionReport.Transaction(
            number: try row.decode(column: "end_to_end_id", as: String.self), internalReference: try row.decode(column: "id", as: String.self),
            date: try row.decode(column: "created_at", as: Date.self), amount: amount, received: received,
            rate: try row.decode(column: "rate", as: String?.self),
            description: kind == .qrPayment ? "QR payment to a Norwegian business, initiated by Drop (PISP)"
                : "Remittance abroad, initiated by Drop (PISP) via the payout partner",
            from: from, to: counterparty, toCountry: country)
    }
}
