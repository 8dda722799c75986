import Foundation

/// The receipt's words in each customer language. (The web app's own strings live in DropWeb; the
/// receipt is served by the API too, so it carries its own.) A key missing in a language shows English.
struct ReceiptText {
    let language: ReceiptLanguage

    init(_ language: ReceiptLanguage) {
        self.language = language
    }

    subscript(key: String) -> String {
        Self.tables[language]?[key] ?? Self.en[key] ?? key
    }

    static let tables: [ReceiptLanguage: [String: String]] = [.nb: nb, .en: en, .pl: pl, .so: so, .ar: ar, .ur: ur]

    func format(_ key: String, _ values: [String: String]) -> String {
        values.reduce(self[key]) { $0.replacingOccurrences(of: "{\($1.key)}", with: $1.value) }
    }

    /// The country's name in the language (ICU's names), or its code.
    static func countryName(_ code: String, _ language: ReceiptLanguage) -> String {
        Locale(identifier: language.localeIdentifier).localizedString(forRegionCode: code) ?? code
    }

    static let nb: [String: String] = [
        "title": "Kvittering", "back": "Tilbake til betalingen", "pdf": "Last ned som PDF",
        "section.payment": "Betalingen", "section.from": "Fra", "section.to": "Til", "section.amounts": "Beløp", "section.texts": "Tekst",
        "status": "Status", "created": "Opprettet", "completed": "Fullført", "reference": "Referanse",
        "payer": "Betaler", "account": "Konto", "bank": "Bank",
        "recipient": "Mottaker", "accountNumber": "Kontonummer", "routingNumber": "Routingnummer", "recipientBank": "Mottakerens bank",
        "country": "Land", "merchant": "Bedrift",
        "paid": "Betalt", "sent": "Du sendte", "fee": "Gebyr (0,5 %)", "total": "Trukket fra kontoen din", "rate": "Kurs",
        "rate.value": "1 kr = {rate} {currency}", "receive": "Mottakeren får",
        "message": "Melding til mottakeren", "orderReference": "Ordrereferanse (satt av bedriften)",
        "payerMessage": "Melding fra betaler (ikke ordrereferanse)",
        "status.pending_sca": "Venter på godkjenning", "status.processing": "Under behandling", "status.held": "Til kontroll",
        "status.completed": "Fullført", "status.failed": "Mislyktes", "status.cancelled": "Avbrutt", "status.expired": "Utløpt",
        "status.refunded": "Tilbakeført",
        "footer.bank": "Betalingen ble gjort av din egen bank etter at du godkjente den der. Drop holder aldri pengene dine.",
        "footer.company": "Drop AS · betalingsinitierings- og kontoinformasjonstjeneste under tilsyn av Finanstilsynet",
    ]

    static let en: [String: String] = [
        "title": "Receipt", "back": "Back to the payment", "pdf": "Download as PDF",
        "section.payment": "The payment", "section.from": "From", "section.to": "To", "section.amounts": "Amounts", "section.texts": "Text",
        "status": "Status", "created": "Created", "completed": "Completed", "reference": "Reference",
        "payer": "Payer", "account": "Account", "bank": "Bank",
        "recipient": "Recipient", "accountNumber": "Account number", "routingNumber": "Routing number", "recipientBank": "Recipient's bank",
        "country": "Country", "merchant": "Business",
        "paid": "Paid", "sent": "You sent", "fee": "Fee (0.5%)", "total": "Taken from your account", "rate": "Rate",
        "rate.value": "NOK 1 = {currency} {rate}", "receive": "The recipient gets",
        "message": "Message to the recipient", "orderReference": "Order reference (set by the shop)",
        "payerMessage": "Payer's message (not an order reference)",
        "status.pending_sca": "Waiting for approval", "status.processing": "Processing", "status.held": "Under review",
        "status.completed": "Completed", "status.failed": "Failed", "status.cancelled": "Cancelled", "status.expired": "Expired",
        "status.refunded": "Refunded",
        "footer.bank": "The payment was made by your own bank after you approved it there. Drop never holds your money.",
        "footer.company": "Drop AS · payment initiation and account information service supervised by Finanstilsynet",
    ]

