import DropCore
import Foundation

/// The checks of OpenID Connect Core §3.1.3.7 that do not need the network, and the mapping of
/// verified claims to a `BankIDIdentity`.
struct BankIDIDTokenVerifier: Sendable {
    let issuer: String
    let clientID: String
    let leeway: TimeInterval
    /// The `acr` values that are a level of assurance Drop accepts (`BankIDClientConfiguration.acceptedACRs`).
    var acceptedACRs: Set<String> = BankIDClientConfiguration.defaultAcceptedACRs

    /// `alg` and `kid` from the JOSE header, read before any key is chosen.
    static func header(of token: String) throws(BankIDError) -> (alg: String, kid: String?) {
        struct Header: Decodable {
            let alg: String
            let kid: String?
        }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let bytes = OIDCEncoding.base64URLDecoded(parts[0]) else {
            throw .malformedIDToken(reason: "not a signed JWT (three base64url parts)")
        }
        guard let header = try? JSONDecoder().decode(Header.self, from: Data(bytes)) else {
            throw .malformedIDToken(reason: "the JOSE header is unreadable")
        }
        return (header.alg, header.kid)
    }

    /// Issuer, audience, time, nonce, level of assurance and authentication age, in that order.
    func checkClaims(_ claims: BankIDIDTokenPayload, expectedNonce: String, maxAge: Int? = nil, now: Date) throws(BankIDError) {
        guard claims.iss == issuer else { throw .issuerMismatch }
        guard claims.aud.contains(clientID) else { throw .audienceMismatch }
        // With several audiences, `azp` must say the token was issued to us (§3.1.3.7 items 4–5).
        if let azp = claims.azp, azp != clientID { throw .audienceMismatch }
        if claims.aud.count > 1, claims.azp == nil { throw .audienceMismatch }
        let time = now.timeIntervalSince1970
        guard time <= claims.exp + leeway else { throw .expired }
        guard claims.iat <= time + leeway else { throw .notYetValid }
        if let nbf = claims.nbf, nbf > time + leeway { throw .notYetValid }
        guard let nonce = claims.nonce, ConstantTime.equal(nonce, expectedNonce) else { throw .nonceMismatch }
        // Whatever `acr_values` reached the provider (the browser carries them): the level it says it used.
        guard let acr = claims.acr, acceptedACRs.contains(acr) else { throw .assuranceTooLow }
        try checkAuthenticationAge(claims.authTime, maxAge: maxAge, now: time)
    }

    /// With `max_age` sent, `auth_time` is required and must be no older than `max_age` (§3.1.2.1,
    /// §3.1.3.7 item 13): a provider that reused an old sign-in, or a browser that dropped the
    /// parameter on its way, does not pass for a fresh authentication. The leeway covers clock
    /// skew and the seconds between authenticating and the code exchange.
    func checkAuthenticationAge(_ authTime: Double?, maxAge: Int?, now time: Double) throws(BankIDError) {
        guard let maxAge else { return }
        guard let authTime, authTime.isFinite else { throw .missingAuthTime }
        guard authTime <= time + leeway else { throw .notYetValid }
        guard time - authTime <= Double(max(0, maxAge)) + leeway else { throw .authenticationTooOld }
    }

    /// The person, reading the national id from `nnin_altsub`, else `pid`, else `nin` (docs/protocols.md §3).
    func identity(from claims: BankIDIDTokenPayload) throws(BankIDError) -> BankIDIdentity {
        let raw: String
        if let value = claims.nninAltSub ?? claims.pid {
            raw = value
        } else if let value = claims.nin {
            // Signicat says whose number it is; only Norwegian numbers are national ids here.
            if let country = claims.ninIssuingCountry, country.uppercased() != "NO" { throw .invalidNationalId }
            raw = value
        } else {
            throw .missingNationalId
        }
        let nationalId: NationalIdentityNumber
        do {
            nationalId = try NationalIdentityNumber(raw)
        } catch {
            throw .invalidNationalId
        }
        let birthdate = claims.birthdate.flatMap { try? CalendarDate(iso: $0) } ?? nationalId.birthDate
        return BankIDIdentity(
            nationalId: nationalId, subject: claims.sub, name: claims.name, givenName: claims.givenName,
            familyName: claims.familyName, birthdate: birthdate, bankIDPersonalIdentifier: claims.bankIDAltSub,
            issuer: claims.iss, acr: claims.acr, amr: claims.amr,
            authenticatedAt: claims.authTime.map { Date(timeIntervalSince1970: $0) }
        )
    }
}
