import DropCore
import DropStore
import Foundation
import Hummingbird
import Logging

/// BankID sign-in (authorization code + PKCE), for the web and for the app. docs/flows.md, "Sign-in".
public struct SignInService: Sendable {
    public enum Client: String, Sendable { case web, mobile }

    let database: Database
    let provider: any IdentityProvider
    let tokens: SessionTokens
    let hasher: PidHasher
    /// Seals the person's national identity number, which their bank will know them by.
    let pidCipher: PidCipher
    let publicBaseURL: PublicBaseURL
    /// Sign-in is the BankID sandbox (`AppConfig.signsInAtSandboxBankID`): the sandbox persons get their roles.
    let grantsDevelopmentRoles: Bool
    let clock: @Sendable () -> Date
    let logger: Logger

    static let loginLifetime: TimeInterval = 10 * 60
    static let appCodeLifetime: TimeInterval = 2 * 60
    public static let webSessionLifetime: TimeInterval = 24 * 3600
    public static let mobileSessionLifetime: TimeInterval = 7 * 24 * 3600

    var redirectURI: String { publicBaseURL.url + "/v1/auth/bankid/callback" }

    /// Remembers the attempt and returns the provider's authorize URL to send the browser to, and
    /// the state the web flow binds to the starting browser (`LoginBinding`). A `stepUp` asks BankID
    /// for a fresh authentication (`prompt=login`, `max_age=0`), which the callback then insists on.
    public func start(client: Client, redirectPath: String?, appCodeChallenge: String?, stepUp: Bool = false) async throws -> (url: String, state: String) {
        if client == .mobile, appCodeChallenge.map(Self.isChallenge) != true {
            throw AppError.validation("The app must send a PKCE code_challenge (S256).",
                                      details: [ErrorDetail(field: "code_challenge", issue: "required")], status: .badRequest)
        }
        let now = clock()
        let verifier = PKCE.randomToken()
        let login = OIDCLoginRecord(
            id: RecordID.make(), state: PKCE.randomToken(), nonce: PKCE.randomToken(), codeVerifier: verifier,
            client: client.rawValue, redirectPath: redirectPath.flatMap(Self.safeRedirectPath), appCodeChallenge: appCodeChallenge,
            createdAt: now, expiresAt: now.addingTimeInterval(Self.loginLifetime), maxAge: stepUp ? 0 : nil)
        try await database.withConnection { try await OIDCLoginRepository.insert(login, on: $0) }
        let url = try await provider.authorizationURL(state: login.state, nonce: login.nonce,
                                                      codeChallenge: PKCE.challenge(for: verifier), redirectURI: redirectURI, maxAge: login.maxAge)
        return (url, login.state)
    }

    public enum Outcome: Sendable {
        /// Web: a session token for the cookie, and where to go next.
        case web(token: String, user: UserRecord, next: String)
        /// App: the one-time code the app exchanges with its PKCE verifier.
        case mobile(code: String)
    }

    public struct Failure: Error, Sendable {
        public let code: String
        public let client: Client
    }

    /// The provider sent the browser back. Errors carry the client so the caller can redirect properly.
    /// `binding` is the login cookie the browser sent: a web attempt only completes in the browser
    /// that started it (login CSRF); the app's attempts are bound by PKCE instead.
    /// `device`: the browser's `drop_device` id, to tell the customer about a sign-in from a new one.
    public func callback(code: String?, state: String?, providerError: String?, binding: String?, device: String? = nil) async throws -> Outcome {
        let now = clock()
        guard let state else { throw Failure(code: "INVALID_STATE", client: .web) }
        let startedHere = LoginBinding.matches(cookie: binding, state: state)
        guard let login = try await database.withConnection({
            try await OIDCLoginRepository.consume(state: state, startedHere: startedHere, at: now, on: $0)
        }) else {
            throw Failure(code: "INVALID_STATE", client: .web)
        }
        let client = Client(rawValue: login.client) ?? .web
        if providerError != nil { throw Failure(code: "SIGN_IN_CANCELLED", client: client) }
        guard let code, !code.isEmpty else { throw Failure(code: "INVALID_REQUEST", client: client) }
        let person: SignedInPerson
        do {
            person = try await provider.exchange(code: code, codeVerifier: login.codeVerifier, nonce: login.nonce, redirectURI: redirectURI,
                                                 maxAge: login.maxAge)
        } catch is StaleAuthentication {
            try await auditStaleStepUp(loginId: login.id, now: now)
            throw Failure(code: "STEP_UP_FAILED", client: client)
        } catch {
            logger.warning("sign-in exchange failed", metadata: ["error_type": .string(String(describing: type(of: error)))])
            throw Failure(code: "SIGN_IN_FAILED", client: client)
        }
        // Whatever the provider (or a fake of it) checked: a step-up must come back with a recent `auth_time`.
        if let maxAge = login.maxAge {
            guard let authTime = person.authenticatedAt,
                  StepUpPolicy(maxAge: maxAge + Int(StepUpPolicy.clockSkew)).isFresh(authenticatedAt: authTime, now: now) else {
                try await auditStaleStepUp(loginId: login.id, now: now)
                throw Failure(code: "STEP_UP_FAILED", client: client)
            }
        }
        let authenticatedAt = StepUpPolicy.sessionAuthenticationTime(authTime: person.authenticatedAt, now: now)
        // Under-18s are turned away before anything about them is stored.
        guard AgePolicy.isAdult(born: person.birthDate, on: OsloCalendar.today(now)) else {
            throw Failure(code: "AGE_RESTRICTED", client: client)
        }
        let user = try await upsertUser(person, now: now)
        let stepUp = login.maxAge != nil
        switch client {
        case .web:
            let token = try await createSession(user: user, client: .web, now: now, authenticatedAt: authenticatedAt, stepUp: stepUp, device: device)
            let onboarded = user.phone != nil && user.kycStatus != .none
            return .web(token: token, user: user, next: onboarded ? (login.redirectPath ?? "/dashboard") : "/onboarding")
        case .mobile:
            let oneTimeCode = PKCE.randomToken()
            try await database.withConnection { db in
                try await OIDCLoginRepository.attachAppCode(id: login.id, codeHash: Hex.sha256(of: oneTimeCode), userId: user.id,
                                                            expiresAt: now.addingTimeInterval(Self.appCodeLifetime),
                                                            authenticatedAt: authenticatedAt, on: db)
            }
            return .mobile(code: oneTimeCode)
        }
    }

