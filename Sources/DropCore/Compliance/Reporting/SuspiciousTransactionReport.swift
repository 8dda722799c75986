import Foundation

/// A suspicious transaction report (hvitvaskingsloven § 26) as the FIU receives it: who reports,
/// about whom, why, what was done, and the transactions. The pure input of the goAML writer and
/// the MT-0002 mapping; DropAPI assembles it from the database.
public struct SuspiciousTransactionReport: Sendable, Hashable {
    /// Drop as the reporting entity.
    public struct ReportingEntity: Sendable, Hashable {
        /// The id the FIU gave Drop when it registered as a reporting entity (goAML `rentity_id`).
        public var id: String
        public var name: String
        public var organisationNumber: String

        public init(id: String, name: String, organisationNumber: String) {
            self.id = id
            self.name = name
            self.organisationNumber = organisationNumber
        }
    }

    public struct Person: Sendable, Hashable {
        public var givenName: String
        public var familyName: String
        /// `YYYY-MM-DD`, when known.
        public var birthdate: String?
        /// ISO 3166 alpha-2 country of residence.
        public var residence: String?
        public var phone: String?
        public var email: String?

        public init(givenName: String, familyName: String, birthdate: String? = nil, residence: String? = nil,
                    phone: String? = nil, email: String? = nil) {
            self.givenName = givenName
            self.familyName = familyName
            self.birthdate = birthdate
            self.residence = residence
            self.phone = phone
            self.email = email
        }

        /// Splits a full name at its last space when given and family names are not stored apart.
        public init(fullName: String, birthdate: String? = nil, residence: String? = nil, phone: String? = nil) {
            let trimmed = fullName.trimmingCharacters(in: .whitespaces)
            if let space = trimmed.lastIndex(of: " ") {
                self.init(givenName: String(trimmed[..<space]), familyName: String(trimmed[trimmed.index(after: space)...]),
                          birthdate: birthdate, residence: residence, phone: phone)
            } else {
                self.init(givenName: "", familyName: trimmed, birthdate: birthdate, residence: residence, phone: phone)
            }
        }

        public var fullName: String { [givenName, familyName].filter { !$0.isEmpty }.joined(separator: " ") }
    }

    public struct Account: Sendable, Hashable {
        public var institutionName: String?
        public var bic: String?
        /// The account number as the bank writes it (BBAN or IBAN).
        public var number: String
        public var iban: String?
        public var currency: Currency?

        public init(institutionName: String?, bic: String?, number: String, iban: String?, currency: Currency?) {
            self.institutionName = institutionName
            self.bic = bic
            self.number = number
            self.iban = iban
            self.currency = currency
        }
    }

    /// Where the money went: a person abroad (remittance) or a Norwegian business (QR payment).
    public enum Counterparty: Sendable, Hashable {
        case person(name: String, account: Account)
        case business(name: String, organisationNumber: String?, account: Account)

        public var name: String {
            switch self {
            case let .person(name, _), let .business(name, _, _): name
            }
        }

        public var account: Account {
            switch self {
            case let .person(_, account), let .business(_, _, account): account
            }
        }
    }

    public struct Transaction: Sendable, Hashable {
        /// The payment's end-to-end id: what the banks on the way know it by.
        public var number: String
        /// Drop's transaction id.
        public var internalReference: String
        public var date: Date
        /// NOK leaving the customer for the counterparty, before Drop's fee.
        public var amount: Money
        /// What the counterparty receives when it is another currency.
        public var received: Money?
        /// Units of `received` per NOK, as quoted.
        public var rate: String?
        public var description: String
        public var from: Account
        public var to: Counterparty
        /// ISO 3166 alpha-2 of the counterparty's bank.
        public var toCountry: String

        public init(number: String, internalReference: String, date: Date, amount: Money, received: Money? = nil, rate: String? = nil,
                    description: String, from: Account, to: Counterparty, toCountry: String) {
            self.number = number
            self.internalReference = internalReference
            self.date = date
            self.amount = amount
            self.received = received
            self.rate = rate
            self.description = description
            self.from = from
            self.to = to
            self.toCountry = toCountry
        }
    }

    /// Drop's id of the report (goAML `entity_reference`).
    public var reference: String
    public var entity: ReportingEntity
    public var submissionDate: Date
    /// The compliance officer who files.
    public var reportingPerson: Person
    /// The customer reported on.
    public var subject: Person
    public var reason: String
    public var action: String
    /// The AML rules that raised it (`structuring`, `pep`, …).
    public var indicators: [String]
    public var transactions: [Transaction]

    public init(reference: String, entity: ReportingEntity, submissionDate: Date, reportingPerson: Person, subject: Person,
                reason: String, action: String, indicators: [String], transactions: [Transaction]) {
        self.reference = reference
        self.entity = entity
        self.submissionDate = submissionDate
        self.reportingPerson = reportingPerson
        self.subject = subject
        self.reason = reason
        self.action = action
        self.indicators = indicators
        self.transactions = transactions
    }

    /// `2026-10-14T12:00:00`: goAML's `xs:dateTime` without a zone, in UTC.
    public static func dateTime(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return pad(c.year ?? 0, 4) + "-" + pad(c.month ?? 0, 2) + "-" + pad(c.day ?? 0, 2) + "T"
            + pad(c.hour ?? 0, 2) + ":" + pad(c.minute ?? 0, 2) + ":" + pad(c.second ?? 0, 2)
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
