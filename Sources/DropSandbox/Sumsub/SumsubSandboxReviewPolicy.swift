/// Decides the review of a submitted applicant the way docs/api.md's sandbox persons promise: by the
/// sandbox person whose given name, family name and birth date match the applicant's fixedInfo.
/// Anyone else is approved.
struct SumsubSandboxReviewPolicy: Sendable {
    struct Decision: Sendable, Hashable {
        let result: SumsubSandboxReviewResult
        /// Tags screening puts on the applicant, e.g. `PEP`.
        let tags: [String]
    }

    let persons: [SandboxPerson]

    init(persons: [SandboxPerson] = SandboxPersons.all) {
        self.persons = persons
    }

    func decision(for fixedInfo: SumsubSandboxApplicant.FixedInfo?) -> Decision {
        guard let person = person(matching: fixedInfo) else { return Decision(result: .green, tags: []) }
        // Sanctions first: a sanctions hit rejects whatever the documents say.
        if person.isSanctioned {
            return Decision(
                result: .red(labels: ["SANCTIONS"], rejectType: "FINAL",
                             moderationComment: "We could not complete your verification.",
                             clientComment: "Screening: sanctions list match."),
                tags: []
            )
        }
        switch person.kyc {
        case .rejectedFinal:
            return Decision(
                result: .red(labels: ["FORGERY", "DOCUMENT_TEMPLATE"], rejectType: "FINAL",
                             moderationComment: "The document could not be accepted.",
                             clientComment: "Document looks forged (template)."),
                tags: []
            )
        case .rejectedRetry:
            return Decision(
                result: .red(labels: ["UNSATISFACTORY_PHOTOS"], rejectType: "RETRY",
                             moderationComment: "The photos were not clear enough. Please try again."),
                tags: []
            )
        case .approved:
            return Decision(result: .green, tags: person.isPEP ? ["PEP"] : [])
        }
    }

    private func person(matching fixedInfo: SumsubSandboxApplicant.FixedInfo?) -> SandboxPerson? {
        guard let fixedInfo, let firstName = fixedInfo.firstName, let lastName = fixedInfo.lastName,
              let dob = fixedInfo.dob else { return nil }
        return persons.first {
            Self.same($0.givenName, firstName) && Self.same($0.familyName, lastName) && $0.birthdate == dob
        }
    }

    /// Names as typed by people and systems differ in case and stray spaces, not in letters.
    private static func same(_ lhs: String, _ rhs: String) -> Bool {
        lhs.trimmingWhitespace().lowercased() == rhs.trimmingWhitespace().lowercased()
    }
}

private extension String {
    func trimmingWhitespace() -> String {
        var view = Substring(self)
        while let first = view.first, first.isWhitespace { view.removeFirst() }
        while let last = view.last, last.isWhitespace { view.removeLast() }
        return String(view)
    }
}
