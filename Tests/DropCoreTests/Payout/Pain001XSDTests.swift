import DropCore
import DropTestTools
import Foundation
import Testing

/// The writer's output against the official pain.001.001.09 XSD (see `XMLSchemaCheck`).
@Suite("pain.001.001.09 writer against the XSD")
struct Pain001XSDTests {
    static let available = (XMLSchemaCheck.xmllint != nil && XMLSchemaCheck.pain001XSD != nil) || XMLSchemaCheck.isRequired

    @Test(.enabled(if: available, "needs xmllint and the pain.001.001.09 XSD (PAIN001_XSD)"))
    func writerOutputIsSchemaValid() throws {
        let F = PayoutFixtures.self
        let india = try PayoutInstruction(
            endToEndId: try EndToEndId("IN-1"), amount: Money(minorUnits: 5_000_00, currency: try Currency(code: "INR")), rail: .swift,
            creditorName: "Priya Sharma & Co <Pvt>", creditorAccount: .other("00011020001772"), creditorAgentBIC: try BIC("HDFCINBBXXX"),
            creditorAgentClearing: .ifsc("HDFC0000001"), creditorCountry: try CountryCode("IN"),
            creditorAddress: .init(street: "MG Road", buildingNumber: "12", postCode: "560001", town: "Bengaluru"),
            remittanceInformation: "Family support \"May\""
        )
        let batches = [
            try F.batch([try F.sepa("E2E-1", 250_00, name: "Åse Ødegård", remittance: "Gift for Åse")]),
            try F.batch([
                try F.sepa("E2E-1", 1, name: "Jean O'Neil", iban: "FR1420041010050500013M02606",
                           address: .init(street: "Rue de la Paix 1", postCode: "75002", town: "Paris")),
                india,
                try F.swift("KW-1", 1_250, currency: "KWD", country: "KW", account: .other("0001234567"), bic: "NBOKKWKW"),
                try F.swift("JP-1", 1_500, currency: "JPY", country: "JP", account: .other("1234567"), bic: nil),
            ], messageId: String(repeating: "M", count: 35)),
        ]
        for batch in batches {
            let result = try XMLSchemaCheck.validate(Pain001Writer().xml(for: batch), against: XMLSchemaCheck.pain001XSD)
            #expect(result.valid, "\(result.output)")
        }
    }
}
