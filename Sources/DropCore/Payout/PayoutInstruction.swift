/// One payment the payout partner is asked to make to a recipient: a `CdtTrfTxInf` of a pain.001.
///
/// Built from a transfer once the user's NOK has reached the partner; `amount` is what the
/// recipient receives, in the corridor's currency. The initialiser checks what the message needs
/// (positive amount, SEPA means EUR to an IBAN, lengths); text is made to fit the rail's
/// character set by `Pain001Writer`, not here, so the original stays available.
public struct PayoutInstruction: Sendable, Hashable {
    /// How the recipient's account is identified (`CdtrAcct/Id`).
    public enum CreditorAccount: Sendable, Hashable {
        /// `CdtrAcct/Id/IBAN`.
        case iban(IBAN)
        /// `CdtrAcct/Id/Othr/Id`: a domestic account number (4–34 letters and digits).
        case other(String)
    }

    /// A bank identified by its national clearing code (`FinInstnId/ClrSysMmbId`), e.g. an Indian
    /// IFSC (`INFSC`) or a US ABA routing number (`USABA`).
    public struct ClearingSystemMember: Sendable, Hashable {
        /// An ISO 20022 `ExternalClearingSystemIdentification1Code`.
        public let systemCode: String
        public let memberId: String

        public init(systemCode: String, memberId: String) {
            self.systemCode = systemCode
            self.memberId = memberId
        }

        public static func ifsc(_ code: String) -> ClearingSystemMember { .init(systemCode: "INFSC", memberId: code) }
        public static func aba(_ routingNumber: String) -> ClearingSystemMember { .init(systemCode: "USABA", memberId: routingNumber) }
    }

    /// The parts of a postal address a payout carries (`PstlAdr`); the country is the creditor's.
    public struct PostalAddress: Sendable, Hashable {
        public var street: String?
        public var buildingNumber: String?
        public var postCode: String?
        public var town: String?

        public init(street: String? = nil, buildingNumber: String? = nil, postCode: String? = nil, town: String? = nil) {
            self.street = street
            self.buildingNumber = buildingNumber
            self.postCode = postCode
            self.town = town
        }
    }

    /// `Ustrd` holds at most this many characters.
    public static let maximumRemittanceLength = 140
    /// `Nm` is Max140Text; SEPA allows 70. In code points, as the partner counts.
    public static func maximumNameLength(_ rail: Rail) -> Int { rail == .sepa ? 70 : 140 }

    public let endToEndId: EndToEndId
    /// What the recipient gets, in the target currency.
    public let amount: Money
    public let rail: Rail
    public let creditorName: String
    public let creditorAccount: CreditorAccount
    /// The recipient's bank (`CdtrAgt/FinInstnId/BICFI`), when known. Optional for SEPA.
    public let creditorAgentBIC: BIC?
    /// The recipient's bank by clearing code, for countries that route by one instead of a BIC.
    public let creditorAgentClearing: ClearingSystemMember?
    public let creditorCountry: CountryCode
    public let creditorAddress: PostalAddress?
    /// Free text for the recipient (`RmtInf/Ustrd`), ≤ 140 characters.
    public let remittanceInformation: String?

