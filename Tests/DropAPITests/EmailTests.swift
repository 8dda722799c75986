import DropCore
import DropKit
import DropStore
import DropTestTools
import Foundation
import Testing
@testable import DropAPI

/// Email that arrives: Drop against a real SMTP server (aiosmtpd on loopback, STARTTLS and AUTH),
/// driven through the API and the job worker as in production.
@Suite("Email: confirming an address, the transfer's news by mail, retries", .enabled(if: SMTPTestServer.shouldRun, "needs aiosmtpd"))
struct EmailTests {
    static func environment(_ smtp: SMTPTestServer, tls: Bool = true) -> [String: String] {
        let url = tls ? "smtp://drop:mail%20secret@localhost:\(smtp.port)?ca_file=\(smtp.caFile!)" : "smtp://127.0.0.1:\(smtp.port)?tls=none"
        return ["SMTP_URL": url, "EMAIL_FROM": "Drop <no-reply@drop.example>"]
    }

    /// Runs due jobs the way `drop worker` does, until none is due.
    static func work(_ server: LiveServer) async throws {
        let worker = JobWorker(services: server.services)
        for _ in 0..<200 where try await worker.runOnce() {}
    }

    static func link(in mail: SMTPTestServer.Received) throws -> String {
        let text = try #require(mail.text)
        let line = try #require(text.components(separatedBy: .newlines).first { $0.contains("/email/confirm?token=") })
        return line.trimmingCharacters(in: .whitespaces)
    }

