import Foundation

/// One email as it goes over SMTP's DATA: RFC 5322 headers and a MIME body with a plain-text and
/// an HTML part of the same words (`multipart/alternative`). Both parts are UTF-8 in base64, so no
/// line is too long and no body line can start with a dot or look like the boundary; non-ASCII in
/// the subject or a display name becomes RFC 2047 encoded words.
public struct MailMessage: Sendable, Equatable {
    public struct Mailbox: Sendable, Equatable {
        public var name: String?
        public var address: EmailAddress

        public init(name: String?, address: EmailAddress) {
            self.name = name
            self.address = address
        }

        /// `Drop <no-reply@drop.no>` or a bare `no-reply@drop.no` (as `EMAIL_FROM` is written).
        public init?(parsing text: String) {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if trimmed.hasSuffix(">"), let open = trimmed.lastIndex(of: "<") {
                guard let address = EmailAddress(String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])) else { return nil }
                let name = trimmed[..<open].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                self.init(name: name.isEmpty ? nil : name, address: address)
            } else {
                guard let address = EmailAddress(trimmed) else { return nil }
                self.init(name: nil, address: address)
            }
        }
    }

    public var from: Mailbox
    public var to: EmailAddress
    public var subject: String
    public var text: String
    public var html: String
    /// BCP 47 tag of the words, e.g. `nb`; mail readers use it for the right voice and hyphenation.
    public var language: String
    /// Unique per message, without angle brackets, e.g. `4f1c…@drop.no`.
    public var messageID: String
    public var date: Date

    public init(from: Mailbox, to: EmailAddress, subject: String, text: String, html: String, language: String,
                messageID: String, date: Date) {
        self.from = from
        self.to = to
        self.subject = subject
        self.text = text
        self.html = html
        self.language = language
        self.messageID = messageID
        self.date = date
    }

    /// The message with CRLF line ends, ready for DATA (the SMTP client adds the dot-stuffing).
    public func rendered() -> String {
        // '=' and '_' together can't occur in base64, so no part can contain the boundary.
        let boundary = "=_drop_" + Hex.sha256(of: messageID).prefix(24)
        let headers = [
            "From: " + Self.mailbox(from),
            "To: " + to.value,
            "Subject: " + Self.headerText(Self.singleLine(subject)),
            "Date: " + Self.rfc5322Date(date),
            "Message-ID: <\(messageID)>",
            "Content-Language: " + Self.singleLine(language),
            // RFC 3834: an out-of-office reply must not answer an automatic message.
            "Auto-Submitted: auto-generated",
            "MIME-Version: 1.0",
            "Content-Type: multipart/alternative;\r\n boundary=\"\(boundary)\"",
        ]
        let parts = [("text/plain", text), ("text/html", html)].map { type, body in
            "--\(boundary)\r\nContent-Type: \(type); charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" + Self.base64Lines(Self.crlf(body))
        }
        return headers.joined(separator: "\r\n") + "\r\n\r\n" + parts.joined() + "--\(boundary)--\r\n"
    }

    /// "Drop" <no-reply@drop.no>, the name quoted (or encoded when it isn't ASCII).
    static func mailbox(_ box: Mailbox) -> String {
        guard let name = box.name.map(singleLine), !name.isEmpty else { return box.address.value }
        let shown = name.unicodeScalars.allSatisfy({ $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F }) && !name.contains("=?")
            ? "\"" + name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
            : encodedWords(name)
        return "\(shown) <\(box.address.value)>"
    }

    /// Printable ASCII as is; anything else as encoded words, one per line of the folded header.
    static func headerText(_ text: String) -> String {
        let plain = text.unicodeScalars.allSatisfy { $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F }
        return plain && !text.contains("=?") && text.utf8.count <= 900 ? text : encodedWords(text)
    }

    /// RFC 2047 `=?UTF-8?B?…?=` words (39 bytes of UTF-8 each, never splitting a character: 64
    /// characters, so even the first, after `Subject: `, keeps its line within 78), folded onto
    /// continuation lines.
    static func encodedWords(_ text: String) -> String {
        var words: [[UInt8]] = []
        var chunk: [UInt8] = []
        for character in text {
            let bytes = Array(String(character).utf8)
            if chunk.count + bytes.count > 39, !chunk.isEmpty {
                words.append(chunk)
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty || words.isEmpty { words.append(chunk) }
        return words.map { "=?UTF-8?B?" + Data($0).base64EncodedString() + "?=" }.joined(separator: "\r\n ")
    }

    /// A header value can't be allowed to break its line: CR, LF and other controls become spaces.
    static func singleLine(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : $0 }))
    }

    static func crlf(_ text: String) -> String {
        text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n").replacingOccurrences(of: "\n", with: "\r\n")
    }

    /// base64 in lines of 76 characters (RFC 2045), each ended by CRLF.
    static func base64Lines(_ text: String) -> String {
        let encoded = Array(Data(text.utf8).base64EncodedString().utf8)
        return stride(from: 0, to: encoded.count, by: 76).map {
            String(decoding: encoded[$0..<min($0 + 76, encoded.count)], as: UTF8.self) + "\r\n"
        }.joined()
    }

    /// `Thu, 03 Dec 2026 12:13:29 +0000`, always in UTC and English, whatever the process's locale.
    static func rfc5322Date(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ n: Int?) -> String { n.map { $0 < 10 ? "0\($0)" : "\($0)" } ?? "00" }
        return "\(days[(c.weekday ?? 1) - 1]), \(two(c.day)) \(months[(c.month ?? 1) - 1]) \(c.year ?? 1970) "
            + "\(two(c.hour)):\(two(c.minute)):\(two(c.second)) +0000"
    }
}
