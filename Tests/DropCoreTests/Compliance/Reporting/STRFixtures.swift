import Foundation
@testable import DropCore

/// A report with a remittance (to a person in Poland, paid out in PLN) and a QR payment (to a
/// Norwegian business), and names that need escaping.
enum STRFixtures {
    static let filedAt = Date(timeIntervalSince1970: 1_791_979_200)  // 2026-10-14T12:00:00Z

    static func report(reason: String = "Five transfers of 9 900 NOK within an hour <structuring> & more") -> SuspiciousTransactionReport {
        let from = SuspiciousTransactionReport.Account(institutionName: "DNB", bic: "DNBANOKK", number: "12345678903", iban: nil, currency: .nok)
        return SuspiciousTransactionReport(
            reference: "report-1",
            entity: .init(id: "4711", name: "Drop AS", organisationNumber: "923609016"),
            submissionDate: filedAt,
            reportingPerson: .init(givenName: "Anders", familyName: "Admin", email: "compliance@drop.example"),
            subject: .init(givenName: "Per", familyName: "O'Politiker & Sønn", birthdate: "1961-11-11", residence: "NO", phone: "+4791234567"),
            reason: reason, action: "Customer relationship under review; transfers held.",
            indicators: ["pep", "structuring"],
            transactions: [
                .init(number: "E2E0001", internalReference: "tx-1", date: filedAt.addingTimeInterval(-3600),
                      amount: Money(minorUnits: 990_000, currency: .nok), received: Money(minorUnits: 367_218, currency: .pln), rate: "0.37093",
                      description: "Remittance", from: from,
                      to: .person(name: "Zofia <Wójcik>", account: .init(institutionName: "Santander Bank Polska", bic: "WBKPPLPP",
                                                                        number: "PL61109010140000071219812874", iban: "PL61109010140000071219812874",
                                                                        currency: .pln)),
                      toCountry: "PL"),
                .init(number: "E2E0002", internalReference: "tx-2", date: filedAt.addingTimeInterval(-60),
                      amount: Money(minorUnits: 5, currency: .nok), description: "QR payment", from: from,
                      to: .business(name: "Kaffe & Kake AS", organisationNumber: "923609016",
                                    account: .init(institutionName: nil, bic: nil, number: "15030010008", iban: nil, currency: .nok)),
                      toCountry: "NO"),
            ])
    }
}
