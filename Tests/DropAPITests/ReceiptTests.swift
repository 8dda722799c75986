import DropCore
import DropKit
import DropTestTools
import Foundation
import Testing
@testable import DropAPI

/// Issue 16, item 5: a receipt with every detail a receipt needs, in the person's language, as a
/// page and as a PDF read back with a real PDF reader.
@Suite("Receipts: translated, complete, and as a PDF")
struct ReceiptTests {
    static let nbsp = "\u{00A0}"

    /// 1 000 kr from Kari to her recipient in Poland, priced first; the transfer waits for her bank.
    static func transferToPoland(_ server: LiveServer, _ kari: TransfersTests.Sender, key: String,
                                 message: String) async throws -> (id: String, endToEndId: String, sca: String) {
        let quote = try await server.call(.POST, "/v1/quotes", #"{"country":"PL","currency":"PLN","sendAmountMinor":100000}"#, auth: kari.auth)
        let quoteId = try quote.decode(DropKit.Quote.self).id
        let created = try await TransfersTests.send(server, kari, key: key, body: """
            {"recipientId":"\(kari.recipientId)","quoteId":"\(quoteId)","bankAccountId":"\(kari.accountId)","message":"\(message)"}
            """)
        let answer = try created.decode(TransactionCreated.self)
        return (answer.transaction.id, answer.transaction.endToEndId, try #require(answer.scaRedirect).absoluteString)
    }

    /// The receipt's words are resource files (`Features/Receipts/Texts`): each language is read, has
    /// every key English has and no other, with the same `{placeholders}`, and is not English copied.
    @Test func everyReceiptLanguageHasEveryKeyWithTheSamePlaceholders() throws {
        let english = try #require(ReceiptText.tables[.en])
        #expect(english.count >= 40)
        func placeholders(_ text: String) -> Set<String> { Set(text.matches(of: /\{[a-zA-Z]+\}/).map { String($0.0) }) }
        for language in ReceiptLanguage.allCases {
            let table = try #require(ReceiptText.tables[language], "\(language) was not read")
            #expect(Set(table.keys) == Set(english.keys), "\(language): \(Set(english.keys).symmetricDifference(table.keys))")
            for (key, text) in table {
                #expect(!text.isEmpty && placeholders(text) == placeholders(english[key] ?? ""), "\(language) \(key)")
            }
            if language != .en { #expect(table["title"] != english["title"] && table["footer.bank"] != english["footer.bank"], "\(language)") }
        }
        #expect(ReceiptText(.nb).format("rate.value", ["rate": "0,36", "currency": "PLN"]) == "1 kr = 0,36 PLN")
    }

    @Test func kariGetsAReceiptForHerTransferToPolandAsAPageAndAsAPDF() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let (id, endToEndId, sca) = try await Self.transferToPoland(server, kari, key: "receipt-1", message: "Til mamma (bursdag)")
            let back = try await server.approveAtBank(sca, as: TransfersTests.kari)
            _ = try await server.get(try #require(back.location))

            // The page, in Norwegian: status in words, Oslo time, payer and account, payee with IBAN and BIC, rate to sensible digits.
            let page = try await server.get("/v1/transactions/\(id)/receipt", headers: [kari.auth]).body
            let account = "<dt>Konto</dt><dd><bdi>Brukskonto, \(try NorwegianAccountNumber(kari.accountNumber).formatted)</bdi></dd>"
            for expected in ["<html lang=\"nb\" dir=\"ltr\">", "<h1>Kvittering</h1>", "<dt>Status</dt><dd><bdi>Under behandling</bdi></dd>",
                             "<dt>Opprettet</dt><dd><bdi>14. oktober 2026 kl. 14:00</bdi></dd>", "<dt>Referanse</dt><dd><bdi>\(endToEndId)</bdi></dd>",
                             "<dt>Betaler</dt><dd><bdi>Kari Nordmann</bdi></dd>", account, "<dt>Bank</dt><dd><bdi>DNB</bdi></dd>",
                             "<dt>Mottaker</dt><dd><bdi>Zofia Wójcik</bdi></dd>", "<dt>IBAN</dt><dd><bdi>PL61 1090 1014 0000 0712 1981 2874</bdi></dd>",
                             "<dt>BIC</dt><dd><bdi>WBKPPLPP</bdi></dd>", "<dt>Land</dt><dd><bdi>Polen</bdi></dd>",
                             "<dt>Gebyr (0,5 %)</dt><dd><bdi>5,00\(Self.nbsp)kr</bdi></dd>", "<dt>Trukket fra kontoen din</dt><dd><bdi>1\(Self.nbsp)005,00\(Self.nbsp)kr</bdi></dd>",
                             "<dt>Melding til mottakeren</dt><dd><bdi>Til mamma (bursdag)</bdi></dd>", "under tilsyn av Finanstilsynet",
                             "href=\"/transactions/\(id)\"", "href=\"/v1/transactions/\(id)/receipt?format=pdf\""] {
                #expect(page.contains(expected), "\(expected)")
            }
            let rate = try #require(page.firstMatch(of: /<dt>Kurs<\/dt><dd><bdi>1 kr = ([0-9,]+) PLN<\/bdi><\/dd>/)?.1)
            #expect(rate.filter(\.isNumber).drop { $0 == "0" }.count <= 5, "\(rate)")
            #expect(!page.contains("processing") && !page.contains("T12:00:00"))

            // English when the web app's language cookie says so.
            let english = try await server.get("/v1/transactions/\(id)/receipt", headers: [kari.auth, ("cookie", "drop_lang=en")]).body
            #expect(english.contains("<dt>Status</dt><dd><bdi>Processing</bdi></dd>") && english.contains("<dt>Country</dt><dd><bdi>Poland</bdi></dd>")
                && english.contains("14 October 2026, 14:00"))

            // Polish, Somali, Arabic and Urdu readers get the page in their language; Arabic and Urdu right to
            // left with Western digits, each value isolated so an IBAN or an amount still reads left to right.
            let polish = try await server.get("/v1/transactions/\(id)/receipt", headers: [kari.auth, ("accept-language", "pl-PL,pl;q=0.9")]).body
            #expect(polish.contains("<h1>Potwierdzenie</h1>") && polish.contains("<dt>Kraj</dt><dd><bdi>Polska</bdi></dd>")
                && polish.contains("14 października 2026, 14:00"), "\(polish)")
            let arabic = try await server.get("/v1/transactions/\(id)/receipt", headers: [kari.auth, ("cookie", "drop_lang=ar")]).body
            #expect(arabic.contains(#"<html lang="ar" dir="rtl">"#) && arabic.contains("<h1>إيصال</h1>")
                && arabic.contains("<dt>IBAN</dt><dd><bdi>PL61 1090 1014 0000 0712 1981 2874</bdi></dd>") && arabic.contains("2026"))
            let somali = try await server.get("/v1/transactions/\(id)/receipt", headers: [kari.auth, ("cookie", "drop_lang=so")]).body
            #expect(somali.contains("<h1>Rasiid</h1>") && somali.contains("<dt>Xaalad</dt><dd><bdi>Waa la shaqeynayaa</bdi></dd>"))
            // The PDF's embedded font writes Polish (`polishArabicAndUrduReadersGetTheirPDF`).
            let polishPDF = try await server.getBytes("/v1/transactions/\(id)/receipt?format=pdf", headers: [kari.auth, ("accept-language", "pl")])
            #expect(polishPDF.headers.first(name: "content-disposition") == #"attachment; filename="drop-potwierdzenie-\#(endToEndId).pdf""#)

            // The PDF: a download, and what a PDF reader reads from it is the same receipt.
            let pdf = try await server.getBytes("/v1/transactions/\(id)/receipt?format=pdf", headers: [kari.auth])
            #expect(pdf.status == 200 && pdf.headers.first(name: "content-type") == "application/pdf")
            #expect(pdf.headers.first(name: "content-disposition") == #"attachment; filename="drop-kvittering-\#(endToEndId).pdf""#)
            #expect(try await server.getBytes("/v1/transactions/\(id)/receipt", headers: [kari.auth, ("accept", "application/pdf")]).bytes.starts(with: Array("%PDF".utf8)))
            do {
                let text = try PDFText.extract(pdf.bytes).replacingOccurrences(of: Self.nbsp, with: " ")
                for expected in ["Kvittering", "Under behandling", "Kari Nordmann", "Zofia Wójcik", "PL61 1090 1014 0000 0712 1981 2874",
                                 "WBKPPLPP", "Polen", "1 005,00 kr", "5,00 kr", "Til mamma (bursdag)", endToEndId, "14. oktober 2026 kl. 14:00",
                                 "Finanstilsynet"] {
                    #expect(text.contains(expected), "\(expected) in:\n\(text)")
                }
            } catch is PDFText.Unavailable {
                #expect(!PDFText.isRequired, "pdftotext is required here")
            }

            // Someone else's receipt does not exist for them, in either form.
            let ola = try await server.bearer("01078510133")
            #expect(try await server.get("/v1/transactions/\(id)/receipt", headers: [ola]).status == 404)
            #expect(try await server.getBytes("/v1/transactions/\(id)/receipt?format=pdf", headers: [ola]).status == 404)
        }
    }

    /// The PDF is written in DejaVu Sans, embedded as a subset: Polish in Polish, Arabic shaped and
    /// right to left with the IBAN and amounts left to right; Urdu in Noto Sans Arabic with DejaVu Sans
    /// for its Latin names and numbers.
    @Test func polishArabicAndUrduReadersGetTheirPDF() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let kari = try await TransfersTests.sender(server)
            let (id, endToEndId, _) = try await Self.transferToPoland(server, kari, key: "receipt-pl", message: "Dla mamy (urodziny)")

            let polish = try await server.getBytes("/v1/transactions/\(id)/receipt?format=pdf", headers: [kari.auth, ("cookie", "drop_lang=pl")])
            #expect(polish.status == 200 && polish.headers.first(name: "content-type") == "application/pdf")
            #expect(polish.headers.first(name: "content-disposition") == #"attachment; filename="drop-potwierdzenie-\#(endToEndId).pdf""#)
            // Only the glyphs used are embedded: well under the fonts' 1.4 MB.
            #expect(polish.bytes.count < 60_000, "\(polish.bytes.count) bytes")
            let arabic = try await server.getBytes("/v1/transactions/\(id)/receipt?format=pdf", headers: [kari.auth, ("cookie", "drop_lang=ar")])
            #expect(arabic.headers.first(name: "content-disposition") == #"attachment; filename="drop-receipt-\#(endToEndId).pdf""#)
            #expect(arabic.bytes.count < 60_000, "\(arabic.bytes.count) bytes")
            let urdu = try await server.getBytes("/v1/transactions/\(id)/receipt?format=pdf", headers: [kari.auth, ("accept-language", "ur")])
            #expect(urdu.headers.first(name: "content-disposition") == #"attachment; filename="drop-receipt-\#(endToEndId).pdf""#)
            #expect(urdu.bytes.count < 80_000, "\(urdu.bytes.count) bytes")
            do {
                let text = try PDFText.extract(polish.bytes).replacingOccurrences(of: Self.nbsp, with: " ")
                for expected in ["Potwierdzenie", "Płatność", "Status", "Czeka na zatwierdzenie", "Utworzono", "14 października 2026, 14:00",
                                 "Płatnik", "Kari Nordmann", "Odbiorca", "Zofia Wójcik", "PL61 1090 1014 0000 0712 1981 2874", "Kraj", "Polska",
                                 "Kwoty", "Opłata (0,5%)", "Pobrano z Twojego konta", "Wiadomość do odbiorcy", "Dla mamy (urodziny)",
                                 "Drop nigdy nie przechowuje", "Finanstilsynet", endToEndId] {
                    #expect(text.contains(expected), "\(expected) in:\n\(text)")
                }
                #expect(!text.contains("?"), "no letter the font lacks:\n\(text)")

                // Arabic: read back in logical order (poppler reorders right-to-left lines) once the joined forms are
                // normalised, and with the IBAN and the amounts' digits in their order.
                let read = try PDFText.extract(arabic.bytes).precomposedStringWithCompatibilityMapping
                let arabicText = String(read.unicodeScalars.filter { !(0x202A...0x202E).contains($0.value) })
                for expected in ["إيصال", "الدفعة", "الحالة", "بانتظار الموافقة", "الدافع", "Kari Nordmann", "المستلم", "Zofia Wójcik",
                                 "PL61 1090 1014 0000 0712 1981 2874", "المبالغ", "الرسوم", "0.5%", "من حسابك", "رسالة إلى المستلم", "Dla mamy", "Finanstilsynet",
                                 "NOK 1,005.00", "NOK 5.00", endToEndId] {
                    #expect(arabicText.contains(expected), "\(expected) in:\n\(arabicText)")
                }
                #expect(!arabicText.contains("?"), "no letter the font lacks:\n\(arabicText)")

                // Urdu: ہ and ے from Noto Sans Arabic; the Latin name, the IBAN and the amounts from DejaVu Sans.
                let urduRead = try PDFText.extract(urdu.bytes).precomposedStringWithCompatibilityMapping
                let urduText = String(urduRead.unicodeScalars.filter { !(0x202A...0x202E).contains($0.value) })
                for expected in ["رسید", "ادائیگی", "وصول کنندہ", "Zofia Wójcik", "PL61 1090 1014 0000 0712 1981 2874", "NOK 1,005.00",
                                 "آپ کے اکاؤنٹ سے کٹے", "Finanstilsynet", endToEndId] {
                    #expect(urduText.contains(expected), "\(expected) in:\n\(urduText)")
                }
                #expect(!urduText.contains("?") && !urduText.contains("Receipt"), "in Urdu, no letter missing:\n\(urduText)")
            } catch is PDFText.Unavailable {
                #expect(!PDFText.isRequired, "pdftotext is required here")
            }
        }
    }
}
