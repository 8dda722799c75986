import DropCore
import DropSandbox
import Testing

/// The sandbox persons catalogue the BankID, bank and Sumsub sandboxes share (docs/api.md, "Sandbox persons").
@Suite("Sandbox persons")
struct BankIDSandboxPersonsTests {
    @Test("every person has a valid number whose birth date matches")
    func catalogueIsConsistent() throws {
        #expect(SandboxPersons.all.count == 10)
        #expect(Set(SandboxPersons.all.map(\.nationalId)).count == SandboxPersons.all.count)
        for person in SandboxPersons.all {
            let number = try NationalIdentityNumber(person.nationalId)
            #expect(number.birthDate.iso == person.birthdate, "\(person.name)")
            #expect(person.name == "\(person.givenName) \(person.familyName)")
        }
    }

    @Test("the fixed outcomes are as docs/api.md lists them")
    func outcomes() throws {
        let per = try #require(SandboxPersons.find(nationalId: "11116110182"))
        #expect(per.isPEP && !per.isSanctioned && per.kyc == .approved)
        let rita = try #require(SandboxPersons.find(nationalId: "28027910043"))
        #expect(rita.kyc == .rejectedFinal && !rita.isSanctioned)
        let sven = try #require(SandboxPersons.find(nationalId: "09017010163"))
        #expect(sven.kyc == .rejectedFinal && sven.isSanctioned)
        let dina = try #require(SandboxPersons.find(nationalId: "520692 10031"))
        #expect(dina.birthdate == "1992-06-12")
        #expect(try NationalIdentityNumber(dina.nationalId).kind == .dNumber)
        let mia = try #require(SandboxPersons.find(nationalId: "20051250096"))
        #expect(try NationalIdentityNumber(mia.nationalId).age(on: CalendarDate(year: 2026, month: 11, day: 20)) < 18)
        #expect(SandboxPersons.find(nationalId: "15108695088") == nil)
    }

    @Test("anyone else is a generic person born on the number's date")
    func genericPerson() throws {
        let person = SandboxPersons.person(for: try NationalIdentityNumber("15108695088"))
        #expect(person.name == "Test Testesen")
        #expect(person.birthdate == "1986-10-15")
        #expect(person.kyc == .approved)
        #expect(SandboxPersons.person(for: try NationalIdentityNumber("15039010043")).name == "Kari Nordmann")
        let dNumber = SandboxPersons.person(for: try NationalIdentityNumber("41019010110"))
        #expect(dNumber.birthdate == "1990-01-01")
    }
}
