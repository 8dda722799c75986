import DropCore
import DropProviders
import DropTestTools
import Foundation
import Testing

/// The SMTP client against a real SMTP server (aiosmtpd on loopback, `scripts/lib/smtp_sink.py`).
@Suite(.enabled(if: SMTPTestServer.shouldRun, "needs Python's aiosmtpd (pip install aiosmtpd)"), .serialized)
struct SMTPClientTests {
    let message = MailMessage(
        from: .init(name: "Drop", address: EmailAddress("no-reply@drop.example")!), to: EmailAddress("kari@example.no")!,
        subject: "Pengene er fremme – 1 500 kr", text: "Hei Kari,\n.pengene er fremme.\n", html: "<p>Hei Kari,</p>", language: "nb",
        messageID: "t1@drop.example", date: Date(timeIntervalSince1970: 1_796_300_009))
    let bounce = EmailAddress("bounces@drop.example")!

    @Test func startTLSThenAuthThenOneMessageAsAMailReaderReadsIt() async throws {
        let server = try SMTPTestServer(tls: true, auth: "drop:s3cret pass")
        defer { server.stop() }
        let settings = try SMTPSettings(url: "smtp://drop:s3cret%20pass@localhost:\(server.port)?ca_file=\(server.caFile!)")
        try await SMTPClient(settings: settings).send(message, envelopeFrom: bounce)

        let received = try await server.waitFor(1)
        #expect(received.count == 1)
        let mail = try #require(received.first)
        #expect(mail.tls && mail.authenticated)
        #expect(mail.mailFrom == "bounces@drop.example")
        #expect(mail.rcptTos == ["kari@example.no"])
        #expect(mail.headers["Subject"] == "Pengene er fremme – 1 500 kr")
        #expect(mail.headers["From"] == "Drop <no-reply@drop.example>")
        #expect(mail.contentType == "multipart/alternative")
        // A line that starts with a dot survives DATA's dot-stuffing.
        #expect(mail.text?.replacingOccurrences(of: "\r\n", with: "\n") == "Hei Kari,\n.pengene er fremme.\n")
        #expect(mail.html == "<p>Hei Kari,</p>")
    }

    @Test func withoutSTARTTLSNothingIsSentInClearText() async throws {
        let server = try SMTPTestServer(tls: false)
        defer { server.stop() }
        let settings = try SMTPSettings(url: "smtp://localhost:\(server.port)")
        await #expect(throws: SMTPError.self) { try await SMTPClient(settings: settings).send(message, envelopeFrom: bounce) }
        do {
            try await SMTPClient(settings: settings).send(message, envelopeFrom: bounce)
        } catch let error as SMTPError {
            guard case .permanent = error else { Issue.record("expected a permanent failure, got \(error)"); return }
        }
        #expect(try server.received().isEmpty)
    }

    @Test func aCertificateNobodyVouchesForIsRefused() async throws {
        let server = try SMTPTestServer(tls: true)
        defer { server.stop() }
        let settings = try SMTPSettings(url: "smtp://localhost:\(server.port)")
        await #expect(throws: SMTPError.self) { try await SMTPClient(settings: settings).send(message, envelopeFrom: bounce) }
        #expect(try server.received().isEmpty)
    }

    @Test func aBusyServerIsATransientFailureAndTheNextTryArrives() async throws {
        let server = try SMTPTestServer(refuse: 1)
        defer { server.stop() }
        let client = try SMTPClient(settings: SMTPSettings(url: "smtp://127.0.0.1:\(server.port)?tls=none"))
        do {
            try await client.send(message, envelopeFrom: bounce)
            Issue.record("the first message should have been refused")
        } catch let error as SMTPError {
            #expect(error == .transient("the message: 451 4.3.0 Mailbox busy, try again later"))
        }
        try await client.send(message, envelopeFrom: bounce)
        #expect(try await server.waitFor(1).count == 1)
    }

    @Test func anUnknownRecipientIsPermanent() async throws {
        let server = try SMTPTestServer(reject: true)
        defer { server.stop() }
        let client = try SMTPClient(settings: SMTPSettings(url: "smtp://127.0.0.1:\(server.port)?tls=none"))
        do {
            try await client.send(message, envelopeFrom: bounce)
            Issue.record("the recipient should have been refused")
        } catch let error as SMTPError {
            #expect(error == .permanent("RCPT: 550 5.1.1 No such user here"))
        }
    }

    @Test func nobodyListeningIsTransient() async throws {
        let client = try SMTPClient(settings: SMTPSettings(url: "smtp://127.0.0.1:1?tls=none"))
        do {
            try await client.send(message, envelopeFrom: bounce)
            Issue.record("nothing listens on port 1")
        } catch let error as SMTPError {
            guard case .transient = error else { Issue.record("expected transient, got \(error)"); return }
        }
    }

    @Test func settingsComeFromOneURL() throws {
        #expect(try SMTPSettings(url: "smtp://a%40b:p%2Fw@mail.example.no") == SMTPSettings(
            host: "mail.example.no", port: 587, security: .startTLS, username: "a@b", password: "p/w"))
        #expect(try SMTPSettings(url: "smtps://mail.example.no").port == 465)
        #expect(try SMTPSettings(url: "smtp://localhost:2525?tls=none").security == SMTPSettings.Security.none)
        #expect(throws: SMTPSettings.Invalid.self) { try SMTPSettings(url: "smtp://mail.example.no?tls=none") }
        #expect(throws: SMTPSettings.Invalid.self) { try SMTPSettings(url: "http://mail.example.no") }
        #expect(throws: SMTPSettings.Invalid.self) { try SMTPSettings(url: "smtp://user@mail.example.no") }
    }
}
