import DropCore
import DropProviders
import Foundation

/// Sends Drop's email. Live: the SMTP server `SMTP_URL` names. Without one (development, most
/// tests) `isConfigured` is false and the email jobs finish without sending; tests give their own
/// `deliver` to see what would go.
public struct Mailer: Sendable {
    /// Who the email is from (`EMAIL_FROM`); bounces go back to the same address.
    public let from: MailMessage.Mailbox
    public let isConfigured: Bool
    private let deliver: @Sendable (MailMessage) async throws -> Void

    public init(from: MailMessage.Mailbox, deliver: @escaping @Sendable (MailMessage) async throws -> Void) {
        self.from = from
        self.isConfigured = true
        self.deliver = deliver
    }

    private init(unconfiguredFrom from: MailMessage.Mailbox) {
        self.from = from
        self.isConfigured = false
        self.deliver = { _ in }
    }

    public enum Delivery: Sendable, Equatable {
        case sent
        /// The mail server refused it for good (a 5xx: no such mailbox, policy): trying again won't help.
        case refused
    }

    /// Throws when another try later may succeed (the server busy or unreachable, a 4xx).
    public func send(_ message: MailMessage) async throws -> Delivery {
        do {
            try await deliver(message)
            return .sent
        } catch SMTPError.permanent {
            return .refused
        }
    }

    public static let developmentSender = MailMessage.Mailbox(name: "Drop", address: EmailAddress("no-reply@drop.localhost")!)

    /// From the configuration: SMTP when `SMTP_URL` is set, otherwise nothing is sent.
    public static func live(_ settings: EmailSettings?, host: String) -> Mailer {
        guard let settings else { return Mailer(unconfiguredFrom: developmentSender) }
        // EHLO names this host; an IP address is written as an address literal (RFC 5321 §4.1.3).
        let heloName = host.allSatisfy { $0.isNumber || $0 == "." } || host.contains(":") ? "[\(host)]" : host
        let client = Result { try SMTPClient(settings: settings.smtp, heloName: heloName) }
        return Mailer(from: settings.from) { message in
            // The TLS context is made once; a CA file that went away since start is a permanent fault.
            let smtp = try client.mapError { SMTPError.permanent("TLS setup: \(type(of: $0))") }.get()
            try await smtp.send(message, envelopeFrom: settings.from.address)
        }
    }
}
