import DropAPI
import DropCore
import DropStore
import Foundation

/// The email jobs: a notification that also goes by email (`EmailedNotifications`), the link that
/// confirms an address (`EmailConfirmationService`), and the word to an address that was replaced
/// (`EmailChangeNotice`). They are written here, beside the pages, because they speak the person's
/// language from the same translations.
///
/// A job that fails for a reason worth retrying (the server busy or unreachable) throws, and the
/// job queue tries again with backoff; a refusal for good is logged and not retried. Delivery is at
/// least once: a crash after the server accepted a mail but before the job was marked done sends
/// it again, with the same Message-ID, which lets mail systems recognise the copy. A run that stalled
/// past its lease and was taken over does not send it again: the job's claim is confirmed just before
/// the mail server is asked (`JobQueue.confirmHeld`).
enum EmailJobs {
    struct NotificationPayload: Decodable { let notificationId: String }
    struct ConfirmationPayload: Decodable { let userId: String }

    static func register(_ jobs: JobRegistry, services: AppServices) {
        jobs.register(EmailedNotifications.jobKind) { job in try await notification(job, services) }
        jobs.register(EmailConfirmationService.jobKind) { job in try await confirmation(job, services) }
        jobs.register(EmailChangeNotice.jobKind) { job in try await addressChanged(job, services) }
    }

    /// Mails a notification to a confirmed address, unless the person is gone or turned email off
    /// (a security notice goes anyway: `EmailedNotifications.securityKinds`).
    static func notification(_ job: Job, _ services: AppServices) async throws {
        let payload = try JSONDecoder().decode(NotificationPayload.self, from: Data(job.payload.utf8))
        guard services.mailer.isConfigured else { return }
        let found = try await services.database.withConnection { db -> (NotificationRecord, UserRecord)? in
            guard let notification = try await NotificationRepository.find(id: payload.notificationId, on: db) else {
                // A kind a newer build wrote, which this one has no words for: not dropped, left for a worker that has.
                if try await NotificationRepository.exists(id: payload.notificationId, on: db) {
                    throw JobForANewerBuild("notification of a kind this build doesn't know")
                }
                return nil
            }
            guard let user = try await UserRepository.find(id: notification.userId, on: db) else { return nil }
            return (notification, user)
        }
        guard let (notification, user) = found, let address = confirmedAddress(user) else { return }
        if !EmailedNotifications.securityKinds.contains(notification.kind) {
            guard try await services.profiles.emailNotifications(userId: user.id) else { return }
        }
        let strings = Strings(Language(rawValue: user.locale) ?? .nb)
        let base = services.publicBaseURL.url
        let words = NotificationWords(notification, strings)
        let action: (String, String)? = switch (notification.kind.subject, notification.link?.transactionId) {
        case (.complaint, _): (strings["email.open.complaint"], base + "/complaints")
        case (.account, _): (strings["email.open.profile"], base + "/profile")
        case (.recipient, _): (strings["email.open.recipients"], base + "/recipients")
        case (.standingOrder, _): (strings["email.open.standing"], base + "/standing")
        case (.merchant, let id?): (strings["email.open.payment"], base + "/merchant/payments/\(id)")
        case (_, let id?): (strings["email.open.transfer"], base + "/transactions/\(id)")
        default: nil
        }
        let template = EmailTemplate(
            strings: strings, greetingName: user.givenName,
            paragraphs: [words.body], action: action,
            why: strings.format("email.why.notification", ["url": base + "/profile/details"]))
        let message = template.message(subject: words.title, to: address,
                                       from: services.mailer.from, messageID: "notification.\(notification.id)@\(services.mailer.from.address.domain)",
                                       at: services.clock())
        try await deliver(message, job: job, services)
    }

    /// Mails the confirmation link for the person's current address, if it still needs confirming.
    static func confirmation(_ job: Job, _ services: AppServices) async throws {
        let payload = try JSONDecoder().decode(ConfirmationPayload.self, from: Data(job.payload.utf8))
        guard services.mailer.isConfigured,
              let user = try await UserRepository.find(id: payload.userId, in: services.database),
              user.emailVerifiedAt == nil, let email = user.email, let address = EmailAddress(email) else { return }
        let strings = Strings(Language(rawValue: user.locale) ?? .nb)
        let template = EmailTemplate(
            strings: strings, greetingName: user.givenName, paragraphs: [strings["email.confirm.body"]],
            action: (strings["email.confirm.action"], services.emailConfirmation.link(userId: user.id, address: email)),
            why: strings["email.confirm.why"])
        let message = template.message(subject: strings["email.confirm.subject"], to: address, from: services.mailer.from,
                                       messageID: "confirm.\(job.id)@\(services.mailer.from.address.domain)", at: services.clock())
        try await deliver(message, job: job, services)
    }

    /// Tells the address that was confirmed until now that it was replaced, with the way to sign out
    /// everywhere (the profile page), in the customer's language. Sent whatever the email setting:
    /// it is about who controls the account, not news of a transfer.
    static func addressChanged(_ job: Job, _ services: AppServices) async throws {
        let payload = try JSONDecoder().decode(EmailChangeNotice.Payload.self, from: Data(job.payload.utf8))
        guard services.mailer.isConfigured, let address = EmailAddress(payload.previousAddress),
              let user = try await UserRepository.find(id: payload.userId, in: services.database) else { return }
        let strings = Strings(Language(rawValue: user.locale) ?? .nb)
        let template = EmailTemplate(
            strings: strings, greetingName: user.givenName, paragraphs: [strings["email.changed.body"]],
            action: (strings["email.open.profile"], services.publicBaseURL.url + "/profile"), why: strings["email.changed.why"])
        let message = template.message(subject: strings["email.changed.subject"], to: address, from: services.mailer.from,
                                       messageID: "changed.\(job.id)@\(services.mailer.from.address.domain)", at: services.clock())
        try await deliver(message, job: job, services)
    }

    static func confirmedAddress(_ user: UserRecord) -> EmailAddress? {
        guard user.emailVerifiedAt != nil else { return nil }
        return user.email.flatMap(EmailAddress.init)
    }

    private static func deliver(_ message: MailMessage, job: Job, _ services: AppServices) async throws {
        // A mail server takes the same message twice: a run paused past its lease (a frozen VM, SIGSTOP) and
        // resumed after another worker took the job over and sent it stops here instead of mailing it again.
        try await JobQueue(database: services.database).confirmHeld(job, now: services.clock())
        if try await services.mailer.send(message) == .refused {
            // Neither the address nor the server's words (which may quote it) go to the log.
            services.logger.warning("the mail server refused an email for good", metadata: ["job_id": .string(job.id), "job_kind": .string(job.kind)])
            services.metrics.countJob(kind: job.kind, outcome: "refused")
        }
    }
}
