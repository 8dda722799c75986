/// Every destination Drop serves, and lookup by country and payout currency.
///
/// Rail rule: SEPA only for EUR into a SEPA-zone country; everything else goes over SWIFT.
/// PLN, SEK, DKK and GBP also go over SWIFT: SEPA carries EUR only, and the partner's local
/// clearing in those countries is an optimisation we do not promise yet.
public enum Corridors {
    public static let all: [Corridor] = euroSEPA + swift

    /// The corridor paying `currency` into `country`, nil when Drop does not serve it.
    public static func find(country: CountryCode, currency: Currency) -> Corridor? {
        index[Key(country: country, currency: currency)]
    }

    /// All corridors into `country` (usually one).
    public static func corridors(to country: CountryCode) -> [Corridor] {
        all.filter { $0.country == country }
    }

    /// Countries in the SEPA scheme (EPC list, docs/protocols.md §5). GI is left out: its SEPA status is unconfirmed.
    public static let sepaZone: Set<String> = [
        "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT",
        "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO", "CH", "GB", "MC", "SM",
        "VA", "AD", "AL", "ME", "MD", "MK", "RS",
    ]

    /// Somalia and Eritrea: partners cap these lower (thin banking sector, high AML risk, hawala-style
    /// payout chains), and a smaller cap keeps one transfer under the partner's enhanced-review threshold.
    public static let highRiskMaximum = Money(minorUnits: 10_000_00, currency: .nok)

    private struct Key: Hashable {
        let country: CountryCode
        let currency: Currency
    }

    private static let index: [Key: Corridor] = Dictionary(
        all.map { (Key(country: $0.country, currency: $0.currency), $0) }, uniquingKeysWith: { first, _ in first }
    )

    // MARK: Table

    static let sepaDelivery = "same or next business day"
    static let swiftDelivery = "1–3 business days"
    static let slowDelivery = "2–5 business days"

    /// SEPA needs only name and IBAN; the BIC is optional since 2016 and derived by the bank.
    static let sepaFields = ["name", "iban", "relationship"]

    /// The euro area (21 countries since Bulgaria joined on 1 January 2026).
    private static let euroSEPA: [Corridor] = [
        "AT", "BE", "BG", "HR", "CY", "EE", "FI", "FR", "DE", "GR", "IE", "IT", "LV", "LT", "LU", "MT", "NL",
        "PT", "SK", "SI", "ES",
    ].map { code in
        Corridor(
            country: country(code), currency: .eur, rail: .sepa, accountFormat: .iban,
            requiredFields: sepaFields, minAmount: TransferAmountLimits.minimum,
            maxAmount: TransferAmountLimits.maximum, estimatedDelivery: sepaDelivery
        )
    }

    private static let swift: [Corridor] = [
        swiftCorridor("PL", "PLN", .iban, swiftDelivery),
        swiftCorridor("SE", "SEK", .iban, swiftDelivery),
        swiftCorridor("DK", "DKK", .iban, swiftDelivery),
        swiftCorridor("GB", "GBP", .iban, swiftDelivery),
        swiftCorridor("PK", "PKR", .iban, swiftDelivery),
        swiftCorridor("IN", "INR", .ifscAndAccount, swiftDelivery),
        swiftCorridor("PH", "PHP", .accountAndBIC, swiftDelivery),
        // Somalia: USD is what banks and payout agents there actually pay; the shilling is barely banked.
        swiftCorridor("SO", "USD", .iban, slowDelivery, max: highRiskMaximum),
        // Eritrea: the nakfa is not convertible abroad (fixed at 15 per USD by the central bank),
        // so partners pay out USD.
        swiftCorridor("ER", "USD", .accountAndBIC, slowDelivery, max: highRiskMaximum),
        swiftCorridor("ET", "ETB", .accountAndBIC, slowDelivery),
        swiftCorridor("NG", "NGN", .nuban, slowDelivery),
        swiftCorridor("KE", "KES", .accountAndBIC, swiftDelivery),
        swiftCorridor("TR", "TRY", .iban, swiftDelivery),
        swiftCorridor("VN", "VND", .accountAndBIC, swiftDelivery),
        swiftCorridor("TH", "THB", .accountAndBIC, swiftDelivery),
        swiftCorridor("LK", "LKR", .accountAndBIC, swiftDelivery),
        swiftCorridor("BA", "BAM", .iban, swiftDelivery),
        // Serbia is in SEPA (RS operational ~May 2026) but dinar payouts still go over SWIFT.
        swiftCorridor("RS", "RSD", .iban, swiftDelivery),
        swiftCorridor("UA", "UAH", .iban, slowDelivery),
        swiftCorridor("BR", "BRL", .iban, swiftDelivery),
        // Morocco: 24-digit RIB as the account number; "MA" IBANs are not in the SWIFT registry.
        swiftCorridor("MA", "MAD", .accountAndBIC, slowDelivery),
        swiftCorridor("US", "USD", .abaAndAccount, swiftDelivery),
    ]

    /// SWIFT corridors need the bank's BIC (except US/India, whose routing codes replace it),
    /// and CBPR+ wants the creditor's street and town. Post codes are not required: Somalia,
    /// Eritrea and others have none.
    private static func swiftCorridor(
        _ code: String, _ currencyCode: String, _ format: AccountFormat, _ delivery: String,
        max: Money = TransferAmountLimits.maximum
    ) -> Corridor {
        var fields = ["name"] + format.accountFields
        if format == .iban { fields.append("bic") }
        fields += ["bankName", "address.street", "address.city", "relationship"]
        return Corridor(
            country: country(code), currency: Currency(rawValue: currencyCode) ?? .usd, rail: .swift,
            accountFormat: format, requiredFields: fields, minAmount: TransferAmountLimits.minimum,
            maxAmount: max, estimatedDelivery: delivery
        )
    }

    /// Table codes are pinned by the tests; `NO` never appears in the table, so a typo shows up there.
    private static func country(_ code: String) -> CountryCode {
        CountryCode(rawValue: code) ?? .norway
    }
}
