import DropAPI
import DropCore
import Foundation
import NIOConcurrencyHelpers

/// BankID as an `IdentityProvider` fake for tests at the router. Like the OIDC provider it stands
/// for, it hands out a one-time code only after a person approves the sign-in Drop started, and
/// gives the person back only for that code, with the nonce and redirect Drop asked with.
final class InMemoryBankID: IdentityProvider {
    private struct Started { let nonce: String; let redirectURI: String }
    private struct Approved { let person: SignedInPerson; let started: Started }
    private struct State {
        var started: [String: Started] = [:]
        var codes: [String: Approved] = [:]
    }
    private let state = NIOLockedValueBox(State())

    struct Refused: Error {}

    func authorizationURL(state: String, nonce: String, codeChallenge: String, redirectURI: String, maxAge: Int?) async throws -> String {
        self.state.withLockedValue { $0.started[state] = Started(nonce: nonce, redirectURI: redirectURI) }
        return "https://bankid.test/authorize?state=\(state)"
    }

    /// `nationalId` signs in at BankID for the sign-in Drop started with `signIn` (its `state`);
    /// returns BankID's redirect back to Drop.
    func approve(signIn: String, nationalId: String, birthDate: String, name: String) throws -> String {
        let names = name.split(separator: " ").map(String.init)
        let person = SignedInPerson(nationalId: try NationalIdentityNumber(nationalId), name: name, givenName: names.first,
                                    familyName: names.last, birthDate: try CalendarDate(iso: birthDate), authenticatedAt: Date())
        return try state.withLockedValue { state in
            guard let started = state.started.removeValue(forKey: signIn) else { throw Refused() }
            let code = UUID().uuidString
            state.codes[code] = Approved(person: person, started: started)
            let separator = started.redirectURI.contains("?") ? "&" : "?"
            return started.redirectURI + separator + "code=\(code)&state=\(signIn)"
        }
    }

    func exchange(code: String, codeVerifier: String, nonce: String, redirectURI: String, maxAge: Int?) async throws -> SignedInPerson {
        // One use only, and only with what the sign-in was started with.
        guard let approved = state.withLockedValue({ $0.codes.removeValue(forKey: code) }),
              approved.started.nonce == nonce, approved.started.redirectURI == redirectURI else { throw Refused() }
        return approved.person
    }
}
