import DropCore
import DropStore
import Foundation
import HTTPTypes
import Hummingbird

/// `/v1/auth/*`: BankID sign-in for web and app, the app's code exchange, logout, who am I.
struct AuthFeature: AppFeature {
    func addRoutes(to router: Router<AppRequestContext>, services: AppServices) {
        let signIn = services.signIn
        let auth = router.group("/v1/auth")
        let secureCookies = services.config.environment != .development

        auth.get("/bankid/start") { request, _ in
            let query = request.uri.queryParameters
            guard let client = SignInService.Client(rawValue: query.get("client") ?? "web") else {
                throw AppError.validation("client must be web or mobile.", details: [ErrorDetail(field: "client", issue: "invalid")], status: .badRequest)
            }
            // `step_up=true`: an admin whose sign-in is too old for admin actions asks BankID for a fresh one.
            let stepUp: Bool
            switch query.get("step_up") {
            case nil, "false"?: stepUp = false
            case "true"?: stepUp = true
            default: throw AppError.validation("step_up must be true or false.", details: [ErrorDetail(field: "step_up", issue: "invalid")], status: .badRequest)
            }
            let started = try await signIn.start(client: client, redirectPath: query.get("redirect"), appCodeChallenge: query.get("code_challenge"),
                                                 stepUp: stepUp)
            var headers: HTTPFields = [.location: started.url, .cacheControl: "no-store"]
            if client == .web { headers[.setCookie] = LoginBinding.setCookie(state: started.state, secure: secureCookies) }
            return Response(status: .found, headers: headers)
        }

        auth.get("/bankid/callback") { request, _ in
            let query = request.uri.queryParameters
            // The binding cookie is single-use: cleared whatever the outcome.
            let binding = request.cookie(LoginBinding.cookieName)
            let clearBinding = LoginBinding.clearCookie(secure: secureCookies)
            // This browser's id: kept if it has a good one, otherwise a new one (a browser Drop hasn't seen).
            let device = SignInDevice.sentOrNew(request.cookie(SignInDevice.cookieName))
            do {
                switch try await signIn.callback(code: query.get("code"), state: query.get("state"), providerError: query.get("error"), binding: binding,
                                                 device: device) {
                case .web(let token, _, let next):
                    var headers: HTTPFields = [.location: next, .cacheControl: "no-store"]
                    headers.append(HTTPField(name: .setCookie, value: Self.sessionCookie(token, maxAge: Int(SignInService.webSessionLifetime), secure: secureCookies)))
                    headers.append(HTTPField(name: .setCookie, value: clearBinding))
                    headers.append(HTTPField(name: .setCookie, value: SignInDevice.setCookie(device, secure: secureCookies)))
                    return Response(status: .found, headers: headers)
                case .mobile(let code):
                    return Response(status: .found, headers: [.location: "drop://auth/callback?code=\(code)", .cacheControl: "no-store"])
                }
            } catch let failure as SignInService.Failure {
                if failure.client == .mobile {
                    return Response(status: .found, headers: [.location: "drop://auth/callback?error=\(failure.code)", .cacheControl: "no-store"])
                }
                return Response(status: .found, headers: [.location: "/login?error=\(failure.code)", .cacheControl: "no-store", .setCookie: clearBinding])
            }
        }

        auth.post("/token") { request, context in
            // `deviceId`: the id the app keeps for this phone (32 random bytes, base64url), to tell the customer about a new phone;
            // without one (or with a malformed one) the phone counts as new.
            struct Exchange: Decodable { let code: String; let codeVerifier: String; let deviceId: String? }
            struct Issued: Encodable { let token: String; let expiresAt: Date; let user: UserView }
            let body = try await request.decodeJSON(Exchange.self, context: context)
            let issued = try await signIn.exchangeAppCode(code: body.code, codeVerifier: body.codeVerifier, device: body.deviceId)
            return try JSON.response(Issued(token: issued.token, expiresAt: issued.expiresAt, user: UserView(issued.user)),
                                     headers: [.cacheControl: "no-store"])
        }

        let signedIn = auth.group().add(middleware: RequireRole(.user))
        signedIn.post("/logout") { _, context in
            try await services.sessions.end(try context.requireIdentity(), requestID: context.requestID)
            return Response(status: .noContent, headers: [.setCookie: services.sessions.expiredCookie])
        }
        // The app's "sign out everywhere" (the web's is `POST /profile/logout-everywhere`).
        signedIn.post("/logout-all") { _, context in
            try await services.sessions.endAll(userId: try context.requireIdentity().userId, requestID: context.requestID)
            return Response(status: .noContent, headers: [.setCookie: services.sessions.expiredCookie])
        }
        signedIn.get("/me") { _, context in
            try JSON.response(UserView(try await services.sessions.currentUser(context)))
        }
    }

    /// Development: the sandbox admin exists (with role admin) before his first sign-in, so the
    /// admin screens have someone to show. Other persons are created when they sign in. Not while
    /// sign-in is a real BankID, where his number could be someone's.
    func seedDemoData(_ services: AppServices) async throws -> [String] {
        var created: [String] = []
        guard services.config.signsInAtSandboxBankID else { return created }
        let now = services.clock()
        for id in DevelopmentRoles.admins {
            guard let number = try? NationalIdentityNumber(id) else { continue }
            let pidHash = services.pidHasher.hash(number)
            let exists = try await services.database.withConnection { try await UserRepository.find(pidHash: pidHash, on: $0) } != nil
            if exists { continue }
            let givenName = DevelopmentRoles.givenNames[id] ?? "Admin"
            let user = UserRecord(
                id: RecordID.make(), pidHash: pidHash, name: "\(givenName) Admin", givenName: givenName, familyName: "Admin",
                birthdate: number.birthDate.iso, phone: nil, email: nil, role: .admin,
                kycStatus: .none, kycApplicantId: nil, riskLevel: .low, isPep: false, isSanctioned: false,
                locale: "nb", createdAt: now, updatedAt: now, deletedAt: nil)
            try await services.database.transaction { db in
                try await UserRepository.insert(user, on: db)
                try await AuditLog.append(AuditEntry(actor: .system, action: "user.seeded", entityType: "user",
                                                     entityId: user.id, data: ["role": UserRole.admin]), at: now, on: db)
            }
            created.append("admin user (\(givenName) Admin)")
        }
        return created
    }

    static func sessionCookie(_ token: String, maxAge: Int, secure: Bool) -> String {
        "\(SessionAuthenticator.cookieName)=\(token); Path=/; Max-Age=\(maxAge); HttpOnly; SameSite=Lax" + (secure ? "; Secure" : "")
    }
}

extension AppRequestContext {
    /// The signed-in caller; routes behind `RequireRole` always have one.
    public func requireIdentity() throws -> Identity {
        guard let identity else { throw AppError.unauthenticated }
        return identity
    }
}
