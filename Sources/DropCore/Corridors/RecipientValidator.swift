/// Checks a recipient against the corridor it will be paid through, reporting every problem at once
/// so the app can mark all bad fields in one go.
public struct RecipientValidator: Sendable {
    public init() {}

    /// Names are 2–70 code points: 70 is the ISO 20022 / SEPA `Nm` limit, and the partner counts
    /// code points (`unicodeScalars`), not the grapheme clusters `String.count` gives.
    public static let nameLength = 2...70

    /// Extra issue codes beyond `ValidationIssue.Code`.
    public enum IssueCode {
        public static let required = "required"
        public static let characters = "characters"
        public static let corridor = "corridor"
        public static let notAllowed = "not_allowed"
    }

    public func validate(_ recipient: RecipientDetails, for corridor: Corridor) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []

        if recipient.country != corridor.country || recipient.currency != corridor.currency {
            issues.append(ValidationIssue(
                field: recipient.country != corridor.country ? "country" : "currency", issue: IssueCode.corridor,
                message: "The recipient's country and currency do not match the chosen corridor."))
        }

        for field in corridor.requiredFields where recipient.value(of: field) == nil {
            issues.append(ValidationIssue(field: field, issue: IssueCode.required, message: "This field is required."))
        }

        issues += nameIssues(recipient.name, rail: corridor.rail)
        issues += accountIssues(recipient, corridor: corridor)
        issues += lengthIssues(recipient, rail: corridor.rail)
        issues += Self.textFields.compactMap { FreeText.controlCharacterIssue(recipient.value(of: $0), field: $0) }

