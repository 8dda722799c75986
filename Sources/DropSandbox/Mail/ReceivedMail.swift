import Foundation

/// One message the mail sandbox accepted, read as a mail reader would: the envelope, the headers
/// (unfolded, RFC 2047 words decoded) and the plain-text and HTML parts (base64, quoted-printable
/// or as is). Enough MIME for what mail servers are sent, not a general MIME library.
public struct ReceivedMail: Sendable, Codable, Equatable {
    public let id: Int
    public let receivedAt: Date
    public let mailFrom: String
    public let rcptTo: [String]
    public let subject: String
    public let from: String
    public let headers: [String: String]
    public let text: String?
    public let html: String?

    init(id: Int, receivedAt: Date, mailFrom: String, rcptTo: [String], data: String) {
        self.id = id
        self.receivedAt = receivedAt
        self.mailFrom = mailFrom
        self.rcptTo = rcptTo
        let (headers, body) = Self.split(data)
        self.headers = headers
        subject = headers["subject"] ?? ""
        from = headers["from"] ?? ""
        var parts: [String: String] = [:]
        Self.collectParts(headers: headers, body: body, into: &parts, depth: 0)
        text = parts["text/plain"]
        html = parts["text/html"]
    }

    /// Headers by lowercased name (the last one wins) and the body after the first empty line.
    static func split(_ data: String) -> ([String: String], String) {
        let normalized = data.replacingOccurrences(of: "\r\n", with: "\n")
        let (head, body) = normalized.range(of: "\n\n").map { (String(normalized[..<$0.lowerBound]), String(normalized[$0.upperBound...])) }
            ?? (normalized, "")
        var headers: [String: String] = [:]
        var name: String?
        for line in head.components(separatedBy: "\n") {
            if line.first == " " || line.first == "\t", let current = name {
                headers[current, default: ""] += " " + line.trimmingCharacters(in: .whitespaces)
            } else if let colon = line.firstIndex(of: ":") {
                let key = line[..<colon].lowercased()
                headers[key] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                name = key
            }
        }
        return (headers.mapValues(decodeWords), body)
    }

    static func collectParts(headers: [String: String], body: String, into parts: inout [String: String], depth: Int) {
        let type = (headers["content-type"] ?? "text/plain").lowercased()
        if type.hasPrefix("multipart/"), depth < 4, let boundary = parameter("boundary", in: headers["content-type"] ?? "") {
            for piece in body.components(separatedBy: "--" + boundary).dropFirst() {
                if piece.hasPrefix("--") { break }
                let (partHeaders, partBody) = split(String(piece.drop { $0 == "\n" }))
                collectParts(headers: partHeaders, body: partBody, into: &parts, depth: depth + 1)
            }
            return
        }
        let mime = String(type.split(separator: ";").first ?? "text/plain").trimmingCharacters(in: .whitespaces)
        guard mime == "text/plain" || mime == "text/html", parts[mime] == nil else { return }
        let decoded: String = switch headers["content-transfer-encoding"]?.lowercased() {
        case "base64": Data(base64Encoded: body.filter { !$0.isWhitespace }).map { String(decoding: $0, as: UTF8.self) } ?? body
        case "quoted-printable": quotedPrintable(body)
        default: body
        }
        parts[mime] = decoded.replacingOccurrences(of: "\r\n", with: "\n")
    }

    static func parameter(_ name: String, in header: String) -> String? {
        for field in header.split(separator: ";").dropFirst() {
            let pair = field.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.count == 2, pair[0].lowercased() == name { return pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
        }
        return nil
    }

    /// `=?UTF-8?B?…?=` and `=?UTF-8?Q?…?=` words; whitespace between two encoded words is dropped (RFC 2047 §6.2).
    static func decodeWords(_ value: String) -> String {
        let words = value.components(separatedBy: " ")
        var out = ""
        var previousEncoded = false
        for word in words {
            let parts = word.components(separatedBy: "?")
            if word.hasPrefix("=?"), word.hasSuffix("?="), parts.count == 5, parts[1].lowercased() == "utf-8" {
                let text = parts[3]
                let decoded: String? = parts[2].uppercased() == "B"
                    ? Data(base64Encoded: text).map { String(decoding: $0, as: UTF8.self) }
                    : quotedPrintable(text.replacingOccurrences(of: "_", with: " "))
                if let decoded {
                    out += (previousEncoded || out.isEmpty ? "" : " ") + decoded
                    previousEncoded = true
                    continue
                }
            }
            out += (out.isEmpty ? "" : " ") + word
            previousEncoded = false
        }
        return out
    }

    static func quotedPrintable(_ text: String) -> String {
        var bytes: [UInt8] = []
        var input = Array(text.replacingOccurrences(of: "=\n", with: "").replacingOccurrences(of: "=\r\n", with: "").utf8)[...]
        while let byte = input.popFirst() {
            if byte == UInt8(ascii: "="), input.count >= 2, let value = UInt8(String(decoding: input.prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(value)
                input = input.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
