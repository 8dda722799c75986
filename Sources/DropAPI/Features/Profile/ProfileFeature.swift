import DropCore
import DropStore
import Foundation
import Hummingbird

/// `/v1/me`, `/v1/me/settings`, `/v1/consents`: the signed-in customer's own data.
struct ProfileFeature: AppFeature {
    func addRoutes(to router: Router<AppRequestContext>, services: AppServices) {
        let me = router.group("/v1").add(middleware: RequireRole(.user))
        let profiles = services.profiles

        me.get("/me") { _, context in
            JSON.response(json: UserView(try await services.sessions.currentUser(context)).json)
        }

        me.patch("/me") { request, context in
            let patch = try await request.decodeJSON(ProfilePatch.self, context: context)
            let user = try await profiles.update(try context.requireIdentity(), with: patch, requestID: context.requestID)
            return JSON.response(json: UserView(user).json)
        }

        me.get("/me/settings") { _, context in
            let identity = try context.requireIdentity()
            let stored = try await services.database.withConnection { try await SettingsRepository.all(userId: identity.userId, on: $0) }
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
            try JSON.response(Page(items: try await profiles.consents(userId: try context.requireIdentity().userId)))
        }

        me.post("/consents") { request, context in
            let input = try await request.decodeJSON(ConsentInput.self, context: context)
            let view = try await profiles.recordConsent(userId: try context.requireIdentity().userId, input, requestID: context.requestID)
            return try JSON.response(view, status: .created)
        }
    }
}

public struct ProfilePatch: Decodable, Sendable {
    public var phone: String?
    public var email: String?
    public var locale: String?

    public init(phone: String? = nil, email: String? = nil, locale: String? = nil) {
        self.phone = phone
        self.email = email
        self.locale = locale
    }
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

public struct ConsentInput: Decodable, Sendable {
    public let type: String
    public let version: String
    public let granted: Bool

    public init(type: String, version: String, granted: Bool) {
        self.type = type
        self.version = version
        self.granted = granted
    }
}

public struct ConsentView: Encodable, Sendable {
    public let type: String
    public let currentVersion: String
    public let required: Bool
    public let granted: Bool
    public let version: String?
    public let grantedAt: Date?

    init(type: ConsentType, latest: ConsentRecord?) {
        self.type = type.rawValue
        currentVersion = type.currentVersion
        required = type.isRequired
        granted = latest?.granted == true && latest?.version == type.currentVersion
        version = latest?.version
        grantedAt = latest?.granted == true ? latest?.recordedAt : nil
    }
}
