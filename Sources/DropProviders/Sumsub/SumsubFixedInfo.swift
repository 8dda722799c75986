import DropCore

/// The identity data Drop already holds from BankID, given to Sumsub as `fixedInfo` so the
/// applicant cannot change it and the documents are checked against it.
public struct SumsubFixedInfo: Sendable, Hashable, Encodable {
    public let firstName: String
    public let lastName: String
    /// Date of birth, `YYYY-MM-DD`.
    public let dob: String
    /// ISO 3166-1 alpha-3 country of the person, `NOR` for Drop's customers.
    public let country: String

    public init(firstName: String, lastName: String, dateOfBirth: CalendarDate, country: String = "NOR") {
        self.firstName = firstName
        self.lastName = lastName
        self.dob = dateOfBirth.iso
        self.country = country
    }
}