    /// - Throws: `ValidationIssue` naming the offending field.
    public init(
        endToEndId: EndToEndId, amount: Money, rail: Rail, creditorName: String, creditorAccount: CreditorAccount,
        creditorAgentBIC: BIC? = nil, creditorAgentClearing: ClearingSystemMember? = nil, creditorCountry: CountryCode,
        creditorAddress: PostalAddress? = nil, remittanceInformation: String? = nil
    ) throws(ValidationIssue) {
        guard amount.isPositive else {
            throw ValidationIssue(field: "amount", issue: "not_positive", message: "A payout amount must be positive.")
        }
        let name = creditorName.trimmingSurroundingWhitespace()
        guard !name.isEmpty, PayoutText.problem(name, rail: rail, maxLength: Self.maximumNameLength(rail)) == nil else {
            throw ValidationIssue(field: "creditorName", issue: ValidationIssue.Code.length,
                                  message: "The creditor's name must be 1 to \(Self.maximumNameLength(rail)) code points of the rail's character set.")
        }
        // A name with no Latin writing would go as dots: the partner refuses the file, or the recipient's bank can't match it.
        guard PayoutText.isWritable(name, rail: rail) else {
            throw ValidationIssue(field: "creditorName", issue: RecipientValidator.IssueCode.characters,
                                  message: "The creditor's name must be written in Latin letters.")
        }
        // What the writer would otherwise cut short: the partner would pay a different name or refuse the file.
        for (field, value, length) in [("creditorAddress.street", creditorAddress?.street, 70), ("creditorAddress.postCode", creditorAddress?.postCode, 16),
                                       ("creditorAddress.town", creditorAddress?.town, 35)] {
            if let value, PayoutText.problem(value, rail: rail, maxLength: length) != nil {
                throw ValidationIssue(field: field, issue: ValidationIssue.Code.length, message: "At most \(length) code points of the rail's character set.")
            }
            if let value, !value.trimmingSurroundingWhitespace().isEmpty, !PayoutText.isWritable(value, rail: rail) {
                throw ValidationIssue(field: field, issue: RecipientValidator.IssueCode.characters, message: "Addresses must be written in Latin letters.")
            }
        }
        if case .other(let number) = creditorAccount, !BankCodes.isPlausibleAccountNumber(number) {
            throw ValidationIssue(field: "creditorAccount", issue: ValidationIssue.Code.format,
                                  message: "An account number is 4 to 34 letters and digits.")
        }
        if rail == .sepa {
            guard amount.currency == .eur else {
                throw ValidationIssue(field: "amount", issue: ValidationIssue.Code.unsupported, message: "SEPA payouts are in EUR.")
            }
            guard case .iban = creditorAccount else {
                throw ValidationIssue(field: "creditorAccount", issue: ValidationIssue.Code.format, message: "SEPA payouts go to an IBAN.")
            }
        }
        if let remittanceInformation, remittanceInformation.unicodeScalars.count > Self.maximumRemittanceLength {
            throw ValidationIssue(field: "remittanceInformation", issue: ValidationIssue.Code.length,
                                  message: "Remittance information is at most \(Self.maximumRemittanceLength) characters.")
        }
        if let clearing = creditorAgentClearing {
            let codeOK = (1...5).contains(clearing.systemCode.utf8.count) && clearing.systemCode.utf8.allSatisfy(ASCII.isUppercaseLetter)
            let memberOK = (1...35).contains(clearing.memberId.utf8.count) && clearing.memberId.utf8.allSatisfy(ASCII.isAlphanumeric)
            guard codeOK, memberOK else {
                throw ValidationIssue(field: "creditorAgent", issue: ValidationIssue.Code.format,
                                      message: "A clearing code is a system code of up to 5 letters and a member id of letters and digits.")
            }
        }
        self.endToEndId = endToEndId
        self.amount = amount
        self.rail = rail
        self.creditorName = name
        self.creditorAccount = creditorAccount
        self.creditorAgentBIC = creditorAgentBIC
        self.creditorAgentClearing = creditorAgentClearing
        self.creditorCountry = creditorCountry
        self.creditorAddress = creditorAddress
        self.remittanceInformation = remittanceInformation.map { $0.trimmingSurroundingWhitespace() }.flatMap { $0.isEmpty ? nil : $0 }
    }
}

extension PayoutInstruction {
    /// The payout for a transfer to `recipient` through `corridor`: the account is read in the
    /// corridor's format (IBAN; account number with BIC, IFSC or ABA routing number).
    ///
    /// Expects a recipient that `RecipientValidator` accepted; anything still wrong is reported.
    /// - Parameter amount: what the recipient receives, in `corridor.currency`.
    public init(
        endToEndId: EndToEndId, amount: Money, recipient: RecipientDetails, corridor: Corridor, remittanceInformation: String? = nil
    ) throws(ValidationIssue) {
        guard amount.currency == corridor.currency else {
            throw ValidationIssue(field: "amount", issue: RecipientValidator.IssueCode.corridor,
                                  message: "The payout currency must be the corridor's, \(corridor.currency.code).")
        }
        func required(_ field: String) throws(ValidationIssue) -> String {
            guard let value = recipient.value(of: field) else {
                throw ValidationIssue(field: field, issue: RecipientValidator.IssueCode.required, message: "This field is required.")
            }
            return value.trimmingSurroundingWhitespace()
        }
        func parsedBIC() throws(ValidationIssue) -> BIC? {
            guard let text = recipient.value(of: "bic") else { return nil }
            return try BIC(text)
        }
        let account: CreditorAccount
        var bic: BIC? = nil
        var clearing: ClearingSystemMember? = nil
        switch corridor.accountFormat {
        case .iban:
            account = .iban(try IBAN(try required("iban")))
            bic = try parsedBIC()
        case .accountAndBIC, .nuban:
            account = .other(try required("accountNumber"))
            bic = try BIC(try required("bic"))
        case .ifscAndAccount:
            account = .other(try required("accountNumber"))
            clearing = .ifsc(try required("ifsc").uppercased())
            bic = try parsedBIC()
        case .abaAndAccount:
            account = .other(try required("accountNumber"))
            clearing = .aba(try required("routingNumber"))
            bic = try parsedBIC()
        }
        let address = recipient.address.map {
            PostalAddress(street: $0.street, postCode: $0.postCode, town: $0.city)
        }
        try self.init(
            endToEndId: endToEndId, amount: amount, rail: corridor.rail, creditorName: recipient.name, creditorAccount: account,
            creditorAgentBIC: bic, creditorAgentClearing: clearing, creditorCountry: recipient.country,
            creditorAddress: address, remittanceInformation: remittanceInformation
        )
    }
}
