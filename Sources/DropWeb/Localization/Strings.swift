/// Every user-facing string of the web app, one table per language.
public struct Strings: Sendable {
    public let language: Language
    private let table: [String: String]

    public init(_ language: Language) {
        self.language = language
        self.table = language == .nb ? Self.nb : Self.en
    }

    public subscript(_ key: String) -> String { table[key] ?? Self.nb[key] ?? key }

    static let nb: [String: String] = [
        "app.tagline": "Send penger hjem for 0,5 %",
        "home.lead": "Drop sender penger fra din egen bankkonto til mottakere i over 30 land. Du betaler 0,5 % og får referansekursen, uten påslag.",
        "home.point.bank": "Pengene går rett fra banken din – Drop holder aldri pengene dine.",
        "home.point.bankid": "Logg inn med BankID og godkjenn hver betaling i banken din.",
        "home.point.qr": "Butikker tar betalt med en QR-kode i stedet for en kortterminal.",
        "home.docs": "Utviklere: API-dokumentasjon",
        "error.title": "Noe gikk galt",
        "error.404": "Vi fant ikke siden du lette etter.",
        "error.405": "Denne handlingen er ikke tillatt her.",
        "error.429": "For mange forsøk. Vent litt og prøv igjen.",
        "error.500": "Noe gikk galt hos oss. Prøv igjen om litt.",
        "error.reference": "Referanse",
        "error.home": "Til forsiden",
        "nav.skip": "Hopp til innhold",
        "lang.switch": "English",
    ]

    static let en: [String: String] = [
        "app.tagline": "Send money home for 0.5%",
        "home.lead": "Drop sends money from your own bank account to recipients in more than 30 countries. You pay 0.5% and get the reference rate, with no markup.",
        "home.point.bank": "The money goes straight from your bank – Drop never holds your funds.",
        "home.point.bankid": "Sign in with BankID and approve every payment in your bank.",
        "home.point.qr": "Shops take payment with a QR code instead of a card terminal.",
        "home.docs": "Developers: API documentation",
        "error.title": "Something went wrong",
        "error.404": "We couldn't find the page you were looking for.",
        "error.405": "That action isn't allowed here.",
        "error.429": "Too many attempts. Wait a moment and try again.",
        "error.500": "Something went wrong on our side. Try again shortly.",
        "error.reference": "Reference",
        "error.home": "Go to the front page",
        "nav.skip": "Skip to content",
        "lang.switch": "Norsk",
    ]
}
