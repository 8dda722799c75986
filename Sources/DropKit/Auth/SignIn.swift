import Foundation
import Observation

/// The app's BankID sign-in (PKCE): open `authorizeURL` in the system browser
/// (`ASWebAuthenticationSession` with callback scheme `drop`); BankID sends the browser to Drop,
/// which answers `drop://auth/callback?code=…` (or `?error=…`); the app exchanges the code with
/// its verifier for a session token (`DropClient.exchange`).
public enum SignIn {
    /// `{baseURL}/v1/auth/bankid/start?client=mobile&code_challenge=…`; `stepUp` asks BankID for a fresh authentication.
    public static func authorizeURL(baseURL: URL, pkce: PKCE, stepUp: Bool = false) -> URL {
        var components = URLComponents(url: baseURL.appendingPathComponent("v1/auth/bankid/start"), resolvingAgainstBaseURL: false)!
        components.queryItems = [URLQueryItem(name: "client", value: "mobile"), URLQueryItem(name: "code_challenge", value: pkce.challenge)]
            + (stepUp ? [URLQueryItem(name: "step_up", value: "true")] : [])
        return components.url!
    }

    /// The scheme `ASWebAuthenticationSession` waits for.
    public static let callbackScheme = "drop"
}

/// Who is signed in, as the app's root view shows it. Starts `.unknown`; `restore()` reads the
/// kept token. Any call that finds the session over (expired, revoked on another device) moves
/// it to `.signedOut(.expired)` through `report(_:)`, so every screen recovers the same way.
@Observable
@MainActor
public final class SessionModel {
    public enum State: Sendable, Equatable {
        case unknown
        case signedOut(SignedOutReason?)
        /// The browser is open at BankID.
        case signingIn
        case signedIn(User)
    }

    public enum SignedOutReason: Sendable, Equatable {
        /// The session expired or was ended elsewhere: sign in again.
        case expired
        /// The person signed out.
        case signedOut
        /// BankID or Drop refused the sign-in (`AGE_RESTRICTED`, `INVALID_STATE`, …).
        case failed(String)
        /// The account was erased.
        case erased
    }

    public private(set) var state: State = .unknown
    public private(set) var problem: Problem?
    public let client: DropClient
    /// This phone's `DeviceID` (`DeviceID.kept(in:)`), sent with every sign-in so a sign-in from another phone is
    /// told to the customer. Without one, Drop counts every sign-in from this app as a new phone and tells them.
    public let deviceId: String?
    private var pending: PKCE?

    public init(client: DropClient, deviceId: String? = nil) {
        self.client = client
        self.deviceId = deviceId
    }

    public var user: User? {
        if case .signedIn(let user) = state { return user }
        return nil
    }

    /// Reads the kept token and checks it with the server.
    public func restore() async {
        guard await client.tokens.load() != nil else {
            state = .signedOut(nil)
            return
        }
        do {
            state = .signedIn(try await client.me())
            problem = nil
        } catch {
            // An ended session signs out; offline or a Drop outage keeps the token and stays
            // `.unknown` with the problem shown, so the app offers to try again instead of signing in.
            let problem = Problem(error)
            self.problem = problem
            report(problem)
        }
    }

    /// A fresh PKCE pair and the URL to open in the system browser.
    public func beginSignIn(stepUp: Bool = false) -> URL {
        let pkce = PKCE()
        pending = pkce
        state = .signingIn
        problem = nil
        return SignIn.authorizeURL(baseURL: client.baseURL, pkce: pkce, stepUp: stepUp)
    }

    /// Handles `drop://auth/callback`; returns false for links that are not the sign-in's.
    @discardableResult
    public func open(_ link: DeepLink) async -> Bool {
        switch link {
        case .authCallback(let code):
            guard let pkce = pending else {
                // A code nobody here asked for (an old or planted link): never exchanged.
                state = .signedOut(.failed("INVALID_STATE"))
                return true
            }
            pending = nil
            do {
                let issued = try await client.exchange(code: code, verifier: pkce.verifier, deviceId: deviceId)
                state = .signedIn(issued.user)
                problem = nil
            } catch {
                let problem = Problem(error)
                self.problem = problem
                state = .signedOut(.failed(problem.code ?? "SIGN_IN_FAILED"))
            }
            return true
        case .authFailed(let error):
            pending = nil
            state = .signedOut(.failed(error))
            return true
        default:
            return false
        }
    }

    /// The person closed the browser without finishing.
    public func cancelSignIn() {
        pending = nil
        if case .signingIn = state { state = .signedOut(nil) }
    }

    /// Updates the shown user after a profile change.
    public func update(_ user: User) {
        if case .signedIn = state { state = .signedIn(user) }
    }

    /// Every view model reports its failures here; an ended session signs the app out.
    public func report(_ problem: Problem) {
        if problem == .signedOut {
            state = .signedOut(.expired)
        }
    }

    public func signOut() async {
        await client.signOut()
        state = .signedOut(.signedOut)
    }

    /// Ends every session of this customer, on every device.
    public func signOutEverywhere() async {
        do {
            try await client.signOutEverywhere()
            state = .signedOut(.signedOut)
        } catch {
            problem = Problem(error)
            report(Problem(error))
        }
    }

    /// After the account was erased.
    func erased() {
        state = .signedOut(.erased)
    }
}
