import DropCore
import DropStore
import Foundation
import Hummingbird

/// `/v1/me`, `/v1/me/settings`, `/v1/consents`: the signed-in customer's own data.
struct ProfileFeature: AppFeature {
    func addRoutes(to router: Router<AppRequestContext>, services: AppServices) {
        let me = router.group("/v1").add(middleware: RequireRole(.user))

        me.get("/me") { _, context in
            try JSON.response(UserView(try await services.currentUser(context)))
        }

        me.patch("/me") { request, context in
            let patch = try await request.decodeJSON(ProfilePatch.self, context: context)
            var user = try await services.currentUser(context)
            var details: [ErrorDetail] = []
            if let phone = patch.phone {
                do { user.phone = try NorwegianMobileNumber(phone).e164 } catch let issue as ValidationIssue {
                    details.append(ErrorDetail(field: "phone", issue: issue.issue, message: issue.message))
                }
            }
            if let email = patch.email {
                let trimmed = email.trimmingCharacters(in: .whitespaces)
                if trimmed.isEmpty { user.email = nil }
                else if Self.isPlausibleEmail(trimmed) { user.email = trimmed }
                else { details.append(ErrorDetail(field: "email", issue: "format", message: "Enter an email address like name@example.no.")) }
            }
            if let locale = patch.locale {
                if ["nb", "en"].contains(locale) { user.locale = locale }
                else { details.append(ErrorDetail(field: "locale", issue: "invalid", message: "Choose nb or en.")) }
            }
            guard details.isEmpty else { throw AppError.validation("Some fields need attention.", details: details) }
            let now = services.clock()
            user.updatedAt = now
            let changed = [patch.phone.map { _ in "phone" }, patch.email.map { _ in "email" }, patch.locale.map { _ in "locale" }].compactMap { $0 }
            try await services.database.transaction { db in
                try await UserRepository.update(user, on: db)
                // Which fields changed, never their values: the audit log holds no personal data.
                try await AuditLog.append(AuditEntry(actorType: "user", actorId: user.id, action: "user.profile_updated",
                                                     entityType: "user", entityId: user.id,
                                                     data: #"{"fields":[\#(changed.map { "\"\($0)\"" }.joined(separator: ","))]}"#,
                                                     requestId: context.requestID), at: now, on: db)
            }
            return try JSON.response(UserView(user))
        }

        me.get("/me/settings") { _, context in
            let identity = try context.requireIdentity()
            let stored = try await services.database.read { try await SettingsRepository.all(userId: identity.userId, on: $0) }
            return try JSON.response(Settings(stored))
        }

        me.put("/me/settings") { request, context in
            let identity = try context.requireIdentity()
            let settings = try await request.decodeJSON(Settings.self, context: context)
            let now = services.clock()
            try await services.database.transaction { db in
                for (key, value) in settings.pairs {
                    try await SettingsRepository.put(userId: identity.userId, key: key, value: value, at: now, on: db)
                }
            }
            return try JSON.response(settings)
        }

        me.get("/consents") { _, context in
            let identity = try context.requireIdentity()
            let latest = try await services.database.read { try await ConsentRepository.latest(userId: identity.userId, on: $0) }
            return try JSON.response(Page(items: ConsentType.allCases.map { ConsentView(type: $0, latest: latest[$0.rawValue]) }))
        }

        me.post("/consents") { request, context in
            let identity = try context.requireIdentity()
            let input = try await request.decodeJSON(ConsentInput.self, context: context)
            guard let type = ConsentType(rawValue: input.type) else {
                throw AppError.validation("Unknown consent type.", details: [ErrorDetail(field: "type", issue: "invalid", message: "Use terms, privacy or marketing.")])
            }
            // Granting an outdated text is refused; withdrawing is always allowed.
            if input.granted, input.version != type.currentVersion {
                throw AppError.validation("That is not the current version of the text.",
                                          details: [ErrorDetail(field: "version", issue: "outdated", message: "The current version is \(type.currentVersion).")])
            }
            let now = services.clock()
            let record = ConsentRecord(id: UUID().uuidString.lowercased(), userId: identity.userId, type: type.rawValue,
                                       version: input.version, granted: input.granted, recordedAt: now)
            try await services.database.transaction { db in
                try await ConsentRepository.insert(record, on: db)
                try await AuditLog.append(AuditEntry(actorType: "user", actorId: identity.userId,
                                                     action: input.granted ? "consent.granted" : "consent.withdrawn",
                                                     entityType: "consent", entityId: record.id,
                                                     data: #"{"type":"\#(type.rawValue)","version":"\#(record.version)"}"#,
                                                     requestId: context.requestID), at: now, on: db)
            }
            return try JSON.response(ConsentView(type: type, latest: record), status: .created)
        }
    }

    static func isPlausibleEmail(_ value: String) -> Bool {
        let parts = value.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !parts[1].hasPrefix(".")
            && !parts[1].hasSuffix(".") && value.count <= 254 && !value.contains(where: \.isWhitespace)
    }
}

struct ProfilePatch: Decodable {
    let phone: String?
    let email: String?
    let locale: String?
}

/// Preferences with defaults; stored as key/value rows.
struct Settings: Codable {
    var notifyEmail: Bool
    var notifyPush: Bool
    var theme: String

    init(_ stored: [String: String]) {
        notifyEmail = stored["notifyEmail"].map { $0 == "true" } ?? true
        notifyPush = stored["notifyPush"].map { $0 == "true" } ?? true
        theme = stored["theme"] ?? "system"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        notifyEmail = try container.decode(Bool.self, forKey: .notifyEmail)
        notifyPush = try container.decode(Bool.self, forKey: .notifyPush)
        theme = try container.decode(String.self, forKey: .theme)
        guard ["system", "light", "dark"].contains(theme) else {
            throw AppError.validation("Unknown theme.", details: [ErrorDetail(field: "theme", issue: "invalid", message: "Use system, light or dark.")])
        }
    }

    var pairs: [(String, String)] { [("notifyEmail", String(notifyEmail)), ("notifyPush", String(notifyPush)), ("theme", theme)] }
}

struct ConsentInput: Decodable {
    let type: String
    let version: String
    let granted: Bool
}

struct ConsentView: Encodable {
    let type: String
    let currentVersion: String
    let required: Bool
    let granted: Bool
    let version: String?
    let grantedAt: Date?

    init(type: ConsentType, latest: ConsentRecord?) {
        self.type = type.rawValue
        currentVersion = type.currentVersion
        required = type.isRequired
        granted = latest?.granted == true && latest?.version == type.currentVersion
        version = latest?.version
        grantedAt = latest?.granted == true ? latest?.recordedAt : nil
    }
}

/// Every collection answers `{"items":[…],"nextCursor":…}`.
public struct Page<Item: Encodable>: Encodable {
    public let items: [Item]
    public let nextCursor: String?

    public init(items: [Item], nextCursor: String? = nil) {
        self.items = items
        self.nextCursor = nextCursor
    }

    enum CodingKeys: CodingKey { case items, nextCursor }

    // nextCursor is always present, null on the last page.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(items, forKey: .items)
        try container.encode(nextCursor, forKey: .nextCursor)
    }
}
