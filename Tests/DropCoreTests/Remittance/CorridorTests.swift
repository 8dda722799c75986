import Foundation
import Testing
@testable import DropCore

@Suite("Corridors")
struct CorridorTests {
    @Test func coversAtLeastThirtyCountriesWithoutDuplicates() {
        let keys = Corridors.all.map { "\($0.country)-\($0.currency)" }
        #expect(Corridors.all.count >= 32)
        #expect(Set(Corridors.all.map(\.country)).count >= 30)
        #expect(Set(keys).count == keys.count)
    }

    @Test func includesTheDestinationsThePlanNames() {
        let expected: [(String, String)] = [
            ("DE", "EUR"), ("FR", "EUR"), ("LT", "EUR"), ("HR", "EUR"), ("PL", "PLN"), ("SE", "SEK"), ("DK", "DKK"),
            ("GB", "GBP"), ("PK", "PKR"), ("IN", "INR"), ("PH", "PHP"), ("SO", "USD"), ("ER", "USD"), ("ET", "ETB"),
            ("NG", "NGN"), ("KE", "KES"), ("TR", "TRY"), ("VN", "VND"), ("TH", "THB"), ("LK", "LKR"), ("BA", "BAM"),
            ("RS", "RSD"), ("UA", "UAH"), ("BR", "BRL"), ("MA", "MAD"), ("US", "USD"),
        ]
        for (country, currency) in expected {
            let corridor = Corridors.find(country: CountryCode(rawValue: country)!, currency: Currency(rawValue: currency)!)
            #expect(corridor != nil, "missing \(country) \(currency)")
        }
        #expect(Corridors.find(country: .norway, currency: .nok) == nil)
        #expect(Corridors.find(country: CountryCode(rawValue: "PL")!, currency: .eur) == nil)
    }

    @Test(arguments: Corridors.all)
    func invariants(_ corridor: Corridor) {
        // SEPA exactly when EUR goes into the SEPA zone.
        let sepaEligible = corridor.currency == .eur && Corridors.sepaZone.contains(corridor.country.rawValue)
        #expect((corridor.rail == .sepa) == sepaEligible)
        #expect(corridor.country != .norway)

        // Required fields are real API fields and match the account format.
        #expect(Set(corridor.requiredFields).isSubset(of: RecipientDetails.knownFields))
        #expect(Set(corridor.requiredFields).count == corridor.requiredFields.count)
        #expect(corridor.requiredFields.contains("name"))
        #expect(corridor.requiredFields.contains("relationship"))
        for field in corridor.accountFormat.accountFields { #expect(corridor.requiredFields.contains(field)) }
        if corridor.accountFormat == .iban {
            #expect(IBAN.expectedLength(for: corridor.country) != nil)
            #expect(!corridor.requiredFields.contains("accountNumber"))
        } else {
            #expect(!corridor.requiredFields.contains("iban"))
        }
        if corridor.rail == .swift {
            #expect(corridor.requiredFields.contains("address.city"))
            #expect(corridor.requiredFields.contains("address.street"))
        }

        // Amounts in NOK within the product range.
        #expect(corridor.minAmount == TransferAmountLimits.minimum)
        #expect(corridor.maxAmount.currency == .nok)
        #expect(corridor.maxAmount.minorUnits <= TransferAmountLimits.maximum.minorUnits)
        #expect(corridor.minAmount.minorUnits < corridor.maxAmount.minorUnits)
        #expect(!corridor.estimatedDelivery.isEmpty)
        #expect(Corridors.find(country: corridor.country, currency: corridor.currency) == corridor)
    }

    @Test func specialFormatsAndCaps() {
        func find(_ country: String, _ currency: String) -> Corridor? {
            Corridors.find(country: CountryCode(rawValue: country)!, currency: Currency(rawValue: currency)!)
        }
        #expect(find("IN", "INR")?.accountFormat == .ifscAndAccount)
        #expect(find("US", "USD")?.accountFormat == .abaAndAccount)
        #expect(find("NG", "NGN")?.accountFormat == .nuban)
        #expect(find("PK", "PKR")?.accountFormat == .iban)
        #expect(find("GB", "GBP")?.rail == .swift)
        #expect(find("DE", "EUR")?.requiredFields == ["name", "iban", "relationship"])
        #expect(find("SO", "USD")?.maxAmount == Corridors.highRiskMaximum)
        #expect(find("ER", "USD")?.maxAmount == Corridors.highRiskMaximum)
        #expect(find("DE", "EUR")?.estimatedDelivery == "same or next business day")
    }

    @Test func codableRoundTrip() throws {
        let data = try JSONEncoder().encode(Corridors.all)
        #expect(try JSONDecoder().decode([Corridor].self, from: data) == Corridors.all)
        let json = String(decoding: try JSONEncoder().encode(Corridors.find(country: CountryCode(rawValue: "IN")!, currency: Currency(rawValue: "INR")!)), as: UTF8.self)
        #expect(json.contains("\"ifsc+account\""))
    }
}
