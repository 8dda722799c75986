import DropCore
import DropProviders
import DropSandbox
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The development mail server, fed by Drop's real SMTP client.
@Suite struct MailSandboxTests {
    /// `GET /sandbox/mail/messages`: the inbox, newest first (only what these tests read).
    struct Inbox: Decodable {
        struct Message: Decodable { let subject: String }
        let items: [Message]
    }

    static func message(to: String, subject: String, text: String) -> MailMessage {
        MailMessage(from: .init(name: "Drop", address: EmailAddress("no-reply@drop.localhost")!), to: EmailAddress(to)!,
                    subject: subject, text: text, html: "<p>\(text)</p>", language: "nb", messageID: UUID().uuidString + "@drop.localhost",
                    date: Date(timeIntervalSince1970: 1_796_300_009))
    }

    @Test func keepsWhatTheSMTPClientSendsAndShowsItAsAMailReaderWould() async throws {
        let sandbox = try await MailSandbox.start()
        let client = try SMTPClient(settings: SMTPSettings(host: "127.0.0.1", port: sandbox.port, security: .none))
        let text = "Hei Kari,\n.en linje med punktum først\nhttp://127.0.0.1:8080/email/confirm?token=abc.def\n"
        try await client.send(Self.message(to: "kari@example.no", subject: "Bekreft e-postadressen din – Drop", text: text),
                              envelopeFrom: EmailAddress("no-reply@drop.localhost")!)
        try await client.send(Self.message(to: "ola@example.no", subject: "Betalingen er fullført", text: "Pengene er fremme."),
                              envelopeFrom: EmailAddress("no-reply@drop.localhost")!)
        let kept = sandbox.messages
        #expect(kept.count == 2)
        #expect(kept.map(\.rcptTo) == [["kari@example.no"], ["ola@example.no"]])
        #expect(kept.first?.subject == "Bekreft e-postadressen din – Drop")
        #expect(kept.first?.from == "\"Drop\" <no-reply@drop.localhost>" && kept.first?.mailFrom == "no-reply@drop.localhost")
        #expect(kept.first?.text == text && kept.first?.html == "<p>\(text)</p>")

        // The inbox page: newest first, the link clickable, everything else escaped.
        let router = Router()
        sandbox.addRoutes(to: router.group("/sandbox/mail"))
        try await Application(router: router).test(.router) { client in
            try await client.execute(uri: "/sandbox/mail", method: .get) { response in
                let page = String(buffer: response.body)
                #expect(response.status == .ok)
                let (ola, kari) = (try #require(page.range(of: "ola@example.no")), try #require(page.range(of: "kari@example.no")))
                #expect(ola.lowerBound < kari.lowerBound)
                #expect(page.contains(#"<a href="http://127.0.0.1:8080/email/confirm?token=abc.def">"#))
                #expect(page.contains("&quot;Drop&quot; &lt;no-reply@drop.localhost&gt;"))
            }
            try await client.execute(uri: "/sandbox/mail/messages", method: .get) { response in
                let inbox = try JSONDecoder().decode(Inbox.self, from: Data(buffer: response.body))
                #expect(inbox.items.first?.subject == "Betalingen er fullført")
            }
        }
        await sandbox.stop()
    }

    @Test func refusesCommandsOutOfOrderLikeARealServer() async throws {
        let sandbox = try await MailSandbox.start()
        defer { Task { await sandbox.stop() } }
        // A client that skips EHLO is refused at MAIL with 503: SMTPClient always says EHLO first, so
        // the refusal is checked on a raw connection.
        let replies = try await RawSMTP.exchange(port: sandbox.port, ["MAIL FROM:<a@b.no>", "EHLO test", "RCPT TO:<c@d.no>", "DATA", "MAIL FROM:<a@b.no>",
                                                                     "DATA", "STARTTLS", "FOO", "QUIT"])
        #expect(replies.map(\.prefix3) == ["220", "503", "250", "503", "503", "250", "503", "502", "500", "221"])
        #expect(sandbox.messages.isEmpty)
    }
}

extension String {
    var prefix3: String { String(prefix(3)) }
}

/// A line-by-line SMTP conversation over a plain socket: one reply per command (the last line of a multi-line reply).
enum RawSMTP {
    static func exchange(port: Int, _ commands: [String]) async throws -> [String] {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
        var buffer = [UInt8]()
        func readReply() -> String {
            while true {
                if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                    let line = String(decoding: buffer[..<newline], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                    buffer.removeSubrange(...newline)
                    if line.count >= 4, line[line.index(line.startIndex, offsetBy: 3)] == "-" { continue }
                    return line
                }
                var chunk = [UInt8](repeating: 0, count: 1024)
                let count = read(fd, &chunk, chunk.count)
                if count <= 0 { return "" }
                buffer += chunk[..<count]
            }
        }
        var replies = [readReply()]
        for command in commands {
            _ = (command + "\r\n").withCString { write(fd, $0, strlen($0)) }
            replies.append(readReply())
        }
        return replies
    }
}
