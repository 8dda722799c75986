import DropCore
import Foundation
import Testing

@Suite struct MailMessageTests {
    let sent = Date(timeIntervalSince1970: 1_796_300_009)  // Thu, 03 Dec 2026 12:13:29 UTC

    func message(subject: String = "Betalingen er fullført – 1 500 kr til Ali", text: String = "Hei Kari,\npengene er fremme.\n.\n",
                 fromName: String? = "Drop") -> MailMessage {
        MailMessage(from: .init(name: fromName, address: EmailAddress("no-reply@drop.example")!), to: EmailAddress("kari@example.no")!,
                    subject: subject, text: text, html: "<p>Hei Kari,</p><p>pengene er fremme.</p>", language: "nb",
                    messageID: "m1@drop.example", date: sent)
    }

    /// Reads a rendered message back the way a mail reader does (headers unfolded, RFC 2047 words decoded).
    func headers(_ rendered: String) -> [String: String] {
        let head = rendered.components(separatedBy: "\r\n\r\n")[0].replacingOccurrences(of: "\r\n ", with: " ")
        var result: [String: String] = [:]
        for line in head.components(separatedBy: "\r\n") {
            let (name, value) = (line.prefix { $0 != ":" }, line.drop { $0 != ":" }.dropFirst().trimmingCharacters(in: .whitespaces))
            result[String(name)] = decodeWords(value)
        }
        return result
    }

    func decodeWords(_ value: String) -> String {
        value.components(separatedBy: " ").map { word in
            guard word.hasPrefix("=?UTF-8?B?"), word.hasSuffix("?="),
                  let data = Data(base64Encoded: String(word.dropFirst(10).dropLast(2))) else { return word + " " }
            return String(decoding: data, as: UTF8.self)
        }.joined().trimmingCharacters(in: .whitespaces)
    }

    func parts(_ rendered: String) -> [(type: String, body: String)] {
        let boundary = headers(rendered)["Content-Type"]!.components(separatedBy: "boundary=\"")[1].dropLast()
        return rendered.components(separatedBy: "--\(boundary)").dropFirst().dropLast().map { part in
            let sections = part.components(separatedBy: "\r\n\r\n")
            let type = sections[0].components(separatedBy: "Content-Type: ")[1].components(separatedBy: ";")[0]
            let data = Data(base64Encoded: sections[1].replacingOccurrences(of: "\r\n", with: ""))!
            return (type, String(decoding: data, as: UTF8.self))
        }
    }

    @Test func theHeadersAMailReaderNeeds() {
        let rendered = message().rendered()
        let h = headers(rendered)
        #expect(h["From"] == "\"Drop\" <no-reply@drop.example>")
        #expect(h["To"] == "kari@example.no")
        #expect(h["Subject"] == "Betalingen er fullført – 1 500 kr til Ali")
        #expect(h["Date"] == "Thu, 03 Dec 2026 12:13:29 +0000")
        #expect(h["Message-ID"] == "<m1@drop.example>")
        #expect(h["Content-Language"] == "nb")
        #expect(h["Auto-Submitted"] == "auto-generated")
        #expect(h["MIME-Version"] == "1.0")
        #expect(h["Content-Type"]?.hasPrefix("multipart/alternative; boundary=") == true)
    }

    @Test func everyLineIsShortAndEndsWithCRLF() {
        let rendered = message(subject: String(repeating: "Æøå ", count: 60), text: String(repeating: "lang linje ", count: 400)).rendered()
        #expect(rendered.hasSuffix("\r\n"))
        #expect(!rendered.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        #expect(!rendered.replacingOccurrences(of: "\r\n", with: "").contains("\r"))
        for line in rendered.components(separatedBy: "\r\n") { #expect(line.utf8.count <= 78) }
        #expect(headers(rendered)["Subject"] == String(repeating: "Æøå ", count: 60).trimmingCharacters(in: .whitespaces))
    }

    @Test func bothPartsCarryTheWordsInUTF8WithCRLF() {
        let found = parts(message().rendered())
        #expect(found.map(\.type) == ["text/plain", "text/html"])
        #expect(found[0].body == "Hei Kari,\r\npengene er fremme.\r\n.\r\n")
        #expect(found[1].body == "<p>Hei Kari,</p><p>pengene er fremme.</p>")
    }

    @Test func aSubjectOrNameCannotAddAHeader() {
        let rendered = message(subject: "Hei\r\nBcc: mallory@example.com", fromName: "Drop\r\nBcc: mallory@example.com").rendered()
        let head = rendered.components(separatedBy: "\r\n\r\n")[0]
        #expect(!head.contains("\r\nBcc:"))
        #expect(headers(rendered)["Subject"] == "Hei  Bcc: mallory@example.com")
    }

    @Test func anEncodedWordIsNeverLongerThan75() {
        let rendered = message(subject: String(repeating: "ø", count: 200)).rendered()
        let subject = rendered.components(separatedBy: "\r\n").drop { !$0.hasPrefix("Subject:") }
        for word in subject.prefix(6).flatMap({ $0.components(separatedBy: " ") }) where word.hasPrefix("=?") {
            #expect(word.utf8.count <= 75)
        }
    }
}
