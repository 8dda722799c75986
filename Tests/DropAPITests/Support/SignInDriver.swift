import Crypto
import DropCore
import DropKit
import Foundation
@testable import DropAPI

/// Signs a sandbox person in through the real flow: Drop → BankID sandbox sign-in page → Drop.
extension LiveServer {
    /// Follows `start` to the sandbox's page, submits the form with `nationalId`, and returns the
    /// sandbox's redirect back to Drop (not yet followed) and, for the web flow, the login cookie
    /// `start` set, as headers to send with the callback (the browser that started it would).
    func approveAtBankID(startURL: String, nationalId: String, action: String = "sign_in") async throws -> (back: Reply, browser: [(String, String)]) {
        let start = try await get(startURL)
        guard start.status == 302, let authorize = start.location else { throw DriverError("start answered \(start.status)") }
        let browser = start.cookie("drop_login").map { [("cookie", "drop_login=\($0)")] } ?? []
        let page = try await get(authorize)
        guard page.status == 200, let form = HTMLForm(html: page.body) else { throw DriverError("sign-in page answered \(page.status)") }
        let target = form.action.hasPrefix("http") ? form.action : baseURL + form.action
        return (try await postForm(target, form.fields + [("nationalId", nationalId), ("action", action)]), browser)
    }

    /// The web flow: returns the callback's reply (a redirect carrying the session cookie).
    /// `device`: the browser's `drop_device` cookie; by default one per person, so a person's test sign-ins
    /// come from the same browser (nil: a browser that never signed in here).
    func signInWeb(_ nationalId: String, device: String? = "default") async throws -> Reply {
        let (back, browser) = try await approveAtBankID(startURL: "/v1/auth/bankid/start?client=web", nationalId: nationalId)
        guard back.status == 302, let callback = back.location else { throw DriverError("sandbox answered \(back.status)") }
        let deviceCookie = device.map { "; drop_device=" + Self.deviceID(nationalId + ":" + $0) } ?? ""
        let cookies = browser.map { ($0.0, $0.1 + deviceCookie) } + (browser.isEmpty && device != nil ? [("cookie", String(deviceCookie.dropFirst(2)))] : [])
        return try await get(callback, headers: cookies)
    }

    /// A well-formed `drop_device` id, the same for the same name.
    static func deviceID(_ name: String) -> String {
        Base64URL.encode(Array(SHA256.hash(data: Data(name.utf8))))
    }

    /// The app flow: returns the callback's reply (a redirect to `drop://auth/callback?…`).
    func signInMobile(_ nationalId: String, codeVerifier: String, stepUp: Bool = false) async throws -> Reply {
        let challenge = DropAPI.PKCE.challenge(for: codeVerifier)
        let (back, _) = try await approveAtBankID(startURL: "/v1/auth/bankid/start?client=mobile&code_challenge=\(challenge)" + (stepUp ? "&step_up=true" : ""),
                                                  nationalId: nationalId)
        guard back.status == 302, let callback = back.location else { throw DriverError("sandbox answered \(back.status)") }
        return try await get(callback)
    }

    /// A signed-in web session's cookie header for `nationalId`.
    func webSession(_ nationalId: String) async throws -> (String, String) {
        let reply = try await signInWeb(nationalId)
        guard let token = reply.cookie("drop_token") else { throw DriverError("no session cookie") }
        return ("cookie", "drop_token=\(token)")
    }

    /// A bearer token for `nationalId`, obtained the way the app gets one (`stepUp`: as an admin's fresh sign-in).
    /// `device`: the app's `deviceId`; by default the same id as `signInWeb`'s default browser, so a person's test
    /// sign-ins come from one device (nil: an app that sends none, a device Drop hasn't seen).
    func bearer(_ nationalId: String, stepUp: Bool = false, device: String? = "default") async throws -> (String, String) {
        let verifier = String(repeating: "v", count: 20) + UUID().uuidString
        let reply = try await signInMobile(nationalId, codeVerifier: verifier, stepUp: stepUp)
        guard let location = reply.location, let code = URLComponents(string: location)?.queryItems?.first(where: { $0.name == "code" })?.value
        else { throw DriverError("no one-time code") }
        let deviceId = device.map { #","deviceId":"\#(Self.deviceID(nationalId + ":" + $0))""# } ?? ""
        let issued = try await postJSON("/v1/auth/token", #"{"code":"\#(code)","codeVerifier":"\#(verifier)"\#(deviceId)}"#)
        guard let token = (try? issued.decode(IssuedToken.self))?.token else { throw DriverError("token exchange answered \(issued.status)") }
        return ("authorization", "Bearer \(token)")
    }
}

struct DriverError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