    @Test func kariConfirmsHerAddressThenHearsByMailWhenHerMoneyIsApprovedAndArrives() async throws {
        let smtp = try SMTPTestServer(tls: true, auth: "drop:mail secret")
        defer { smtp.stop() }
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon), environment: Self.environment(smtp)) { server in
            let kari = try await TransfersTests.sender(server)
            let saved = try await server.call(.PATCH, "/v1/me", #"{"email":"kari.nordmann@example.no"}"#, auth: kari.auth)
            #expect(try saved.status == 200 && saved.decode(DropKit.User.self).emailVerified == false)
            try await Self.work(server)

            // The confirmation link, in Kari's language, over TLS, and nothing else yet.
            let first = try await smtp.waitFor(1)
            #expect(first.count == 1)
            let confirm = try #require(first.first)
            #expect(confirm.tls && confirm.authenticated && confirm.rcptTos == ["kari.nordmann@example.no"])
            #expect(confirm.headers["Subject"] == "Bekreft e-postadressen din i Drop")
            #expect(confirm.headers["From"] == "Drop <no-reply@drop.example>" && confirm.headers["Content-Language"] == "nb")
            #expect(confirm.text?.hasPrefix("Hei Kari,") == true && confirm.html?.contains("Bekreft e-postadressen") == true)
            let link = try Self.link(in: confirm)
            #expect(link.hasPrefix(server.baseURL + "/email/confirm?token="))

            // A transfer approved and paid out before the address is confirmed is not mailed.
            let early = try await PayoutTests.paidTransfer(server, kari, recipient: RecipientsTests.germany, amountMinor: 100_000).id
            for _ in 0..<2 {
                server.clock.advance(31)
                try await Self.work(server)
            }
            #expect(try await server.get("/v1/transactions/\(early)", headers: [kari.auth]).decode(DropKit.Transaction.self).status == .completed)
            #expect(try smtp.received().count == 1)
            let queued = try await server.services.database.withConnection { db in
                try await db.raw("SELECT COUNT(*) AS n FROM jobs WHERE kind = \(bind: EmailedNotifications.jobKind)").first()?.decode(column: "n", as: Int.self)
            }
            #expect(queued == 0, "no email job for someone without a confirmed address")

            // Opening the link (no sign-in needed) confirms the address, once.
            let page = try await server.get(link)
            #expect(page.status == 200 && page.body.contains("E-postadressen er bekreftet"))
            #expect(try await server.get(link).status == 200)
            #expect(try await server.get("/v1/me", headers: [kari.auth]).decode(DropKit.User.self).emailVerified == true)

            // Now a transfer's approval and arrival are mailed, with a link to it and nothing secret.
            let transfer = try await PayoutTests.paidTransfer(server, kari, recipient: RecipientsTests.germany, amountMinor: 250_000)
            let id = transfer.id
            server.clock.advance(31)
            try await Self.work(server)
            server.clock.advance(31)
            try await Self.work(server)
            let status = try await server.get("/v1/transactions/\(id)", headers: [kari.auth]).decode(DropKit.Transaction.self).status
            #expect(status == .completed)
            let mails = try await smtp.waitFor(3)
            #expect(mails.dropFirst().map { $0.headers["Subject"] ?? "" } == ["Betalingen er godkjent", "Betalingen er fullført"])
            for mail in mails.dropFirst() {
                #expect(mail.text?.contains(server.baseURL + "/transactions/\(id)") == true)
                #expect(mail.text?.contains(server.baseURL + "/profile/details") == true, "says how to turn email off")
                #expect(mail.headers["Auto-Submitted"] == "auto-generated")
                for secret in [kari.accountNumber, "DE89", "15039010043", "token="] { #expect(mail.text?.contains(secret) == false, "\(secret)") }
            }

            // Email turned off: the app still tells her, the mailbox doesn't.
            let off = try await server.request(.PUT, "/v1/me/settings", headers: [kari.auth, ("content-type", "application/json")],
                                               body: #"{"notifyEmail":false,"notifyPush":true,"theme":"system"}"#)
            #expect(off.status == 200)
            _ = try await PayoutTests.paidTransfer(server, kari, recipient: RecipientsTests.germany, amountMinor: 50_000)
            try await Self.work(server)
            #expect(try smtp.received().count == 3)
            // Except a security notice: whoever holds her session could turn email off before changing where a
            // recipient is paid, so that one is mailed anyway.
            let fresh = try await server.bearer(TransfersTests.kari)
            let changed = try await server.call(.PATCH, "/v1/recipients/\(kari.recipientId)",
                                                #"{"iban":"PL27114020040000300201355387","bic":"BREXPLPW"}"#, auth: fresh)
            #expect(changed.status == 200, "\(changed.body)")
            try await Self.work(server)
            try await server.eventually("the payee notice by mail") {
                try smtp.received().contains { $0.headers["Subject"]?.hasPrefix("Kontoopplysningene til") == true }
            }
        }
    }

    /// A standing transfer the bank approved is news worth a mail: in Kari's language, with the way to it.
    @Test func aStandingTransferTheBankApprovedIsMailedWithTheWayToIt() async throws {
        let smtp = try SMTPTestServer()
        defer { smtp.stop() }
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon), environment: Self.environment(smtp, tls: false)) { server in
            let kari = try await TransfersTests.sender(server)
            #expect(try await server.call(.PATCH, "/v1/me", #"{"email":"kari@example.no"}"#, auth: kari.auth).status == 200)
            try await Self.work(server)
            _ = try await server.get(try Self.link(in: try #require(try await smtp.waitFor(1).first)))

            // The 20th is days away: the approval is the only news.
            let created = try await StandingOrdersTests.setUp(server, kari, extra: #","dayOfExecution":20"#)
            try await StandingOrdersTests.approve(server, created)
            try await Self.work(server)
            let mails = try await smtp.waitFor(2)
            let approved = try #require(mails.last)
            #expect(approved.headers["Subject"] == "Fast overføring godkjent")
            #expect(approved.text?.contains("Banken betaler på hver betalingsdag.") == true)
            #expect(approved.text?.contains(server.baseURL + "/standing") == true && approved.html?.contains("Se faste overføringer") == true)
            for secret in [kari.accountNumber, "PL61", "15039010043"] { #expect(approved.text?.contains(secret) == false, "\(secret)") }
        }
    }

    @Test func aBusyMailServerGetsTheMailOnALaterTryAndOnlyOnce() async throws {
        let smtp = try SMTPTestServer(refuse: 1)
        defer { smtp.stop() }
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon), environment: Self.environment(smtp, tls: false)) { server in
            let kari = try await KYCTests.onboardAndVerify(server, TransfersTests.kari).auth
            #expect(try await server.call(.PATCH, "/v1/me", #"{"email":"kari@example.no"}"#, auth: kari).status == 200)
            try await Self.work(server)
            #expect(try smtp.received().isEmpty)
            let waiting = try await server.services.database.withConnection { db in
                try await db.raw("SELECT status, attempts FROM jobs WHERE kind = \(bind: EmailConfirmationService.jobKind)").first()
                    .map { (try $0.decode(column: "status", as: String.self), try $0.decode(column: "attempts", as: Int.self)) }
            }
            #expect(waiting?.0 == "queued" && waiting?.1 == 1)
            server.clock.advance(11)  // the queue's first backoff is 10 s
            try await Self.work(server)
            server.clock.advance(3600)
            try await Self.work(server)
            #expect(try await smtp.waitFor(1).count == 1)
            try await Task.sleep(for: .milliseconds(200))
            #expect(try smtp.received().count == 1)
        }
    }

    @Test func aLinkWorksOnlyForItsAddressAndFor48Hours() async throws {
        let smtp = try SMTPTestServer()
        defer { smtp.stop() }
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon), environment: Self.environment(smtp, tls: false)) { server in
            let kari = try await KYCTests.onboardAndVerify(server, TransfersTests.kari).auth
            _ = try await server.call(.PATCH, "/v1/me", #"{"email":"kari@example.no"}"#, auth: kari)
            try await Self.work(server)
            let old = try Self.link(in: try #require(try await smtp.waitFor(1).first))
            let oldToken = try #require(old.components(separatedBy: "token=").last)

            // A new address: the old link no longer confirms anything, the new one does.
            _ = try await server.call(.PATCH, "/v1/me", #"{"email":"kari@example.com"}"#, auth: kari)
            server.clock.advance(61)
            try await Self.work(server)
            let mails = try await smtp.waitFor(2)
            #expect(mails.last?.rcptTos == ["kari@example.com"])
            let changed = try await server.postJSON("/v1/email/confirm", #"{"token":"\#(oldToken)"}"#)
            #expect(changed.status == 409 && changed.apiError.code == "EMAIL_CHANGED")
            let page = try await server.get(old)
            #expect(page.status == 409 && page.body.contains("Adressen i profilen er endret"))
            #expect(try await server.postJSON("/v1/email/confirm", #"{"token":"nonsense"}"#).apiError.code == "LINK_INVALID")

            // Asking again sends another link; 48 hours on, the link has expired.
            #expect(try await server.call(.POST, "/v1/me/email/confirmation", auth: kari).status == 202)
            server.clock.advance(61)
            try await Self.work(server)
            let newest = try Self.link(in: try #require(try await smtp.waitFor(3).last))
            server.clock.advance(48 * 3600 + 1)
            let expired = try await server.postJSON("/v1/email/confirm", #"{"token":"\#(newest.components(separatedBy: "token=").last!)"}"#)
            #expect(expired.status == 410 && expired.apiError.code == "LINK_EXPIRED")
            #expect(try await server.get("/v1/me", headers: [kari]).decode(DropKit.User.self).emailVerified == false)

            // Confirmed once, asking again is refused rather than mailing.
            #expect(try await server.call(.POST, "/v1/me/email/confirmation", auth: kari).status == 202)
            server.clock.advance(61)
            try await Self.work(server)
            let fresh = try Self.link(in: try #require(try await smtp.waitFor(4).last))
            #expect(try await server.postJSON("/v1/email/confirm", #"{"token":"\#(fresh.components(separatedBy: "token=").last!)"}"#).status == 200)
            let again = try await server.call(.POST, "/v1/me/email/confirmation", auth: kari)
            #expect(again.status == 409 && again.apiError.code == "EMAIL_ALREADY_CONFIRMED")
            let audited = try await server.services.database.withConnection { db in
                try await db.raw("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'user.email_confirmed'").first()?.decode(column: "n", as: Int.self)
            }
            #expect(audited == 1)
        }
    }

    /// Someone holding Kari's session can't move her mail to their own mailbox unseen: the change needs
    /// BankID again, and her confirmed address is told when it is replaced, in her language.
    @Test func aConfirmedAddressIsToldWhenItIsReplacedAndAnOldSessionCantReplaceIt() async throws {
        let smtp = try SMTPTestServer()
        defer { smtp.stop() }
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon), environment: Self.environment(smtp, tls: false)) { server in
            let kari = try await KYCTests.onboardAndVerify(server, TransfersTests.kari).auth
            #expect(try await server.call(.PATCH, "/v1/me", #"{"email":"kari@example.no"}"#, auth: kari).status == 200)
            try await Self.work(server)
            #expect(try await server.get(try Self.link(in: try #require(try await smtp.waitFor(1).first))).status == 200)

            // An hour later, on the same session: refused, nothing changed or mailed.
            server.clock.advance(3600)
            let refused = try await server.call(.PATCH, "/v1/me", #"{"email":"thief@example.com"}"#, auth: kari)
            #expect(refused.status == 401 && refused.errorCode == "STEP_UP_REQUIRED")
            try await Self.work(server)
            let me = try await server.get("/v1/me", headers: [kari]).decode(DropKit.User.self)
            #expect(me.email == "kari@example.no" && me.emailVerified)
            #expect(try smtp.received().count == 1)

            // After BankID again: the new address gets its link, and the old one is told.
            let fresh = try await server.bearer(TransfersTests.kari, stepUp: true)
            #expect(try await server.call(.PATCH, "/v1/me", #"{"email":"kari@example.com"}"#, auth: fresh).status == 200)
            try await Self.work(server)
            let mails = try await smtp.waitFor(3)
            let told = try #require(mails.dropFirst().first { $0.rcptTos == ["kari@example.no"] })
            #expect(told.headers["Subject"] == "E-postadressen din i Drop er endret" && told.headers["Content-Language"] == "nb")
            #expect(told.text?.contains("Var det ikke deg?") == true && told.text?.contains(server.baseURL + "/profile") == true)
            #expect(told.text?.contains("kari@example.com") == false, "the new address is not given away")
            #expect(mails.dropFirst().contains { $0.rcptTos == ["kari@example.com"] && $0.headers["Subject"] == "Bekreft e-postadressen din i Drop" })

            // The new address was never confirmed: replacing it tells nobody.
            #expect(try await server.call(.PATCH, "/v1/me", #"{"email":"kari@example.org"}"#, auth: fresh).status == 200)
            server.clock.advance(61)
            try await Self.work(server)
            let after = try await smtp.waitFor(4)
            #expect(after.count == 4 && after.last?.rcptTos == ["kari@example.org"])
        }
    }
}

/// A sign-in from a browser or phone the customer never used is told to them, in the app and by email.
@Suite("Sign-in from a new device", .enabled(if: SMTPTestServer.shouldRun, "needs aiosmtpd"))
struct NewDeviceSignInTests {
    static func notifications(_ server: LiveServer, _ auth: (String, String)) async throws -> [String] {
        try await server.get("/v1/notifications", headers: [auth]).decode(NotificationList.self).items.map(\.kind)
    }

    @Test func aNewBrowserOrPhoneIsToldTheSameOneIsNot() async throws {
        let smtp = try SMTPTestServer()
        defer { smtp.stop() }
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon), environment: EmailTests.environment(smtp, tls: false)) { server in
            // Kari's first sign-in ever, then again in the same browser: nothing to tell.
            let first = try await server.signInWeb(TransfersTests.kari, device: "laptop")
            #expect(first.headers[canonicalForm: "set-cookie"].contains { $0.hasPrefix("drop_device=\(LiveServer.deviceID(TransfersTests.kari + ":laptop"));") })
            let session = ("cookie", "drop_token=" + (try #require(first.cookie("drop_token"))))
            _ = try await server.signInWeb(TransfersTests.kari, device: "laptop")
            #expect(try await Self.notifications(server, session).filter { $0 == "account.new_sign_in" }.isEmpty)
            // Her phone, new too: she is told (no address yet, so no mail). Her address, confirmed.
            let auth = try await server.bearer(TransfersTests.kari)
            #expect(try await Self.notifications(server, auth).filter { $0 == "account.new_sign_in" }.count == 1)
            _ = try await server.call(.PATCH, "/v1/me", #"{"email":"kari@example.no"}"#, auth: auth)
            try await EmailTests.work(server)
            let link = try EmailTests.link(in: try #require(try await smtp.waitFor(1).first))
            #expect(try await server.get(link).status == 200)

            // A browser that never signed in as Kari (no cookie): a new cookie, and she is told, by email too.
            let stranger = try await server.signInWeb(TransfersTests.kari, device: nil)
            let newCookie = try #require(stranger.cookie("drop_device"))
            #expect(newCookie.count == 43 && newCookie != LiveServer.deviceID(TransfersTests.kari + ":laptop"))
            #expect(try await Self.notifications(server, auth).filter { $0 == "account.new_sign_in" }.count == 2)
            try await EmailTests.work(server)
            let mails = try await smtp.waitFor(2)
            #expect(mails.last?.headers["Subject"] == "Ny innlogging i Drop")
            #expect(mails.last?.text?.contains(server.baseURL + "/profile") == true)

            // A phone with its own id: told once, then known.
            let phone = "p" + String(repeating: "A", count: 42)
            for _ in 0..<2 {
                let verifier = String(repeating: "v", count: 20) + UUID().uuidString
                let reply = try await server.signInMobile(TransfersTests.kari, codeVerifier: verifier)
                let code = try #require(URLComponents(string: reply.location ?? "")?.queryItems?.first { $0.name == "code" }?.value)
                let issued = try await server.postJSON("/v1/auth/token", #"{"code":"\#(code)","codeVerifier":"\#(verifier)","deviceId":"\#(phone)"}"#)
                #expect(issued.status == 200)
            }
            #expect(try await Self.notifications(server, auth).filter { $0 == "account.new_sign_in" }.count == 3)

            // An app that sends no id, or one that is not an id: a phone never seen, and she is told each time.
            for deviceId in [nil, "not-an-id"] {
                let verifier = String(repeating: "v", count: 20) + UUID().uuidString
                let reply = try await server.signInMobile(TransfersTests.kari, codeVerifier: verifier)
                let code = try #require(URLComponents(string: reply.location ?? "")?.queryItems?.first { $0.name == "code" }?.value)
                let sent = deviceId.map { #","deviceId":"\#($0)""# } ?? ""
                #expect(try await server.postJSON("/v1/auth/token", #"{"code":"\#(code)","codeVerifier":"\#(verifier)"\#(sent)}"#).status == 200)
            }
            #expect(try await Self.notifications(server, auth).filter { $0 == "account.new_sign_in" }.count == 5)
            let stored = try await server.services.database.withConnection { db in
                try await db.raw("SELECT device_sha256 FROM known_devices").all().map { try $0.decode(column: "device_sha256", as: String.self) }
            }
            #expect(stored.count == 6 && !stored.contains(phone) && !stored.contains(newCookie), "only hashes are kept")

            // Devices unused for as long as the cookie lives are forgotten by the housekeeping job.
            server.clock.advance(TimeInterval(SignInDevice.cookieLifetime) + 60)
            try await EmailTests.work(server)
            let left = try await server.services.database.withConnection { db in
                try await db.raw("SELECT COUNT(*) AS n FROM known_devices").first()?.decode(column: "n", as: Int.self)
            }
            #expect(left == 0)
        }
    }
}

extension EmailTests {
    /// During a rolling deploy a newer build notifies Kari of something this build has no kind (and no words) for,
    /// and queues its email; a worker of this build claims the job. It neither sends nor drops the mail (the job
    /// done, the mail never sent): it puts the job back, unrun and uncounted, for a worker of the newer build.
    @Test func aNotificationOnlyANewerBuildKnowsIsLeftForItsWorker() async throws {
        let smtp = try SMTPTestServer()
        defer { smtp.stop() }
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon), environment: Self.environment(smtp, tls: false)) { server in
            let kari = try await KYCTests.onboardAndVerify(server, TransfersTests.kari).auth
            let kariId = try await server.userId(kari)
            let now = server.clock.date
            try await server.services.database.transaction { db in
                try await db.raw("""
                    INSERT INTO notifications (id, user_id, kind, title, body, data, created_at, read_at)
                    VALUES ('n-newer', \(bind: kariId), 'transaction.news_from_a_newer_build', 'Nytt', 'Nytt', NULL, \(bind: now), NULL)
                    """).run()
                try await JobQueue.enqueue(kind: EmailedNotifications.jobKind, payload: #"{"notificationId":"n-newer"}"#, runAt: now, maxAttempts: 8,
                                           now: now, on: db)
            }
            try await Self.work(server)
            let job = try await server.services.database.withConnection { db in
                try await db.raw("SELECT status, attempts, run_at FROM jobs WHERE kind = \(bind: EmailedNotifications.jobKind)").first()
                    .map { (try $0.decode(column: "status", as: String.self), try $0.decode(column: "attempts", as: Int.self),
                            try $0.decode(column: "run_at", as: Date.self)) }
            }
            #expect(job?.0 == "queued" && job?.1 == 0)
            #expect(job.map { $0.2 > now } == true)
            #expect(try smtp.received().isEmpty)
        }
    }
}
