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
        "login.title": "Logg inn",
        "login.lead": "Drop bruker BankID. Du godkjenner innloggingen i BankID, og vi ser aldri passordet ditt.",
        "login.bankid": "Logg inn med BankID",
        "login.adults": "Du må være 18 år og bo i Norge.",
        "login.error.AGE_RESTRICTED": "Du må være minst 18 år for å bruke Drop.",
        "login.error.SIGN_IN_CANCELLED": "Innloggingen ble avbrutt. Prøv igjen når du er klar.",
        "login.error.INVALID_STATE": "Innloggingen utløp eller ble startet et annet sted. Prøv igjen.",
        "login.error.generic": "Innloggingen mislyktes. Prøv igjen om litt.",
        "dashboard.title": "Hjem",
        "dashboard.hello": "Hei,",
        "dashboard.kyc.none": "Fullfør registreringen for å sende penger.",
        "dashboard.kyc.pending": "Vi sjekker opplysningene dine. Det tar vanligvis noen minutter.",
        "dashboard.kyc.approved": "Du er klar til å sende penger.",
        "dashboard.kyc.rejected": "Vi kunne dessverre ikke godkjenne deg som kunde.",
        "dashboard.kyc.retry": "Vi trenger litt mer fra deg for å fullføre registreringen.",
        "nav.logout": "Logg ut",
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
        "login.title": "Sign in",
        "login.lead": "Drop uses BankID. You approve the sign-in in BankID, and we never see your password.",
        "login.bankid": "Sign in with BankID",
        "login.adults": "You must be 18 or older and live in Norway.",
        "login.error.AGE_RESTRICTED": "You must be at least 18 to use Drop.",
        "login.error.SIGN_IN_CANCELLED": "Sign-in was cancelled. Try again when you are ready.",
        "login.error.INVALID_STATE": "The sign-in expired or was started elsewhere. Please try again.",
        "login.error.generic": "Sign-in failed. Please try again shortly.",
        "dashboard.title": "Home",
        "dashboard.hello": "Hi,",
        "dashboard.kyc.none": "Finish signing up to send money.",
        "dashboard.kyc.pending": "We are checking your details. This usually takes a few minutes.",
        "dashboard.kyc.approved": "You are ready to send money.",
        "dashboard.kyc.rejected": "Unfortunately we could not approve you as a customer.",
        "dashboard.kyc.retry": "We need a little more from you to finish signing up.",
        "nav.logout": "Sign out",
    ]
}
