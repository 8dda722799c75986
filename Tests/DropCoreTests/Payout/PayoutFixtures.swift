import DropCore
import Foundation

/// Test data for payout messages: Drop's partner account and a few recipients.
enum PayoutFixtures {
    static let debtor = PayoutDebtor(
        name: "Drop Payments AS", iban: try! IBAN("NO9386011117947"), bic: try! BIC("DNBANOKK")
    )
    /// 2026-11-21T10:15:30Z.
    static let creationTime = Date(timeIntervalSince1970: 1_795_256_130)
    static let executionDate = try! CalendarDate(iso: "2026-11-23")

    static func sepa(_ id: String, _ minor: Int64, name: String = "Ola Nordmann", iban: String = "DE89370400440532013000",
                     remittance: String? = nil, address: PayoutInstruction.PostalAddress? = nil) throws -> PayoutInstruction {
        let parsed = try IBAN(iban)
        return try PayoutInstruction(
            endToEndId: try EndToEndId(id), amount: Money(minorUnits: minor, currency: .eur), rail: .sepa,
            creditorName: name, creditorAccount: .iban(parsed), creditorCountry: parsed.countryCode,
            creditorAddress: address, remittanceInformation: remittance
        )
    }

    static func swift(_ id: String, _ minor: Int64, currency: String, name: String = "Ali Khan", country: String,
                      account: PayoutInstruction.CreditorAccount, bic: String?, remittance: String? = nil,
                      address: PayoutInstruction.PostalAddress? = nil) throws -> PayoutInstruction {
        try PayoutInstruction(
            endToEndId: try EndToEndId(id), amount: Money(minorUnits: minor, currency: try Currency(code: currency)), rail: .swift,
            creditorName: name, creditorAccount: account, creditorAgentBIC: try bic.map { try BIC($0) },
            creditorCountry: try CountryCode(country), creditorAddress: address, remittanceInformation: remittance
        )
    }

    static func batch(_ instructions: [PayoutInstruction], messageId: String = "DROP20261121-0001") throws -> PayoutBatch {
        try PayoutBatch(messageId: messageId, creationTime: creationTime, debtor: debtor,
                        requestedExecutionDate: executionDate, instructions: instructions)
    }
}
