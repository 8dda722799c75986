import DropCore
import DropProviders
import Foundation

/// `SMTP_URL` and `EMAIL_FROM`: the mail server Drop hands its email to, and who it is from.
/// Without `SMTP_URL` (development, tests) Drop sends no email; production requires it.
public struct EmailSettings: Sendable, Equatable {
    public var smtp: SMTPSettings
    public var from: MailMessage.Mailbox

    public init(smtp: SMTPSettings, from: MailMessage.Mailbox) {
        self.smtp = smtp
        self.from = from
    }

    /// Nil when `SMTP_URL` is unset; problems go to `problems`.
    static func from(_ env: [String: String], production: Bool, problems: inout [String]) -> EmailSettings? {
        let from = env["EMAIL_FROM"]?.nilIfEmpty ?? "Drop <no-reply@drop.localhost>"
        let mailbox = MailMessage.Mailbox(parsing: from)
        if mailbox == nil { problems.append("EMAIL_FROM must be an address like Drop <no-reply@drop.no> (got \(from))") }
        guard let url = env["SMTP_URL"]?.nilIfEmpty else {
            if production { problems.append("SMTP_URL must be set: Drop emails people when their money arrives, fails or comes back, and confirms their address") }
            return nil
        }
        do {
            let smtp = try SMTPSettings(url: url)
            if let caFile = smtp.caFile, !FileManager.default.isReadableFile(atPath: caFile) {
                problems.append("SMTP_URL: ca_file \(caFile) can't be read")
            }
            if production, env["EMAIL_FROM"]?.nilIfEmpty == nil {
                problems.append("EMAIL_FROM must be set to the address Drop's email comes from, e.g. Drop <no-reply@drop.no>")
            }
            return mailbox.map { EmailSettings(smtp: smtp, from: $0) }
        } catch {
            problems.append(error.description)
            return nil
        }
    }
}
