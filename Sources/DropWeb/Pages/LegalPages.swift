import DropAPI
import DropCore
import DropHTML

/// `/terms` and `/privacy`: the texts people accept during onboarding, at the version the consent
/// records (`ConsentType.currentVersion`), in both languages. Public, linked beside their
/// checkboxes and from the front page.
enum LegalPages {
    enum Document: String {
        case terms, privacy

        var consent: ConsentType { self == .terms ? .terms : .privacy }
    }

    static func render(_ document: Document, _ strings: Strings) -> HTML {
        let title = strings["legal.\(document.rawValue).title"]
        let sections = (strings.language == .nb ? norwegian : english)[document] ?? []
        let body = sections.map { section -> HTML in
            "<section class=\"card\"><h2>\(section.heading)</h2>\(section.paragraphs.map { paragraph -> HTML in "<p>\(paragraph)</p>" })</section>"
        }
        return Layout.page(title: title, strings: strings, main: """
        <h1>\(title)</h1>
        <p class="muted">\(strings.format("legal.version", ["version": document.consent.currentVersion]))</p>
        \(body)
        """)
    }

    struct Section {
        let heading: String
        let paragraphs: [String]
    }

    static let norwegian: [Document: [Section]] = [
        .terms: [
            Section(heading: "Hva Drop er", paragraphs: [
                "Drop AS er en betalingsinitierings- og kontoinformasjonstjeneste etter betalingstjenesteloven (PSD2), under tilsyn av Finanstilsynet. Drop leser saldo fra banken din med ditt samtykke, og ber banken din betale. Du godkjenner hver betaling i banken din. Drop holder aldri pengene dine.",
                "Når du sender penger til utlandet, betaler banken din beløpet og gebyret til vår betalingspartner, en bank med konsesjon, som betaler mottakeren over SEPA eller SWIFT.",
            ]),
            Section(heading: "Hvem kan bruke Drop", paragraphs: [
                "Du må være minst 18 år, bo i Norge, ha BankID og et norsk mobilnummer, og bestå identitetskontrollen. Vi kan be om mer informasjon når loven krever det.",
            ]),
            Section(heading: "Pris og kurs", paragraphs: [
                "Gebyret er 0,5 % av beløpet du sender, og kommer i tillegg. Kursen er Norges Banks referansekurs uten påslag. Prisen du ser på oversikten før du godkjenner, holdes i 15 minutter; det er den som gjelder.",
            ]),
            Section(heading: "Grenser", paragraphs: [
                "Hver overføring har et minste og største beløp per land. Du kan sette egne grenser per dag og måned under Profil, innenfor Drops grenser.",
            ]),
            Section(heading: "Stoppe en betaling", paragraphs: [
                "Du kan avbryte en betaling til du har godkjent den i banken din. Etter godkjenning er pengene på vei og kan ikke stoppes av Drop. Hvis mottakerens bank ikke tar imot pengene, kommer de tilbake til kontoen din.",
            ]),
            Section(heading: "Kontroll mot hvitvasking", paragraphs: [
                "Drop må etter hvitvaskingsloven kjenne kundene sine og følge med på betalinger. En betaling kan bli holdt til kontroll, og vi kan måtte avvise den eller rapportere den til myndighetene.",
            ]),
            Section(heading: "Klager", paragraphs: [
                "Klag under Profil → Klager. Vi svarer innen 15 virkedager. Er du ikke fornøyd med svaret, kan du klage til Finansklagenemnda.",
            ]),
        ],
        .privacy: [
            Section(heading: "Behandlingsansvarlig", paragraphs: [
                "Drop AS er behandlingsansvarlig for personopplysningene i Drop.",
            ]),
            Section(heading: "Hva vi lagrer og hvorfor", paragraphs: [
                "Navn, fødselsdato og fødselsnummer fra BankID, for å vite hvem du er. Fødselsnummeret lagres kryptert og brukes bare for å kjenne deg igjen og for at banken skal vite at kontoene er dine.",
                "Mobilnummer og e-post du gir oss, resultatet av identitetskontrollen, kontoene og saldoene banken viser oss med ditt samtykke, mottakerne dine og betalingene dine. Grunnlaget er avtalen med deg og pliktene våre etter hvitvaskingsloven.",
            ]),
            Section(heading: "Hvem vi deler med", paragraphs: [
                "BankID (innlogging), Sumsub (identitetskontroll), banken din (saldo og betalinger), betalingspartneren vår (utbetaling til mottakeren) og, når loven krever det, Økokrim.",
            ]),
            Section(heading: "Hvor lenge", paragraphs: [
                "Opplysninger om kundeforholdet og betalingene oppbevares i 5 år etter at kundeforholdet er slutt, slik hvitvaskingsloven krever. Det andre sletter vi når du sletter kontoen.",
            ]),
            Section(heading: "Dine rettigheter", paragraphs: [
                "Du kan laste ned opplysningene dine, be om retting, begrensning eller sletting, og protestere, under Profil. Du kan klage til Datatilsynet.",
            ]),
        ],
    ]

