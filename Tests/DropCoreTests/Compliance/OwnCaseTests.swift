import Testing
@testable import DropCore

@Suite("An officer's own case: decided by another officer")
struct OwnCaseTests {
    @Test func aCaseIsTheOfficersOwnWhenTheyAreOneOfItsParties() {
        #expect(OwnCase.isOwn(officer: "kari", parties: ["kari"]))
        // A payment to the officer's business: the payer and the owner are both parties.
        #expect(OwnCase.isOwn(officer: "kari", parties: ["per", "kari"]))
        #expect(!OwnCase.isOwn(officer: "anders", parties: ["per", "kari"]))
        #expect(!OwnCase.isOwn(officer: "anders", parties: []))
    }
}
