import DropCore
import DropHTML
import Foundation

/// Drop's email: the same words as a plain-text part and a simple HTML part, in the person's
/// language, with one button-like link and a footer that says why the mail came and who sent it.
/// No amounts beyond what the app's notification says, no account numbers, no secrets.
struct EmailTemplate {
    let strings: Strings
    var greetingName: String?
    var paragraphs: [String]
    var action: (label: String, url: String)?
    /// Why the person gets this (e.g. how to turn these emails off).
    var why: String

    func message(subject: String, to address: EmailAddress, from: MailMessage.Mailbox, messageID: String, at date: Date) -> MailMessage {
        let greeting = greetingName.map { strings.format("email.greeting", ["name": $0]) } ?? strings["email.greeting.anonymous"]
        let company = strings["home.trust.regulated"]
        var text = [greeting] + paragraphs
        if let action { text.append("\(action.label):\n\(action.url)") }
        text += ["--", why, company]
        let direction = strings.language.isRightToLeft ? "rtl" : "ltr"
        let button: HTML = action.map { action in
            """
            <p style="margin:24px 0"><a href="\(action.url)" style="background:#0b5cad;color:#ffffff;padding:12px 20px;border-radius:8px;text-decoration:none;display:inline-block">\(action.label)</a></p>
            <p style="color:#555;font-size:13px">\(action.url)</p>
            """
        } ?? ""
        let html: HTML = """
        <!doctype html>
        <html lang="\(strings.language.rawValue)" dir="\(direction)">
        <head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>\(subject)</title></head>
        <body style="margin:0;padding:24px;background:#f5f7fa;font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;color:#1a1a1a;line-height:1.5">
        <div style="max-width:560px;margin:0 auto;background:#ffffff;border-radius:12px;padding:24px">
        <p style="font-weight:700;font-size:20px;color:#0b5cad;margin:0 0 16px">Drop</p>
        <p>\(greeting)</p>
        \(paragraphs.map { paragraph -> HTML in "<p>\(paragraph)</p>\n" })
        \(button)
        <hr style="border:none;border-top:1px solid #e2e6ea;margin:24px 0">
        <p style="color:#555;font-size:13px">\(why)</p>
        <p style="color:#555;font-size:13px">\(company)</p>
        </div>
        </body>
        </html>
        """
        return MailMessage(from: from, to: address, subject: subject, text: text.joined(separator: "\n\n") + "\n", html: html.description,
                           language: strings.language.rawValue, messageID: messageID, date: date)
    }
}
