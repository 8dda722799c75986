import Testing
@testable import DropCore

@Suite("Recipient validation")
struct RecipientValidatorTests {
    let validator = RecipientValidator()

    static func corridor(_ country: String, _ currency: String) -> Corridor {
        Corridors.find(country: CountryCode(rawValue: country)!, currency: Currency(rawValue: currency)!)!
    }

    static let address = RecipientDetails.Address(street: "Main Road 1", postCode: "12345", city: "Town")

    static let germany = RecipientDetails(name: "Hans Meier", country: CountryCode(rawValue: "DE")!, currency: .eur,
                                          iban: "DE89 3704 0044 0532 0130 00", relationship: "family")
    static let pakistan = RecipientDetails(name: "Ali Khan", country: CountryCode(rawValue: "PK")!, currency: Currency(rawValue: "PKR")!,
                                           iban: "PK36SCBL0000001123456702", bic: "SCBLPKKX", bankName: "Standard Chartered",
                                           address: address, relationship: "friend")
    static let india = RecipientDetails(name: "Priya Sharma", country: CountryCode(rawValue: "IN")!, currency: Currency(rawValue: "INR")!,
                                        accountNumber: "123456789012", ifsc: "SBIN0001234", bankName: "SBI",
                                        address: address, relationship: "family")
    static let usa = RecipientDetails(name: "John Doe", country: CountryCode(rawValue: "US")!, currency: .usd,
                                      accountNumber: "000123456789", routingNumber: "021000021", bankName: "Chase",
                                      address: address, relationship: "business")
    static let nigeria = RecipientDetails(name: "Chidi Okafor", country: CountryCode(rawValue: "NG")!, currency: Currency(rawValue: "NGN")!,
                                          accountNumber: "0123456789", bic: "ZEIBNGLA", bankName: "Zenith",
                                          address: address, relationship: "self")
    static let somalia = RecipientDetails(name: "Faadumo Cali", country: CountryCode(rawValue: "SO")!, currency: .usd,
                                          iban: try! IBAN.make(country: CountryCode(rawValue: "SO")!, bban: "1000001001000100141").electronic,
                                          bic: "DSBBSOMOXXX", bankName: "Dahabshil", address: .init(street: "Maka al Mukarama", city: "Mogadishu"),
                                          relationship: "family")

    func fields(_ issues: [ValidationIssue]) -> [String] { issues.compactMap(\.field) }
    func issue(_ issues: [ValidationIssue], _ field: String) -> String? { issues.first { $0.field == field }?.issue }

    @Test(arguments: [
        (germany, "DE", "EUR"), (pakistan, "PK", "PKR"), (india, "IN", "INR"), (usa, "US", "USD"),
        (nigeria, "NG", "NGN"), (somalia, "SO", "USD"),
    ])
    func validRecipientsPass(_ recipient: RecipientDetails, _ country: String, _ currency: String) {
        #expect(validator.validate(recipient, for: Self.corridor(country, currency)) == [])
    }

    @Test func reportsEveryMissingRequiredField() {
        var recipient = Self.pakistan
        recipient.iban = nil
        recipient.bic = "  "
        recipient.address = nil
        recipient.relationship = nil
        let issues = validator.validate(recipient, for: Self.corridor("PK", "PKR"))
        #expect(Set(fields(issues)) == ["iban", "bic", "address.street", "address.city", "relationship"])
        #expect(issues.allSatisfy { $0.issue == RecipientValidator.IssueCode.required })
    }

    @Test func ibanChecksumLengthAndCountry() {
        var recipient = Self.germany
        recipient.iban = "DE89370400440532013001"
        #expect(issue(validator.validate(recipient, for: Self.corridor("DE", "EUR")), "iban") == ValidationIssue.Code.checksum)
        recipient.iban = "DE8937040044053201300"
        #expect(issue(validator.validate(recipient, for: Self.corridor("DE", "EUR")), "iban") == ValidationIssue.Code.length)
        recipient.iban = "NL91ABNA0417164300" // valid, but Dutch
        #expect(issue(validator.validate(recipient, for: Self.corridor("DE", "EUR")), "iban") == ValidationIssue.Code.country)
    }