    static let pl: [String: String] = [
        "title": "Potwierdzenie", "back": "Wróć do płatności", "pdf": "Pobierz jako PDF",
        "section.payment": "Płatność", "section.from": "Od", "section.to": "Do", "section.amounts": "Kwoty", "section.texts": "Tekst",
        "status": "Status", "created": "Utworzono", "completed": "Zakończono", "reference": "Numer referencyjny",
        "payer": "Płatnik", "account": "Konto", "bank": "Bank",
        "recipient": "Odbiorca", "accountNumber": "Numer konta", "routingNumber": "Numer rozliczeniowy", "recipientBank": "Bank odbiorcy",
        "country": "Kraj", "merchant": "Firma",
        "paid": "Zapłacono", "sent": "Wysłano", "fee": "Opłata (0,5%)", "total": "Pobrano z Twojego konta", "rate": "Kurs",
        "rate.value": "1 NOK = {rate} {currency}", "receive": "Odbiorca otrzymuje",
        "message": "Wiadomość do odbiorcy", "orderReference": "Numer zamówienia (nadany przez sklep)",
        "payerMessage": "Wiadomość płatnika (nie numer zamówienia)",
        "status.pending_sca": "Czeka na zatwierdzenie", "status.processing": "W realizacji", "status.held": "W trakcie kontroli",
        "status.completed": "Zakończono", "status.failed": "Nieudana", "status.cancelled": "Anulowano", "status.expired": "Wygasła",
        "status.refunded": "Zwrócono",
        "footer.bank": "Płatności dokonał Twój własny bank po tym, jak ją tam zatwierdziłeś. Drop nigdy nie przechowuje Twoich pieniędzy.",
        "footer.company": "Drop AS · usługa inicjowania płatności i dostępu do informacji o rachunku nadzorowana przez Finanstilsynet",
    ]

    static let so: [String: String] = [
        "title": "Rasiid", "back": "Ku noqo lacag-bixinta", "pdf": "Soo deji PDF ahaan",
        "section.payment": "Lacag-bixinta", "section.from": "Ka", "section.to": "Ku", "section.amounts": "Lacagaha", "section.texts": "Qoraal",
        "status": "Xaalad", "created": "La sameeyay", "completed": "La dhammeeyay", "reference": "Tixraac",
        "payer": "Bixiyaha", "account": "Akoon", "bank": "Bangi",
        "recipient": "Qaataha", "accountNumber": "Lambarka akoonka", "routingNumber": "Lambarka routing-ka", "recipientBank": "Bangiga qaataha",
        "country": "Dal", "merchant": "Ganacsi",
        "paid": "La bixiyay", "sent": "Waxaad dirtay", "fee": "Khidmad (0.5%)", "total": "Laga jaray akoonkaaga", "rate": "Sarifka",
        "rate.value": "NOK 1 = {currency} {rate}", "receive": "Qaatuhu wuxuu helayaa",
        "message": "Fariin u socota qaataha", "orderReference": "Tixraaca dalabka (ganacsiga ayaa dhigay)",
        "payerMessage": "Fariinta bixiyaha (ma aha tixraac dalab)",
        "status.pending_sca": "Waxay sugaysaa oggolaansho", "status.processing": "Waa la shaqeynayaa", "status.held": "Dib-u-eegis ayay ku jirtaa",
        "status.completed": "La dhammeeyay", "status.failed": "Way fashilantay", "status.cancelled": "Waa la joojiyay", "status.expired": "Waqtigii wuu dhacay",
        "status.refunded": "Waa laguu celiyay",
        "footer.bank": "Lacag-bixinta waxaa sameeyay bangigaaga adiga kaddib markii aad halkaas ku oggolaatay. Drop marnaba ma hayo lacagtaada.",
        "footer.company": "Drop AS · adeeg bilaabista lacag-bixinta iyo macluumaadka akoonka oo ay kormeerto Finanstilsynet",
    ]