    /// The app exchanges its one-time code plus the PKCE verifier it started with for a 7-day token.
    public func exchangeAppCode(code: String, codeVerifier: String, device: String? = nil) async throws -> (token: String, expiresAt: Date, user: UserRecord) {
        let now = clock()
        let invalid = AppError(.badRequest, code: "INVALID_GRANT", message: "The code is invalid, expired or already used.")
        guard let login = try await database.withConnection({ try await OIDCLoginRepository.redeemAppCode(hash: Hex.sha256(of: code), at: now, on: $0) }),
              let challenge = login.appCodeChallenge, PKCE.isValidVerifier(codeVerifier), PKCE.challenge(for: codeVerifier) == challenge,
              let userId = login.userId,
              let user = try await UserRepository.find(id: userId, in: database)
        else { throw invalid }
        let token = try await createSession(user: user, client: .mobile, now: now, authenticatedAt: login.authenticatedAt ?? now,
                                            stepUp: login.maxAge != nil, device: device)
        return (token, now.addingTimeInterval(Self.mobileSessionLifetime), user)
    }

    /// `device` (a `SignInDevice` id): a device new to a customer who has signed in elsewhere before is
    /// told to them, in the session's transaction. No id, or a malformed one, is a device never seen.
    func createSession(user: UserRecord, client: Client, now: Date, authenticatedAt: Date, stepUp: Bool = false,
                       device: String? = nil) async throws -> String {
        let device = SignInDevice.sentOrNew(device)
        let lifetime = client == .web ? Self.webSessionLifetime : Self.mobileSessionLifetime
        let session = SessionRecord(id: RecordID.make(), userId: user.id, client: client.rawValue,
                                    createdAt: now, expiresAt: now.addingTimeInterval(lifetime), authenticatedAt: authenticatedAt)
        try await database.transaction { db in
            try await SessionRepository.insert(session, on: db)
            try await AuditLog.append(AuditEntry(actor: .user(id: user.id), action: "session.created", entityType: "session",
                                                 entityId: session.id, data: ["client": client.rawValue]), at: now, on: db)
            if stepUp {
                try await AuditLog.append(AuditEntry(actor: .user(id: user.id), action: "session.stepped_up", entityType: "session",
                                                     entityId: session.id, data: ["client": client.rawValue]), at: now, on: db)
            }
            if try await KnownDeviceRepository.remember(userId: user.id, deviceSHA256: SignInDevice.hash(device), client: client.rawValue, at: now, on: db) {
                try await NotificationRepository.insert(NotificationRecord(
                    userId: user.id, kind: .accountNewSignIn, title: "New sign-in to Drop",
                    body: "Someone signed in to your Drop account on a browser or phone we haven't seen before. If it wasn't you, sign out everywhere under Profile.",
                    createdAt: now), on: db)
            }
        }
        return try await tokens.sign(sessionId: session.id, userId: user.id, issuedAt: now, expiresAt: session.expiresAt)
    }

    /// A step-up that came back without a fresh BankID authentication: audited with no person
    /// named (the ID token's person is not trusted enough to be recorded as the actor).
    func auditStaleStepUp(loginId: String, now: Date) async throws {
        logger.notice("step-up sign-in refused: the BankID authentication was not fresh")
        try await database.transaction { db in
            try await AuditLog.append(AuditEntry(actor: .system, action: "session.step_up_refused", entityType: "oidc_login",
                                                 entityId: loginId, data: ["reason": "stale_auth_time"]), at: now, on: db)
        }
    }

