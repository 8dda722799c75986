import DropCore
import DropStore
import Foundation

/// A customer's own details and consents, for the API and the web pages alike.
public struct ProfileService: Sendable {
    let database: Database
    let stepUp: CustomerStepUp
    let clock: @Sendable () -> Date

    /// Validates every field first and reports all problems at once; writes nothing unless all are fine.
    /// A new email address or phone number needs a recent BankID sign-in (`CustomerStepUp`), except the
    /// first phone number (onboarding asks for it); a confirmed address that is replaced is told.
    public func update(_ identity: Identity, with patch: ProfilePatch, requestID: String) async throws -> UserRecord {
        guard var user = try await UserRepository.find(id: identity.userId, in: database) else {
            throw AppError.unauthenticated
        }
        let previousPhone = user.phone
        let previousEmailConfirmed = user.emailVerifiedAt != nil
        var details: [ErrorDetail] = []
        if let phone = patch.phone {
            switch Self.mobileNumber(phone) {
            case .success(let number): user.phone = number.e164
            case .failure(let issue): details.append(ErrorDetail(field: "phone", issue: issue.issue, message: issue.message))
            }
        }
        let previousEmail = user.email
        if let email = patch.email {
            let trimmed = email.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { user.email = nil }
            else if let address = EmailAddress(trimmed) { user.email = address.value }
            else { details.append(ErrorDetail(field: "email", issue: "format", message: "Enter an email address like name@example.no.")) }
        }
        if let locale = patch.locale {
            if CustomerLanguage(rawValue: locale) != nil { user.locale = locale }
            else {
                let codes = CustomerLanguage.allCases.map(\.rawValue).joined(separator: ", ")
                details.append(ErrorDetail(field: "locale", issue: "invalid", message: "Choose one of \(codes)."))
            }
        }
        guard details.isEmpty else { throw AppError.validation("Some fields need attention.", details: details) }
        let now = clock()
        if user.email != previousEmail || (previousPhone != nil && user.phone != previousPhone) {
            try await stepUp.require(identity, for: .contact, requestID: requestID, now: now)
        }
        user.updatedAt = now
        let changed = [patch.phone.map { _ in "phone" }, patch.email.map { _ in "email" }, patch.locale.map { _ in "locale" }].compactMap { $0 }
        let newEmail = user.email != previousEmail ? user.email : nil
        if user.email != previousEmail { user.emailVerifiedAt = nil }
        try await database.transaction { db in
            try await UserRepository.updateContact(userId: user.id, phone: user.phone, email: user.email, locale: user.locale, at: now, on: db)
            // A new address gets its confirmation link; nothing else is mailed to it until it is opened.
            if let newEmail { try await EmailConfirmationService.queue(userId: user.id, address: newEmail, at: now, on: db) }
            // The confirmed address it replaces hears of it, in case this wasn't them.
            if user.email != previousEmail, previousEmailConfirmed, let previousEmail {
                try await EmailChangeNotice.queue(userId: user.id, previousAddress: previousEmail, at: now, on: db)
            }
            // Which fields changed, never their values: the audit log holds no personal data.
            try await AuditLog.append(AuditEntry(actor: .user(id: user.id), action: "user.profile_updated",
                                                 entityType: "user", entityId: user.id,
                                                 data: ["fields": changed],
                                                 requestId: requestID), at: now, on: db)
        }
        return user
    }

    /// Whether the person wants email about their transfers (`notifyEmail`, on unless turned off).
    public func emailNotifications(userId: String) async throws -> Bool {
        Settings(try await database.withConnection { try await SettingsRepository.all(userId: userId, on: $0) }).notifyEmail
    }

    public func setEmailNotifications(userId: String, _ on: Bool) async throws {
        let now = clock()
        try await database.transaction { try await SettingsRepository.put(userId: userId, key: "notifyEmail", value: String(on), at: now, on: $0) }
    }

    public func consents(userId: String) async throws -> [ConsentView] {
        let latest = try await database.withConnection { try await ConsentRepository.latest(userId: userId, on: $0) }
        return ConsentType.allCases.map { ConsentView(type: $0, latest: latest[$0.rawValue]) }
    }

    /// Grants must name the current version of the text; withdrawing is always allowed.
    public func recordConsent(userId: String, _ input: ConsentInput, requestID: String) async throws -> ConsentView {
        guard let type = ConsentType(rawValue: input.type) else {
            throw AppError.validation("Unknown consent type.", details: [ErrorDetail(field: "type", issue: "invalid", message: "Use terms, privacy or marketing.")])
        }
        if input.granted, input.version != type.currentVersion {
            throw AppError.validation("That is not the current version of the text.",
                                      details: [ErrorDetail(field: "version", issue: "outdated", message: "The current version is \(type.currentVersion).")])
        }
        let now = clock()
        let record = ConsentRecord(id: RecordID.make(), userId: userId, type: type.rawValue,
                                   version: input.version, granted: input.granted, recordedAt: now)
        try await database.transaction { db in
            try await ConsentRepository.insert(record, on: db)
            try await AuditLog.append(AuditEntry(actor: .user(id: userId),
                                                 action: input.granted ? "consent.granted" : "consent.withdrawn",
                                                 entityType: "consent", entityId: record.id,
                                                 data: ["type": type.rawValue, "version": "\(record.version)"],
                                                 requestId: requestID), at: now, on: db)
        }
        return ConsentView(type: type, latest: record)
    }

    static func mobileNumber(_ input: String) -> Result<NorwegianMobileNumber, ValidationIssue> {
        do { return .success(try NorwegianMobileNumber(input)) } catch { return .failure(error) }
    }

}
