import DropCore
import DropStore
import Foundation

/// A transaction's receipt, in the person's language: what was paid, from which account, to whom
/// (with the account it went to), the amounts, fee and rate, the times in Oslo time, the
/// reference, the status, and who Drop is. Rendered as a page (`Receipt+HTML`) and as a PDF
/// (`Receipt+PDF`) from this one description, so the two never disagree.
struct Receipt: Sendable {
    struct Section: Sendable {
        let title: String
        let rows: [(label: String, value: String)]
    }

    let language: ReceiptLanguage
    let title: String
    let transactionId: String
    let endToEndId: String
    let sections: [Section]
    /// Who Drop is and what it did: the bank made the payment, Drop held no money.
    let footer: [String]

    init(_ view: TransactionView, facts: ReceiptFacts, language: ReceiptLanguage, banks: BankDirectory) {
        let text = ReceiptText(language)
        self.language = language
        title = text["title"]
        transactionId = view.id
        endToEndId = view.endToEndId
        let qr = view.kind == .qrPayment
        var payment: [(String, String)] = [(text["status"], text["status.\(view.status.rawValue)"])]
        payment.append((text["created"], ReceiptDates.osloTime(view.createdAt, language)))
        if let completed = view.completedAt { payment.append((text["completed"], ReceiptDates.osloTime(completed, language))) }
        // A QR payment the bank paid after Drop had ended it: the money left the account all the same.
        if let paid = view.settledAfterEndAt { payment.append((text["settledAfterEnd"], ReceiptDates.osloTime(paid, language))) }
        payment.append((text["reference"], view.endToEndId))

        var from: [(String, String)] = []
        if let payer = facts.payerName { from.append((text["payer"], payer)) }
        if let number = facts.accountBBAN.flatMap({ try? NorwegianAccountNumber($0) })?.formatted ?? facts.accountIBAN.flatMap({ try? IBAN($0) })?.formatted {
            from.append((text["account"], [facts.accountName, number].compactMap { $0 }.joined(separator: ", ")))
        }
        if let bank = facts.accountBankId { from.append((text["bank"], banks.name(of: bank))) }

        var to: [(String, String)] = []
        if let payee = facts.payee {
            to.append((text["recipient"], payee.name))
            if let iban = payee.iban { to.append(("IBAN", (try? IBAN(iban))?.formatted ?? iban)) }
            if let number = payee.accountNumber { to.append((text["accountNumber"], number)) }
            if let bic = payee.bic { to.append(("BIC", bic)) }
            if let ifsc = payee.ifsc { to.append(("IFSC", ifsc)) }
            if let routing = payee.routingNumber { to.append((text["routingNumber"], routing)) }
            if let bank = payee.bankName { to.append((text["recipientBank"], bank)) }
            to.append((text["country"], ReceiptText.countryName(payee.country, language)))
        } else if let merchant = view.merchant {
            to.append((text["merchant"], "\(merchant.name), \(merchant.city)"))
        }

        let locale = language.displayLocale
        var amounts: [(String, String)] = []
        if qr {
            // A QR payment has no fee: one amount, what left the account.
            amounts.append((text["paid"], view.total.formatted(for: locale)))
        } else {
            amounts.append((text["sent"], view.amount.formatted(for: locale)))
            amounts.append((text["fee"], view.fee.formatted(for: locale)))
            amounts.append((text["total"], view.total.formatted(for: locale)))
            if let rate = view.rate.flatMap({ try? FixedPointRate(parsing: $0) }), let receive = view.receive {
                amounts.append((text["rate"], text.format("rate.value", ["rate": rate.displayText(for: locale), "currency": receive.currency.code])))
            }
            if let receive = view.receive { amounts.append((text["receive"], receive.formatted(for: locale))) }
        }

        var texts: [(String, String)] = []
        if qr {
            // The shop's signed order reference and the payer's own words, never one read as the other.
            if let reference = view.reference { texts.append((text["orderReference"], reference)) }
            if let message = view.message { texts.append((text["payerMessage"], message)) }
        } else if let message = view.message {
            texts.append((text["message"], message))
        }

        sections = [
            Section(title: text["section.payment"], rows: payment), Section(title: text["section.from"], rows: from),
            Section(title: text["section.to"], rows: to), Section(title: text["section.amounts"], rows: amounts),
        ] + (texts.isEmpty ? [] : [Section(title: text["section.texts"], rows: texts)])
        footer = [text["footer.bank"], text["footer.company"]]
    }
}

/// The receipt's language, chosen as the web app's is (the `drop_lang` cookie, then
/// `Accept-Language`, then bokmål). The page and the PDF are in any of the six (`pdfLanguage`).
enum ReceiptLanguage: String, Sendable, CaseIterable {
    case nb, en, pl, ar, so, ur

    init(cookie: String?, acceptLanguage: String?) {
        self = ReceiptLanguage(rawValue: CustomerLanguage.negotiate(cookie: cookie, acceptLanguage: acceptLanguage).rawValue) ?? .nb
    }

    private var customer: CustomerLanguage { CustomerLanguage(rawValue: rawValue) ?? .nb }
    var displayLocale: DisplayLocale { customer.displayLocale }
    var isRightToLeft: Bool { customer.isRightToLeft }
    /// The language the PDF is written in: this one if its fonts can draw it, else English (a receipt
    /// is also a document for a bank or an authority, and English is what they read). The embedded
    /// fonts (`ReceiptFonts`) write all six; without the font files (standard Helvetica, WinAnsi),
    /// only bokmål, English and Somali.
    var pdfLanguage: ReceiptLanguage {
        switch self {
        case .nb, .en, .so: self
        case .pl, .ar: ReceiptFonts.embedded == nil ? .en : self
        case .ur: ReceiptFonts.urdu == nil ? .en : self
        }
    }
    /// ICU's locale: its month and country names; Arabic and Urdu with Western digits, as amounts are.
    var localeIdentifier: String {
        switch self {
        case .nb: "nb_NO"
        case .en: "en_GB"
        case .pl: "pl_PL"
        case .ar: "ar@numbers=latn"
        case .so: "so_SO"
        case .ur: "ur_PK@numbers=latn"
        }
    }
}

enum ReceiptDates {
    /// "2. desember 2026 kl. 14:05" / "2 December 2026, 14:05" (and so on in each language), Oslo time.
    static func osloTime(_ date: Date, _ language: ReceiptLanguage) -> String {
        let formatter = DateFormatter()
        formatter.timeZone = TimeZone(identifier: "Europe/Oslo")
        formatter.locale = Locale(identifier: language.localeIdentifier)
        formatter.dateFormat = language == .nb ? "d. MMMM yyyy 'kl.' HH:mm" : "d MMMM yyyy, HH:mm"
        return formatter.string(from: date)
    }
}