    /// Finds the customer by pid hash or creates them; refreshes the name BankID reports and
    /// keeps the number sealed, for naming the PSU at the bank (customers from before get it here).
    func upsertUser(_ person: SignedInPerson, now: Date) async throws -> UserRecord {
        do {
            return try await findOrCreate(person, now: now)
        } catch where classifyDatabaseError(error) == .uniqueViolation {
            // The same person's first sign-in on another device committed between our read and our
            // insert (one active row per pid hash): they exist now, and this finds them.
            return try await findOrCreate(person, now: now)
        }
    }

    private func findOrCreate(_ person: SignedInPerson, now: Date) async throws -> UserRecord {
        let pidHash = hasher.hash(person.nationalId)
        let role = grantsDevelopmentRoles ? DevelopmentRoles.role(for: pidHash, hasher: hasher) : nil
        let cipher = pidCipher
        let previousHash = hasher.previousHash(person.nationalId)
        let pepperId = hasher.id
        return try await database.transaction { db in
            // During a pepper rotation the person may still be under the previous hash: their rows (the
            // active one and any erased ones AML keeps) move to the current hash first, in this transaction,
            // so they are found, never created again. Two sign-ins at once: the second's move waits for the
            // first's and then finds nothing to move; it finds the row under the current hash.
            if let previousHash { try await UserRepository.movePidHash(from: previousHash, to: pidHash, on: db) }
            if var user = try await UserRepository.find(pidHash: pidHash, on: db) {
                user.name = person.name
                user.givenName = person.givenName
                user.familyName = person.familyName
                user.birthdate = person.birthDate.iso
                user.updatedAt = now
                try await UserRepository.updateIdentity(userId: user.id, name: user.name, givenName: user.givenName, familyName: user.familyName,
                                                        birthdate: user.birthdate, at: now, on: db)
                // A development role is given only to a plain customer, never over one given since.
                if let role, user.role == .user, try await UserRepository.setRole(userId: user.id, to: role, from: .user, at: now, on: db) {
                    user.role = role
                }
                try await UserRepository.setSealedPid(userId: user.id, sealed: try cipher.seal(person.nationalId, userId: user.id, pepperId: pepperId), on: db)
                return user
            }
            // Someone who erased an earlier account starts from what AML's kept records say of them.
            let standing = ComplianceStanding.carriedOver(from: try await UserRepository.erasedStandings(pidHash: pidHash, on: db))
            let user = UserRecord(
                id: RecordID.make(), pidHash: pidHash, name: person.name, givenName: person.givenName,
                familyName: person.familyName, birthdate: person.birthDate.iso, phone: nil, email: nil,
                role: role ?? .user, kycStatus: standing.kycStatus, kycApplicantId: nil,
                riskLevel: standing.riskLevel, isPep: standing.isPEP, isSanctioned: standing.isSanctioned, locale: "nb",
                createdAt: now, updatedAt: now, deletedAt: nil)
            try await UserRepository.insert(user, on: db)
            try await UserRepository.setSealedPid(userId: user.id, sealed: try cipher.seal(person.nationalId, userId: user.id, pepperId: pepperId), on: db)
            try await AuditLog.append(AuditEntry(actor: .user(id: user.id), action: "user.created", entityType: "user",
                                                 entityId: user.id), at: now, on: db)
            return user
        }
    }

    /// Only paths on Drop itself: `/dashboard`, never `//evil.example` or `https://…`.
    static func safeRedirectPath(_ path: String) -> String? {
        guard path.hasPrefix("/"), !path.hasPrefix("//"), !path.contains("\\"), path.count <= longestRedirectPath,
              path.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else { return nil }
        return path
    }

    /// The longest way back a sign-in keeps. A one-purchase pay link is the longest page someone signed out
    /// is sent back to (a QR payer): `PaymentLink.longestPath`, 535. Twice that, so a reference whose letters
    /// carry marks (Arabic vowel signs: a character of several code points) still comes back; still a bounded
    /// row in `oidc_logins`.
    static let longestRedirectPath = 2 * PaymentLink.longestPath

    static func isChallenge(_ value: String) -> Bool {
        value.count == 43 && value.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
    }
}

/// Development conveniences tied to sandbox persons (only while sign-in is the BankID sandbox, never in
/// production): Anders and Berit Admin are admins (a held transfer's release takes two officers, ADR 0032)
/// and Mona Merchant owns a merchant, as docs/api.md's table says.
enum DevelopmentRoles {
    static let admins = ["04047510142", "12088210261"]
    /// Their given names, as the sandbox persons have them (seeded as "<name> Admin").
    static let givenNames = ["04047510142": "Anders", "12088210261": "Berit"]

    static func role(for pidHash: String, hasher: PidHasher) -> UserRole? {
        for id in admins {
            if let number = try? NationalIdentityNumber(id), hasher.hash(number) == pidHash { return .admin }
        }
        return nil
    }
}
