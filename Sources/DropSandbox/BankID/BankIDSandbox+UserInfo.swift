import Hummingbird

/// `GET`/`POST /protocol/openid-connect/userinfo` with `Authorization: Bearer <access_token>`.
extension BankIDSandbox {
    func userInfo(_ request: Request) -> Response {
        guard let header = request.headers[.authorization] else {
            return BankIDResponses.oauthError(
                "invalid_request", description: "A bearer access token is required.", status: .unauthorized,
                extraHeaders: [.wwwAuthenticate: #"Bearer realm="bankid-sandbox""#]
            )
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer",
              let grant = grants.accessGrant(for: String(parts[1]), now: now()) else {
            return BankIDResponses.oauthError(
                "invalid_token", description: "The access token is invalid or has expired.", status: .unauthorized,
                extraHeaders: [.wwwAuthenticate: #"Bearer realm="bankid-sandbox", error="invalid_token""#]
            )
        }
        let person = grant.person
        let profile = grant.scopes.contains("profile")
        return BankIDResponses.json(BankIDUserInfo(
            sub: pseudonyms.subject(nationalId: person.nationalId, clientID: grant.clientID),
            name: profile ? person.name : nil,
            givenName: profile ? person.givenName : nil,
            familyName: profile ? person.familyName : nil,
            birthdate: profile ? person.birthdate : nil,
            nninAltSub: grant.scopes.contains("nnin_altsub") ? person.nationalId : nil
        ))
    }
}
