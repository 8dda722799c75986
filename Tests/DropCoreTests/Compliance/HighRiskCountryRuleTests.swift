import Foundation
import Testing
@testable import DropCore

@Suite("AML: high-risk destination")
struct HighRiskCountryRuleTests {
    let rule = HighRiskCountryRule()

    @Test func greyListCountryAlerts() throws {
        let finding = try #require(AML.finding(rule, AML.context(to: "KE")))
        #expect(finding.rule == .highRiskCountry)
        #expect(finding.score == 40)
        #expect(finding.reason == "Destination KE is on the list of high-risk jurisdictions (enhanced due diligence).")
    }

    @Test func callForActionCountryScoresAHold() throws {
        let finding = try #require(AML.finding(rule, AML.context(to: "IR")))
        #expect(finding.score == 70)
        #expect(finding.reason == "Destination IR is on the call-for-action list of high-risk jurisdictions.")
    }

    @Test func ordinaryCountriesAndDelistedOnesDoNotFire() {
        for code in ["PL", "SE", "DE", "PK", "IN", "NG", "ZA", "PH"] {
            #expect(AML.finding(rule, AML.context(to: code)) == nil, "\(code)")
        }
    }

    @Test func dropsOwnHighRiskCorridorsAreOnTheList() {
        #expect(AML.finding(rule, AML.context(to: "SO"))?.score == 40)
        #expect(AML.finding(rule, AML.context(to: "ER"))?.score == 40)
    }

    @Test func listIsConfigurable() {
        var configuration = AML.defaults
        configuration.highRiskCountries = [AML.country("PL")]
        configuration.callForActionCountries = []
        #expect(AML.finding(rule, AML.context(to: "PL"), AML.history(), configuration)?.score == 40)
        #expect(AML.finding(rule, AML.context(to: "KE"), AML.history(), configuration) == nil)
        #expect(AML.finding(rule, AML.context(to: "IR"), AML.history(), configuration) == nil)
    }

    @Test func callForActionWinsWhenOnBothLists() {
        var configuration = AML.defaults
        configuration.highRiskCountries.insert(AML.country("KP"))
        #expect(AML.finding(rule, AML.context(to: "KP"), AML.history(), configuration)?.score == 70)
    }

    @Test func defaultListsAreComplete() {
        // Guards against a code the list meant but CountryCode does not know (it would be dropped silently).
        #expect(AMLConfiguration.fatfCallForAction.count == 3)
        #expect(AMLConfiguration.fatfIncreasedMonitoring.count == 20)
        #expect(AMLConfiguration.dropCorridorRisk == [AML.country("SO"), AML.country("ER")])
        #expect(AMLConfiguration.fatfCallForAction.isDisjoint(with: AMLConfiguration.fatfIncreasedMonitoring))
        #expect(AML.defaults.highRiskCountries.count == 22)
    }
}
