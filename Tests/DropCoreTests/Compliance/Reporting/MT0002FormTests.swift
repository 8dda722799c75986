import Foundation
import Testing
@testable import DropCore

@Suite("MT-0002 mapping")
struct MT0002FormTests {
    @Test func theReportMapsOntoTheFormsFields() throws {
        let form = try MT0002Form(STRFixtures.report())
        #expect(form.form == "MT-0002")
        #expect(form.reportingEntity.fiuId == "4711" && form.reportingEntity.organisationNumber == "923609016")
        #expect(form.contactPerson.familyName == "Admin")
        #expect(form.subject.birthdate == "1961-11-11" && form.subject.countryOfResidence == "NO")
        #expect(form.suspicion.indicators == ["pep", "structuring"])
        #expect(form.transactions.map(\.amountNOK) == ["9900.00", "0.05"])
        #expect(form.transactions.map(\.amountMinor) == [990_000, 5])
        #expect(form.transactions.first?.foreignAmount == "3672.18" && form.transactions.first?.foreignCurrency == "PLN")
        #expect(form.transactions.first?.toCountry == "PL" && form.transactions.last?.toOrganisationNumber == "923609016")
        #expect(form.transactions.last?.foreignAmount == nil)
        #expect(form.totalAmountNOK == "9900.05")
        // Encodes as JSON with the documented names.
        let json = String(decoding: try JSONEncoder().encode(form), as: UTF8.self)
        #expect(json.contains("\"grounds\"") && json.contains("\"measuresTaken\"") && json.contains("\"totalAmountNOK\""))
    }
}
