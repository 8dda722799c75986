/// The same report as the field set of Altinn form MT-0002 ("Melding om mistenkelig transaksjon",
/// Økokrim's channel for § 26 reports, docs/protocols.md §7).
///
/// The form's own field ids are not public (they come with Altinn's end-user-system integration),
/// so the names here are Drop's, chosen to follow the form's sections as Økokrim describes them:
/// - `reportingEntity` — the reporter: `name`, `organisationNumber`, `fiuId`
/// - `contactPerson` — who answers questions: `givenName`, `familyName`, `email`
/// - `reference`, `submittedAt` — Drop's report id and when it was produced (UTC, `YYYY-MM-DDTHH:MM:SS`)
/// - `subject` — the customer: `givenName`, `familyName`, `birthdate`, `countryOfResidence`, `phone`
/// - `suspicion` — `grounds` (why: the report's reason), `measuresTaken` (action), `indicators` (rules)
/// - `transactions[]` — `reference` (end-to-end id), `internalReference`, `date`, `amountNOK` (exact decimal),
///   `amountMinor`, `foreignAmount`/`foreignCurrency` when paid out in another currency, `fromAccount`,
///   `fromBank`, `toName`, `toOrganisationNumber`, `toAccount`, `toBank`, `toBIC`, `toCountry`, `channel`
/// - `totalAmountNOK` — the transactions' sum.
/// Map these onto the real ids once Drop is onboarded as an end-user system.
public struct MT0002Form: Codable, Sendable, Hashable {
    public struct ReportingEntity: Codable, Sendable, Hashable {
        public let name: String
        public let organisationNumber: String
        public let fiuId: String
    }

    public struct ContactPerson: Codable, Sendable, Hashable {
        public let givenName: String
        public let familyName: String
        public let email: String?
    }

    public struct Subject: Codable, Sendable, Hashable {
        public let givenName: String
        public let familyName: String
        public let birthdate: String?
        public let countryOfResidence: String?
        public let phone: String?
    }

    public struct Suspicion: Codable, Sendable, Hashable {
        public let grounds: String
        public let measuresTaken: String
        public let indicators: [String]
    }

    public struct Transaction: Codable, Sendable, Hashable {
        public let reference: String
        public let internalReference: String
        public let date: String
        public let amountNOK: String
        public let amountMinor: Int64
        public let foreignAmount: String?
        public let foreignCurrency: String?
        public let fromAccount: String
        public let fromBank: String?
        public let toName: String
        public let toOrganisationNumber: String?
        public let toAccount: String
        public let toBank: String?
        public let toBIC: String?
        public let toCountry: String
        public let channel: String
    }

    public let form: String
    public let formTitle: String
    public let reportingEntity: ReportingEntity
    public let contactPerson: ContactPerson
    public let reference: String
    public let submittedAt: String
    public let subject: Subject
    public let suspicion: Suspicion
    public let transactions: [Transaction]
    public let totalAmountNOK: String

    public init(_ report: SuspiciousTransactionReport) throws(MoneyError) {
        form = "MT-0002"
        formTitle = "Melding om mistenkelig transaksjon"
        reportingEntity = ReportingEntity(name: report.entity.name, organisationNumber: report.entity.organisationNumber, fiuId: report.entity.id)
        contactPerson = ContactPerson(givenName: report.reportingPerson.givenName, familyName: report.reportingPerson.familyName,
                                      email: report.reportingPerson.email)
        reference = report.reference
        submittedAt = SuspiciousTransactionReport.dateTime(report.submissionDate)
        subject = Subject(givenName: report.subject.givenName, familyName: report.subject.familyName, birthdate: report.subject.birthdate,
                          countryOfResidence: report.subject.residence, phone: report.subject.phone)
        suspicion = Suspicion(grounds: report.reason, measuresTaken: report.action, indicators: report.indicators)
        transactions = report.transactions.map { t in
            let business: String? = if case let .business(_, number, _) = t.to { number } else { nil }
            let foreign = t.received.flatMap { $0.currency == .nok ? nil : $0 }
            return Transaction(
                reference: t.number, internalReference: t.internalReference, date: SuspiciousTransactionReport.dateTime(t.date),
                amountNOK: t.amount.decimalString, amountMinor: t.amount.minorUnits, foreignAmount: foreign?.decimalString,
                foreignCurrency: foreign?.currency.code, fromAccount: t.from.iban ?? t.from.number, fromBank: t.from.institutionName,
                toName: t.to.name, toOrganisationNumber: business, toAccount: t.to.account.iban ?? t.to.account.number,
                toBank: t.to.account.institutionName, toBIC: t.to.account.bic, toCountry: t.toCountry, channel: "payment_initiation")
        }
        totalAmountNOK = try Money.sum(report.transactions.map(\.amount), in: .nok).decimalString
    }
}