    static let english: [Document: [Section]] = [
        .terms: [
            Section(heading: "What Drop is", paragraphs: [
                "Drop AS is a payment initiation and account information service under the Norwegian Payment Services Act (PSD2), supervised by Finanstilsynet. Drop reads balances from your bank with your consent and asks your bank to pay. You approve every payment in your bank. Drop never holds your money.",
                "When you send money abroad, your bank pays the amount and the fee to our payment partner, a licensed bank, which pays the recipient over SEPA or SWIFT.",
            ]),
            Section(heading: "Who can use Drop", paragraphs: [
                "You must be at least 18, live in Norway, have BankID and a Norwegian mobile number, and pass the identity check. We may ask for more information when the law requires it.",
            ]),
            Section(heading: "Price and rate", paragraphs: [
                "The fee is 0.5% of the amount you send, on top of it. The rate is Norges Bank's reference rate with no markup. The price on the review page before you approve is held for 15 minutes; that is the price that applies.",
            ]),
            Section(heading: "Limits", paragraphs: [
                "Each transfer has a minimum and maximum per country. You can set your own daily and monthly limits under Profile, within Drop's limits.",
            ]),
            Section(heading: "Stopping a payment", paragraphs: [
                "You can cancel a payment until you have approved it in your bank. After that the money is on its way and Drop cannot stop it. If the recipient's bank does not accept the money, it comes back to your account.",
            ]),
            Section(heading: "Anti-money-laundering checks", paragraphs: [
                "The Anti-Money Laundering Act requires Drop to know its customers and watch payments. A payment may be held for review, and we may have to refuse it or report it to the authorities.",
            ]),
            Section(heading: "Complaints", paragraphs: [
                "Complain under Profile → Complaints. We answer within 15 business days. If you are not satisfied with the answer, you can complain to Finansklagenemnda.",
            ]),
        ],
        .privacy: [
            Section(heading: "Controller", paragraphs: [
                "Drop AS is the controller of the personal data in Drop.",
            ]),
            Section(heading: "What we keep and why", paragraphs: [
                "Name, date of birth and national identity number from BankID, to know who you are. The national identity number is stored encrypted and used only to recognise you and to let your bank know the accounts are yours.",
                "The mobile number and email you give us, the result of the identity check, the accounts and balances your bank shows us with your consent, your recipients and your payments. The basis is our agreement with you and our duties under the Anti-Money Laundering Act.",
            ]),
            Section(heading: "Who we share with", paragraphs: [
                "BankID (sign-in), Sumsub (identity check), your bank (balances and payments), our payment partner (paying the recipient) and, when the law requires it, Økokrim.",
            ]),
            Section(heading: "How long", paragraphs: [
                "Data about the customer relationship and the payments is kept for 5 years after the relationship ends, as the Anti-Money Laundering Act requires. The rest is deleted when you delete your account.",
            ]),
            Section(heading: "Your rights", paragraphs: [
                "You can download your data, ask for correction, restriction or erasure, and object, under Profile. You can complain to Datatilsynet.",
            ]),
        ],
    ]
}