    @Test func bicShapeAndCountry() {
        var recipient = Self.pakistan
        recipient.bic = "SCBL-PK"
        #expect(issue(validator.validate(recipient, for: Self.corridor("PK", "PKR")), "bic") == ValidationIssue.Code.format)
        recipient.bic = "DEUTDEFF" // a German bank for a Pakistani IBAN
        let issues = validator.validate(recipient, for: Self.corridor("PK", "PKR"))
        #expect(issue(issues, "bic") == ValidationIssue.Code.country)
        #expect(issues.first?.message.contains("IBAN") == true)

        var nigeria = Self.nigeria
        nigeria.bic = "CITIUS33" // no IBAN: compared with the recipient's country
        #expect(issue(validator.validate(nigeria, for: Self.corridor("NG", "NGN")), "bic") == ValidationIssue.Code.country)
        nigeria.bic = "ZEIBNGL0" // test BIC: location ends in 0
        #expect(issue(validator.validate(nigeria, for: Self.corridor("NG", "NGN")), "bic") == ValidationIssue.Code.format)
    }

    @Test(arguments: ["SBIN0001234", "HDFC0ABC123"])
    func ifscAccepted(_ code: String) { #expect(BankCodes.isValidIFSC(code)) }

    @Test(arguments: ["SBIN1001234", "SBI00001234", "sbin0001234", "SBIN000123", "SBIN00012345", "SBIN000123-"])
    func ifscRefused(_ code: String) {
        #expect(!BankCodes.isValidIFSC(code))
        var recipient = Self.india
        recipient.ifsc = code
        #expect(issue(validator.validate(recipient, for: Self.corridor("IN", "INR")), "ifsc") == ValidationIssue.Code.format)
    }

    @Test func abaRoutingNumbers() {
        #expect(BankCodes.checkABARoutingNumber("021000021") == .valid)
        #expect(BankCodes.checkABARoutingNumber("011000015") == .valid)
        #expect(BankCodes.checkABARoutingNumber("021000022") == .badChecksum)
        #expect(BankCodes.checkABARoutingNumber("02100002") == .badFormat)
        #expect(BankCodes.checkABARoutingNumber("02100002A") == .badFormat)
        var recipient = Self.usa
        recipient.routingNumber = "021000022"
        #expect(issue(validator.validate(recipient, for: Self.corridor("US", "USD")), "routingNumber") == ValidationIssue.Code.checksum)
        recipient.routingNumber = "2100002"
        #expect(issue(validator.validate(recipient, for: Self.corridor("US", "USD")), "routingNumber") == ValidationIssue.Code.format)
    }

    @Test(arguments: ["012345678", "01234567890", "012345678X"])
    func nubanMustBeTenDigits(_ account: String) {
        var recipient = Self.nigeria
        recipient.accountNumber = account
        #expect(issue(validator.validate(recipient, for: Self.corridor("NG", "NGN")), "accountNumber") == ValidationIssue.Code.format)
    }

    @Test func nameLength() {
        var recipient = Self.germany
        recipient.name = "A"
        #expect(issue(validator.validate(recipient, for: Self.corridor("DE", "EUR")), "name") == ValidationIssue.Code.length)
        recipient.name = String(repeating: "a", count: 71)
        #expect(issue(validator.validate(recipient, for: Self.corridor("DE", "EUR")), "name") == ValidationIssue.Code.length)
        recipient.name = String(repeating: "a", count: 70)
        #expect(validator.validate(recipient, for: Self.corridor("DE", "EUR")) == [])
        recipient.name = "  "
        #expect(issue(validator.validate(recipient, for: Self.corridor("DE", "EUR")), "name") == RecipientValidator.IssueCode.required)
    }

    @Test func nameLengthIsCodePointsNotCharacters() {
        // Three letters under 300 combining marks pass a `count` check (3) but are 303 code points to the partner.
        var recipient = Self.pakistan
        recipient.name = "Ali" + String(repeating: "\u{0308}", count: 300)
        #expect(issue(validator.validate(recipient, for: Self.corridor("PK", "PKR")), "name") == ValidationIssue.Code.length)
        recipient.name = "Ali Khan" + String(repeating: "\u{0308}", count: 62)
        #expect(validator.validate(recipient, for: Self.corridor("PK", "PKR")) == [])
        recipient.name = "Ali Khan" + String(repeating: "\u{0308}", count: 63)
        #expect(issue(validator.validate(recipient, for: Self.corridor("PK", "PKR")), "name") == ValidationIssue.Code.length)
    }

    /// Issue 16: "Hans Müller" and "Bjørn Åsen" were refused; the payment carries them transliterated.
    @Test func accentedNamesAcceptedOnSEPAAndOnlyNonLatinRefused() {
        var recipient = Self.germany
        for name in ["Hans Müller", "Bjørn Åsen", "Ærlig Søren", "José Núñez"] {
            recipient.name = name
            #expect(validator.validate(recipient, for: Self.corridor("DE", "EUR")) == [], "\(name)")
        }
        // The length counts as the bank gets it: 69 letters and an "ü" ("ue") are 71.
        recipient.name = String(repeating: "a", count: 69) + "ü"
        #expect(issue(validator.validate(recipient, for: Self.corridor("DE", "EUR")), "name") == ValidationIssue.Code.length)
        // So is an address part: a 34-letter town with two "å" is 36 over SEPA, over the 35 of TwnNm.
        recipient.name = "Bjørn Åsen"
        recipient.address = RecipientDetails.Address(street: nil, postCode: nil, city: "Åså" + String(repeating: "x", count: 31))
        #expect(issue(validator.validate(recipient, for: Self.corridor("DE", "EUR")), "address.city") == ValidationIssue.Code.length)
        recipient.address = nil
        recipient.name = "李小龍"
        let issues = validator.validate(recipient, for: Self.corridor("DE", "EUR"))
        #expect(issue(issues, "name") == RecipientValidator.IssueCode.characters)

        var pakistan = Self.pakistan
        pakistan.name = "Zoë Ødegård" // SWIFT: transliterated too ("Zoe Odegaard")
        #expect(validator.validate(pakistan, for: Self.corridor("PK", "PKR")) == [])
    }

    /// Cross-border payments travel under CBPR+, which carries Latin letters only: a name or address
    /// with no Latin writing was accepted and sent as typed, and the partner refuses such a file.
    @Test func crossBorderNamesAndAddressesWithoutALatinWritingAreRefused() {
        var recipient = Self.pakistan
        for name in ["Олена Коваленко", "李小龍", "سارہ خان", "😀😀"] {
            recipient.name = name
            #expect(issue(validator.validate(recipient, for: Self.corridor("PK", "PKR")), "name") == RecipientValidator.IssueCode.characters, "\(name)")
        }
        recipient.name = "Nguyễn Văn Hùng"
        #expect(validator.validate(recipient, for: Self.corridor("PK", "PKR")) == [])
        recipient.address = RecipientDetails.Address(street: "Шевченка 5", postCode: nil, city: "Київ")
        let issues = validator.validate(recipient, for: Self.corridor("PK", "PKR"))
        #expect(issue(issues, "address.street") == RecipientValidator.IssueCode.characters)
        #expect(issue(issues, "address.city") == RecipientValidator.IssueCode.characters)
    }

    @Test(arguments: ["family", "friend", "self", "business", "other"])
    func relationshipsAccepted(_ value: String) {
        var recipient = Self.germany
        recipient.relationship = value
        #expect(validator.validate(recipient, for: Self.corridor("DE", "EUR")) == [])
    }

    @Test func unknownRelationshipRefused() {
        var recipient = Self.germany
        recipient.relationship = "cousin"
        #expect(issue(validator.validate(recipient, for: Self.corridor("DE", "EUR")), "relationship") == ValidationIssue.Code.format)
    }

    @Test func wrongAccountKindForTheCorridor() {
        var recipient = Self.germany
        recipient.accountNumber = "12345678"
        #expect(issue(validator.validate(recipient, for: Self.corridor("DE", "EUR")), "accountNumber") == RecipientValidator.IssueCode.notAllowed)
        var india = Self.india
        india.iban = "DE89370400440532013000"
        #expect(issue(validator.validate(india, for: Self.corridor("IN", "INR")), "iban") == RecipientValidator.IssueCode.notAllowed)
    }

    @Test func corridorMismatch() {
        #expect(issue(validator.validate(Self.germany, for: Self.corridor("FR", "EUR")), "country") == RecipientValidator.IssueCode.corridor)
        var somalia = Self.somalia
        somalia.currency = Currency(rawValue: "SOS")!
        #expect(issue(validator.validate(somalia, for: Self.corridor("SO", "USD")), "currency") == RecipientValidator.IssueCode.corridor)
    }

    @Test func reportsAllProblemsAtOnce() {
        let recipient = RecipientDetails(name: "李", country: CountryCode(rawValue: "DE")!, currency: .eur,
                                         iban: "DE00370400440532013000", bic: "XXXX", relationship: "pet")
        let issues = validator.validate(recipient, for: Self.corridor("DE", "EUR"))
        #expect(Set(fields(issues)) == ["name", "iban", "bic", "relationship"])
        #expect(issues.filter { $0.field == "name" }.count == 2) // too short and not SEPA characters
    }

    @Test func domesticBankCodesOnlyWhereTheCorridorUsesThem() {
        var germany = Self.germany
        germany.ifsc = "SBIN0001234"
        germany.routingNumber = "bad"
        let issues = validator.validate(germany, for: Self.corridor("DE", "EUR"))
        #expect(issue(issues, "ifsc") == RecipientValidator.IssueCode.notAllowed)
        #expect(issue(issues, "routingNumber") == RecipientValidator.IssueCode.notAllowed)
        #expect(issues.count == 2, "a code that does not apply is not also checked for format")
        var india = Self.india
        india.routingNumber = "021000021"
        #expect(fields(validator.validate(india, for: Self.corridor("IN", "INR"))) == ["routingNumber"])
    }

    @Test func addressAndBankNameFitTheirPaymentFileFields() {
        var recipient = Self.pakistan
        recipient.address = .init(street: String(repeating: "s", count: 71), postCode: String(repeating: "1", count: 17),
                                  city: String(repeating: "c", count: 36))
        recipient.bankName = String(repeating: "b", count: 141)
        let issues = validator.validate(recipient, for: Self.corridor("PK", "PKR"))
        #expect(Set(fields(issues)) == ["address.street", "address.postCode", "address.city", "bankName"])
        #expect(issues.allSatisfy { $0.issue == ValidationIssue.Code.length })
        recipient.address = .init(street: String(repeating: "s", count: 70), postCode: String(repeating: "1", count: 16),
                                  city: String(repeating: "c", count: 35))
        recipient.bankName = String(repeating: "b", count: 140)
        #expect(validator.validate(recipient, for: Self.corridor("PK", "PKR")) == [])
    }

    /// A NUL or a line break in any field is refused on that field, whatever the rail: PostgreSQL
    /// refuses NUL in text, and the payment file's one-line fields can't carry a break.
    @Test(arguments: ["\u{0}", "\n", "\u{1B}", "\u{85}"])
    func controlCharactersAreRefusedInEveryField(_ control: String) {
        for (recipient, corridor) in [(Self.pakistan, Self.corridor("PK", "PKR")), (Self.usa, Self.corridor("US", "USD")),
                                      (Self.india, Self.corridor("IN", "INR"))] {
            for field in RecipientValidator.textFields {
                var typed = recipient
                switch field {
                case "name": typed.name = "Ali" + control + "Khan"
                case "iban": typed.iban = (typed.iban ?? "X") + control
                case "accountNumber": typed.accountNumber = (typed.accountNumber ?? "1") + control
                case "bic": typed.bic = (typed.bic ?? "X") + control
                case "ifsc": typed.ifsc = (typed.ifsc ?? "X") + control
                case "routingNumber": typed.routingNumber = (typed.routingNumber ?? "1") + control
                case "bankName": typed.bankName = "Bank" + control + "Name"
                case "address.street": typed.address?.street = "Main" + control + "Road 1"
                case "address.postCode": typed.address?.postCode = "123" + control + "45"
                case "address.city": typed.address?.city = "To" + control + "wn"
                case "relationship": typed.relationship = "friend" + control
                default: Issue.record("no case for \(field)")
                }
                let issues = validator.validate(typed, for: corridor)
                #expect(issues.contains { $0.field == field && $0.issue == ValidationIssue.Code.format },
                        "\(field) \(control.debugDescription) \(corridor.country)")
            }
        }
        #expect(validator.validate(Self.pakistan, for: Self.corridor("PK", "PKR")) == [])
    }

    @Test func normalisedDetailsAreWhatTheBankReads() {
        var typed = Self.india
        typed.name = "  Priya Sharma "
        typed.ifsc = " sbin0001234 "
        typed.bic = "sbin inbb"
        typed.bankName = "   "
        typed.address = .init(street: " ", city: "")
        let clean = typed.normalized()
        #expect(clean.name == "Priya Sharma")
        #expect(clean.ifsc == "SBIN0001234")
        #expect(clean.bic == "SBININBB")
        #expect(clean.bankName == nil)
        #expect(clean.address == nil)
        #expect(Self.germany.normalized().iban == "DE89370400440532013000")
        // An IBAN that does not parse is kept as typed (trimmed) so validation can say why.
        var bad = Self.germany
        bad.iban = " DE00 0000 "
        #expect(bad.normalized().iban == "DE00 0000")
    }
}