        if let relationship = recipient.value(of: "relationship"), Relationship(rawValue: relationship) == nil {
            issues.append(ValidationIssue(
                field: "relationship", issue: ValidationIssue.Code.format,
                message: "Relationship must be one of family, friend, self, business or other."))
        }
        return issues
    }

    // MARK: Name

    private func nameIssues(_ name: String, rail: Rail) -> [ValidationIssue] {
        let trimmed = RecipientDetails.trimmed(name)
        guard !trimmed.isEmpty else { return [] } // reported as required
        var issues: [ValidationIssue] = []
        // Counted as written on the rail too: "ü" goes over SEPA as "ue", and a name the payment can't carry whole is refused now, not at payout.
        if !Self.nameLength.contains(trimmed.unicodeScalars.count)
            || PayoutText.problem(trimmed, rail: rail, maxLength: Self.nameLength.upperBound) != nil {
            issues.append(ValidationIssue(field: "name", issue: ValidationIssue.Code.length,
                                          message: "The name must be 2 to 70 characters."))
        }
        // "Hans Müller" and "Bjørn Åsen" are accepted: the payment carries them transliterated
        // (`PayeeName.atBank`), which the app shows. Only letters with no Latin writing are refused,
        // on both rails: SEPA and cross-border (CBPR+) payments carry names in Latin letters only.
        if !PayoutText.isWritable(trimmed, rail: rail) {
            issues.append(ValidationIssue(
                field: "name", issue: IssueCode.characters,
                message: "Payments abroad carry the name in Latin letters; write it as it is written in Latin letters, e.g. in the recipient's passport."))
        }
        // Control characters, on either rail, are refused with every other field's (`textFields`).
        return issues
    }

    /// Every field typed as text: none may hold a control character (a line break, a NUL).
    public static let textFields = [
        "name", "iban", "accountNumber", "bic", "ifsc", "routingNumber", "bankName",
        "address.street", "address.postCode", "address.city", "relationship",
    ]

    // MARK: Lengths

    /// ISO 20022 limits of the fields these end up in (`PstlAdr/StrtNm` 70, `PstCd` 16, `TwnNm` 35,
    /// `FinInstnId/Nm` 140): longer values would make the partner reject the payment file later.
    public static let maximumLengths: [(field: String, length: Int)] = [
        ("address.street", 70), ("address.postCode", 16), ("address.city", 35), ("bankName", 140),
    ]

    private func lengthIssues(_ recipient: RecipientDetails, rail: Rail) -> [ValidationIssue] {
        Self.maximumLengths.compactMap { field, length in
            guard let value = recipient.value(of: field) else { return nil }
            // As written on the rail too ("å" goes over SEPA as "aa"), or the payout would refuse it later.
            if value.unicodeScalars.count > length || PayoutText.problem(value, rail: rail, maxLength: length) != nil {
                return ValidationIssue(field: field, issue: ValidationIssue.Code.length, message: "At most \(length) characters.")
            }
            // The address goes into the payment in Latin letters, as the name does; the bank's name is not sent.
            if field.hasPrefix("address."), !PayoutText.isWritable(value, rail: rail) {
                return ValidationIssue(field: field, issue: IssueCode.characters, message: "Write the address in Latin letters.")
            }
            return nil
        }
    }

    // MARK: Account

    private func accountIssues(_ recipient: RecipientDetails, corridor: Corridor) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        var iban: IBAN?
        if let text = recipient.value(of: "iban") {
            if corridor.accountFormat != .iban {
                issues.append(ValidationIssue(field: "iban", issue: IssueCode.notAllowed,
                                              message: "Accounts in this country are paid by account number, not IBAN."))
            } else {
                do {
                    let parsed = try IBAN(text)
                    if parsed.countryCode == recipient.country {
                        iban = parsed
                    } else {
                        issues.append(ValidationIssue(field: "iban", issue: ValidationIssue.Code.country,
                                                      message: "The IBAN must belong to a bank in the recipient's country."))
                    }
                } catch {
                    issues.append(error.withField("iban"))
                }
            }
        }

        if let text = recipient.value(of: "bic") {
            do {
                let bic = try BIC(text)
                let expected = iban?.countryCode ?? recipient.country
                if bic.countryCode != expected {
                    issues.append(ValidationIssue(
                        field: "bic", issue: ValidationIssue.Code.country,
                        message: iban != nil ? "The BIC's country does not match the IBAN's."
                            : "The BIC must belong to a bank in the recipient's country."))
                } else if bic.isTestBIC {
                    issues.append(ValidationIssue(field: "bic", issue: ValidationIssue.Code.format,
                                                  message: "That is a test BIC, which cannot receive payments."))
                }
            } catch {
                issues.append(error.withField("bic"))
            }
        }

        if let account = recipient.value(of: "accountNumber") {
            if corridor.accountFormat == .iban {
                issues.append(ValidationIssue(field: "accountNumber", issue: IssueCode.notAllowed,
                                              message: "Accounts in this country are paid by IBAN."))
            } else if corridor.accountFormat == .nuban {
                if !(account.utf8.count == 10 && account.utf8.allSatisfy(ASCII.isDigit)) {
                    issues.append(ValidationIssue(field: "accountNumber", issue: ValidationIssue.Code.format,
                                                  message: "A Nigerian account number (NUBAN) is exactly 10 digits."))
                }
            } else if !BankCodes.isPlausibleAccountNumber(account) {
                issues.append(ValidationIssue(field: "accountNumber", issue: ValidationIssue.Code.format,
                                              message: "An account number is 4 to 34 letters and digits."))
            }
        }

        // A domestic code the corridor does not use would be dropped from the payment silently.
        for (field, format) in [("ifsc", AccountFormat.ifscAndAccount), ("routingNumber", .abaAndAccount)]
        where recipient.value(of: field) != nil && corridor.accountFormat != format {
            issues.append(ValidationIssue(field: field, issue: IssueCode.notAllowed,
                                          message: "Payments to this country do not use this bank code."))
        }

        if corridor.accountFormat == .ifscAndAccount, let ifsc = recipient.value(of: "ifsc"), !BankCodes.isValidIFSC(ifsc) {
            issues.append(ValidationIssue(
                field: "ifsc", issue: ValidationIssue.Code.format,
                message: "An IFSC is 11 characters: 4 letters, a zero, then 6 letters or digits."))
        }
        if corridor.accountFormat == .abaAndAccount, let routing = recipient.value(of: "routingNumber") {
            switch BankCodes.checkABARoutingNumber(routing) {
            case .valid: break
            case .badFormat:
                issues.append(ValidationIssue(field: "routingNumber", issue: ValidationIssue.Code.format,
                                              message: "An ABA routing number is exactly 9 digits."))
            case .badChecksum:
                issues.append(ValidationIssue(field: "routingNumber", issue: ValidationIssue.Code.checksum,
                                              message: "The routing number's check digit is wrong."))
            }
        }
        return issues
    }
}
