/// The userinfo answer: `sub` plus the claims of the scopes the access token carries.
struct BankIDUserInfo: Encodable, Sendable {
    let sub: String
    let name: String?
    let givenName: String?
    let familyName: String?
    let birthdate: String?
    let nninAltSub: String?

    enum CodingKeys: String, CodingKey {
        case sub, name, birthdate
        case givenName = "given_name"
        case familyName = "family_name"
        case nninAltSub = "nnin_altsub"
    }
}
