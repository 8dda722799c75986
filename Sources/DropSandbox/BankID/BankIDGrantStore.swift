import Crypto
import Foundation
import NIOConcurrencyHelpers

/// The OP's memory: authorization codes (single use) and the access tokens issued from them.
///
/// In memory on purpose: codes live 60 s and tokens 5 min, so a restart only signs people out
/// of the sandbox, which a real OP's restart may do too.
final class BankIDGrantStore: Sendable {
    /// Why the token endpoint refuses a code; every case becomes `invalid_grant`.
    enum RedemptionFailure: Error, Sendable, Equatable {
        case unknownCode
        case reused
        case expired
        case wrongClient
        case redirectURIMismatch
        case verifierMismatch

        var description: String {
            switch self {
            case .unknownCode: "The authorization code is not valid."
            case .reused: "The authorization code was already used; tokens issued from it are revoked."
            case .expired: "The authorization code has expired."
            case .wrongClient: "The authorization code was issued to another client."
            case .redirectURIMismatch: "redirect_uri does not match the authorization request."
            case .verifierMismatch: "code_verifier does not match the code_challenge."
            }
        }
    }

    private struct CodeEntry {
        let grant: BankIDAuthorizationGrant
        var used = false
        var accessTokens: [String] = []
    }

    private struct State {
        var codes: [String: CodeEntry] = [:]
        var accessTokens: [String: BankIDAccessGrant] = [:]
    }

    /// Used codes are remembered this long past expiry, to recognise (and punish) reuse.
    static let reuseMemory: TimeInterval = 600

    private let state = NIOLockedValueBox(State())

    /// A new code for `grant`: 256 random bits, base64url.
    func issueCode(for grant: BankIDAuthorizationGrant, now: Date) -> String {
        let code = BankIDBase64URL.randomToken()
        state.withLockedValue { state in
            Self.purge(&state, now: now)
            state.codes[code] = CodeEntry(grant: grant)
        }
        return code
    }

    /// Redeems `code` once and issues the access token for it, all under one lock so a racing
    /// second redemption cannot slip between the check and the issue.
    ///
    /// Any attempt uses the code up, as Keycloak does: a failed PKCE check must not leave a stolen
    /// code usable for another guess. Reuse revokes the access tokens already issued from it
    /// (RFC 6749 §4.1.2).
    func redeem(
        code: String, clientID: String, redirectURI: String, codeVerifier: String,
        accessTokenLifetime: TimeInterval, now: Date
    ) -> Result<(grant: BankIDAuthorizationGrant, accessToken: String), RedemptionFailure> {
        state.withLockedValue { state in
            guard var entry = state.codes[code] else { return .failure(.unknownCode) }
            guard entry.grant.clientID == clientID else { return .failure(.wrongClient) }
            guard !entry.used else {
                for token in entry.accessTokens { state.accessTokens[token] = nil }
                entry.accessTokens = []
                state.codes[code] = entry
                return .failure(.reused)
            }
            entry.used = true
            state.codes[code] = entry
            let grant = entry.grant
            guard now < grant.expiresAt else { return .failure(.expired) }
            guard grant.redirectURI == redirectURI else { return .failure(.redirectURIMismatch) }
            let challenge = BankIDBase64URL.encode(SHA256.hash(data: Data(codeVerifier.utf8)))
            guard challenge == grant.codeChallenge else { return .failure(.verifierMismatch) }

            let token = BankIDBase64URL.randomToken()
            state.accessTokens[token] = BankIDAccessGrant(
                clientID: grant.clientID, scopes: grant.scopes, person: grant.person,
                expiresAt: now.addingTimeInterval(accessTokenLifetime)
            )
            entry.accessTokens.append(token)
            state.codes[code] = entry
            return .success((grant, token))
        }
    }

    /// The grant behind a live access token.
    func accessGrant(for token: String, now: Date) -> BankIDAccessGrant? {
        state.withLockedValue { state in
            guard let grant = state.accessTokens[token], now < grant.expiresAt else { return nil }
            return grant
        }
    }

    private static func purge(_ state: inout State, now: Date) {
        state.codes = state.codes.filter { now.timeIntervalSince($0.value.grant.expiresAt) < reuseMemory }
        state.accessTokens = state.accessTokens.filter { now < $0.value.expiresAt }
    }
}
