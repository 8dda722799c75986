import DropCore

/// The catalogue of sandbox persons that the BankID, bank and Sumsub sandboxes share (docs/api.md, "Sandbox persons").
///
/// Any other checksum-valid fødselsnummer or D-number is a generic person, "Test Testesen",
/// born on the date the number carries, whose KYC is approved.
public enum SandboxPersons {
    public static let all: [SandboxPerson] = [
        SandboxPerson(
            nationalId: "15039010043", name: "Kari Nordmann", givenName: "Kari", familyName: "Nordmann",
            birthdate: "1990-03-15", kyc: .approved, note: "two banks, NOK accounts with balance"
        ),
        SandboxPerson(
            nationalId: "01078510133", name: "Ola Nordmann", givenName: "Ola", familyName: "Nordmann",
            birthdate: "1985-07-01", kyc: .approved, note: "one bank"
        ),
        SandboxPerson(
            nationalId: "20051250096", name: "Mia Minor", givenName: "Mia", familyName: "Minor",
            birthdate: "2012-05-20", kyc: .approved, note: "under 18: Drop refuses sign-in"
        ),
        SandboxPerson(
            nationalId: "11116110182", name: "Per Politiker", givenName: "Per", familyName: "Politiker",
            birthdate: "1961-11-11", kyc: .approved, isPEP: true, note: "PEP: screening hit, AML alert"
        ),
        SandboxPerson(
            nationalId: "28027910043", name: "Rita Rejected", givenName: "Rita", familyName: "Rejected",
            birthdate: "1979-02-28", kyc: .rejectedFinal, note: "KYC rejected (final)"
        ),
        SandboxPerson(
            nationalId: "09017010163", name: "Sven Sanctioned", givenName: "Sven", familyName: "Sanctioned",
            birthdate: "1970-01-09", kyc: .rejectedFinal, isSanctioned: true, note: "KYC rejected, sanctions hit"
        ),
        SandboxPerson(
            nationalId: "52069210031", name: "Dina D-nummer", givenName: "Dina", familyName: "D-nummer",
            birthdate: "1992-06-12", kyc: .approved, note: "D-number"
        ),
        SandboxPerson(
            nationalId: "30098010021", name: "Mona Merchant", givenName: "Mona", familyName: "Merchant",
            birthdate: "1980-09-30", kyc: .approved, note: "owns a demo merchant"
        ),
        SandboxPerson(
            nationalId: "04047510142", name: "Anders Admin", givenName: "Anders", familyName: "Admin",
            birthdate: "1975-04-04", kyc: .approved, note: "role admin in development"
        ),
        SandboxPerson(
            nationalId: "12088210261", name: "Berit Admin", givenName: "Berit", familyName: "Admin",
            birthdate: "1982-08-12", kyc: .approved, note: "second admin in development: approves what Anders proposes"
        ),
    ]

    /// The catalogue person with this number. Spaces, dots and dashes between digits are ignored.
    public static func find(nationalId: String) -> SandboxPerson? {
        let digits = String(nationalId.unicodeScalars.filter { !" .-".unicodeScalars.contains($0) })
        return all.first { $0.nationalId == digits }
    }

    /// The person who signs in with `number`: the catalogue person, or else a generic one.
    public static func person(for number: NationalIdentityNumber) -> SandboxPerson {
        let digits = number.digitsForHashing
        if let known = find(nationalId: digits) { return known }
        return SandboxPerson(
            nationalId: digits, name: "Test Testesen", givenName: "Test", familyName: "Testesen",
            birthdate: number.birthDate.iso, kyc: .approved, note: "generic sandbox person"
        )
    }
}
