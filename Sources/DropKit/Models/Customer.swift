import Foundation

// The customer: who is signed in, their settings, consents and identity check.
// Field names and optionality follow `components.schemas` in openapi.json; the contract test
// (`DropKitContractTests`) decodes a live server's answers with these types.

public enum KYCState: String, Codable, Sendable, Hashable, CaseIterable {
    case none, pending, approved, rejected, retry
}

public enum Role: String, Codable, Sendable, Hashable {
    case user, merchant, admin
}

/// The languages Drop speaks (the server's `CustomerLanguage`); Arabic and Urdu are right to left.
public enum Language: String, Codable, Sendable, Hashable, CaseIterable {
    case nb, en, pl, ar, so, ur
}

/// `User`
public struct User: Codable, Sendable, Hashable, Identifiable {
    public let id: String
    public let name: String?
    public let givenName: String?
    public let familyName: String?
    /// `YYYY-MM-DD`
    public let birthdate: String?
    public let phone: String?
    public let email: String?
    /// Whether the person opened the confirmation link sent to `email`; Drop mails only a confirmed address.
    public let emailVerified: Bool
    public let role: Role
    public let kycStatus: KYCState
    public let locale: Language
    public let createdAt: Date

    /// Onboarding is done when the phone is known; consents and KYC are asked for separately.
    public var hasPhone: Bool { !(phone ?? "").isEmpty }
}

/// `EmailConfirmation`: the token of the link in the confirmation email.
public struct EmailConfirmation: Codable, Sendable, Hashable {
    public let token: String
    public init(token: String) { self.token = token }
}

/// `EmailConfirmed`
public struct EmailConfirmed: Codable, Sendable, Hashable {
    public let emailVerified: Bool
}

/// `TokenExchange`: the PKCE code exchange.
public struct TokenExchange: Codable, Sendable, Hashable {
    public let code: String
    public let codeVerifier: String
    /// This phone's id (32 random bytes, base64url), kept by the app across sign-ins: a sign-in from a
    /// phone Drop hasn't seen is told to the customer. `DeviceID.make()` makes one. Left out (or malformed), the
    /// phone counts as one Drop hasn't seen.
    public let deviceId: String?
    public init(code: String, codeVerifier: String, deviceId: String? = nil) {
        self.code = code
        self.codeVerifier = codeVerifier
        self.deviceId = deviceId
    }
}

/// A phone's id for `TokenExchange.deviceId`: made once, kept with the app's data (the Keychain on iOS).
public enum DeviceID {
    public static func make() -> String {
        // The same shape as a PKCE verifier: 32 bytes from the secure generator, base64url.
        PKCE().verifier
    }

    /// This phone's id: the one kept in `store`, or a new one kept there now. Keep it apart from the
    /// session token's store (its own Keychain item or file): signing out forgets the token, never the
    /// phone, or every sign-in after a sign-out would be told to the customer as a new phone.
    public static func kept(in store: some TokenStore) async -> String {
        if let kept = await store.load() { return kept }
        let made = make()
        await store.save(made)
        return made
    }
}

/// `IssuedToken`
public struct IssuedToken: Codable, Sendable, Hashable {
    public let token: String
    public let expiresAt: Date
    public let user: User
}

/// `ProfilePatch`: only the fields set are changed.
public struct ProfilePatch: Codable, Sendable, Hashable {
    public var phone: String?
    public var email: String?
    public var locale: Language?
    public init(phone: String? = nil, email: String? = nil, locale: Language? = nil) {
        self.phone = phone
        self.email = email
        self.locale = locale
    }
}

public enum Theme: String, Codable, Sendable, Hashable, CaseIterable {
    case system, light, dark
}

/// `Settings`
public struct Settings: Codable, Sendable, Hashable {
    public var notifyEmail: Bool
    public var notifyPush: Bool
    public var theme: Theme
    public init(notifyEmail: Bool, notifyPush: Bool, theme: Theme) {
        self.notifyEmail = notifyEmail
        self.notifyPush = notifyPush
        self.theme = theme
    }
}

public enum ConsentType: String, Codable, Sendable, Hashable, CaseIterable {
    case terms, privacy, marketing
}

/// `ConsentInput`
public struct ConsentInput: Codable, Sendable, Hashable {
    public let type: ConsentType
    public let version: String
    public let granted: Bool
    public init(type: ConsentType, version: String, granted: Bool) {
        self.type = type
        self.version = version
        self.granted = granted
    }
}

/// `Consent`: what the customer agreed to, and the version they would agree to now.
public struct Consent: Codable, Sendable, Hashable {
    public let type: ConsentType
    public let currentVersion: String
    public let required: Bool
    public let granted: Bool
    public let version: String?
    public let grantedAt: Date?

    /// Granted, and to the current version.
    public var isCurrent: Bool { granted && version == currentVersion }
}

/// `KYCStart`: what the identity check's SDK needs.
public struct KYCStart: Codable, Sendable, Hashable {
    public let applicantId: String
    public let accessToken: String
    public let sdkUrl: URL
}

/// `KYCStatus`
public struct KYCStatus: Codable, Sendable, Hashable {
    public let status: KYCState
    public let rejectLabels: [String]
}