    static let ar: [String: String] = [
        "title": "إيصال", "back": "العودة إلى الدفعة", "pdf": "تنزيل بصيغة PDF",
        "section.payment": "الدفعة", "section.from": "من", "section.to": "إلى", "section.amounts": "المبالغ", "section.texts": "النص",
        "status": "الحالة", "created": "أُنشئت", "completed": "اكتملت", "reference": "المرجع",
        "payer": "الدافع", "account": "الحساب", "bank": "البنك",
        "recipient": "المستلم", "accountNumber": "رقم الحساب", "routingNumber": "رقم التوجيه", "recipientBank": "بنك المستلم",
        "country": "البلد", "merchant": "النشاط التجاري",
        "paid": "المدفوع", "sent": "أرسلت", "fee": "الرسوم (0.5%)", "total": "خُصم من حسابك", "rate": "سعر الصرف",
        "rate.value": "1 NOK = {rate} {currency}", "receive": "يحصل المستلم على",
        "message": "رسالة إلى المستلم", "orderReference": "مرجع الطلب (حدده المتجر)",
        "payerMessage": "رسالة الدافع (ليست مرجع طلب)",
        "status.pending_sca": "بانتظار الموافقة", "status.processing": "قيد المعالجة", "status.held": "قيد المراجعة",
        "status.completed": "اكتملت", "status.failed": "فشلت", "status.cancelled": "أُلغيت", "status.expired": "انتهت صلاحيتها",
        "status.refunded": "أُعيدت",
        "footer.bank": "نفّذ بنكك الدفعة بعد أن وافقت عليها هناك. Drop لا يحتفظ بأموالك أبدًا.",
        "footer.company": "Drop AS · خدمة بدء الدفع ومعلومات الحساب تحت إشراف Finanstilsynet",
    ]

    static let ur: [String: String] = [
        "title": "رسید", "back": "ادائیگی پر واپس جائیں", "pdf": "PDF کے طور پر ڈاؤن لوڈ کریں",
        "section.payment": "ادائیگی", "section.from": "بھیجنے والا", "section.to": "وصول کنندہ", "section.amounts": "رقوم", "section.texts": "متن",
        "status": "حیثیت", "created": "بنائی گئی", "completed": "مکمل ہوئی", "reference": "حوالہ",
        "payer": "ادا کنندہ", "account": "اکاؤنٹ", "bank": "بینک",
        "recipient": "وصول کنندہ", "accountNumber": "اکاؤنٹ نمبر", "routingNumber": "روٹنگ نمبر", "recipientBank": "وصول کنندہ کا بینک",
        "country": "ملک", "merchant": "کاروبار",
        "paid": "ادا شدہ", "sent": "آپ نے بھیجے", "fee": "فیس (0.5%)", "total": "آپ کے اکاؤنٹ سے کٹے", "rate": "شرحِ تبادلہ",
        "rate.value": "1 NOK = {rate} {currency}", "receive": "وصول کنندہ کو ملیں گے",
        "message": "وصول کنندہ کے لیے پیغام", "orderReference": "آرڈر حوالہ (دکان کی طرف سے)",
        "payerMessage": "ادا کنندہ کا پیغام (آرڈر حوالہ نہیں)",
        "status.pending_sca": "منظوری کا انتظار", "status.processing": "کارروائی جاری ہے", "status.held": "جانچ جاری ہے",
        "status.completed": "مکمل ہوئی", "status.failed": "ناکام ہوئی", "status.cancelled": "منسوخ ہوئی", "status.expired": "میعاد ختم ہوئی",
        "status.refunded": "واپس کر دی گئی",
        "footer.bank": "ادائیگی آپ کے اپنے بینک نے کی، جب آپ نے وہاں اسے منظور کیا۔ Drop کبھی آپ کی رقم اپنے پاس نہیں رکھتا۔",
        "footer.company": "Drop AS · ادائیگی شروع کرنے اور اکاؤنٹ کی معلومات کی خدمت، Finanstilsynet کی نگرانی میں",
    ]
}
