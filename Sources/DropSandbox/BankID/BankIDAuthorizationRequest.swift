/// A checked OpenID Connect authorization request (`/protocol/openid-connect/auth`).
///
/// Checked twice: when the sign-in page is shown (from the query) and when it is submitted
/// (from the page's hidden inputs), because the browser can change the hidden inputs.
struct BankIDAuthorizationRequest: Sendable {
    let client: BankIDSandboxClient
    let redirectURI: String
    /// The requested scopes the sandbox supports, in the order asked.
    let scopes: [String]
    let state: String
    let nonce: String
    let codeChallenge: String
    /// `prompt` (OpenID Connect Core §3.1.2.1): `login` forbids reusing a remembered sign-in,
    /// `none` forbids showing any page.
    var prompt: Set<String> = []
    /// `max_age`: a remembered sign-in older than this many seconds must not be reused.
    var maxAge: Int?
    /// The level `acr_values` asked for, if it named one BankID offers; BankID's high level otherwise.
    var requestedAssurance: BankIDAssuranceLevel?

    /// The level the person signs in at.
    var assurance: BankIDAssuranceLevel { requestedAssurance ?? .high }

    /// Why a request was refused, and whether the client may be told through its redirect URI.
    enum Refusal: Error, Sendable {
        /// Unknown client or unregistered redirect URI: redirecting would make the sandbox an
        /// open redirector, so the person gets an error page instead (OpenID Connect Core §3.1.2.6).
        case errorPage(String)
        /// Goes back as `redirect_uri?error=…&error_description=…&state=…`.
        case redirect(BankIDAuthorizationError)
    }

    static let parameterNames = [
        "response_type", "client_id", "redirect_uri", "scope", "state", "nonce",
        "code_challenge", "code_challenge_method", "prompt", "max_age", "acr_values",
    ]
    static let promptValues: Set<String> = ["none", "login", "consent", "select_account"]
    static let supportedScopes = ["openid", "profile", "nnin_altsub"]
    /// Longest state or nonce accepted; real ones are a few dozen characters.
    static let maxOpaqueLength = 512

    static func parse(
        _ parameters: BankIDFormParameters, clients: [String: BankIDSandboxClient]
    ) throws(Refusal) -> BankIDAuthorizationRequest {
        guard parameters.repeated(among: ["client_id", "redirect_uri"]) == nil else {
            throw .errorPage("The request repeats client_id or redirect_uri.")
        }
        guard let clientID = parameters["client_id"] else {
            throw .errorPage("The request has no client_id.")
        }
        guard let client = clients[clientID] else {
            throw .errorPage("The client is not registered at this BankID sandbox.")
        }
        guard let redirectURI = parameters["redirect_uri"] else {
            throw .errorPage("The request has no redirect_uri.")
        }
        guard client.redirectURIs.contains(redirectURI) else {
            throw .errorPage("The redirect_uri is not registered for this client.")
        }

        let stateValue = parameters["state"]
        let state = stateValue.flatMap { $0.count <= maxOpaqueLength ? $0 : nil }
        func refuse(_ error: String, _ description: String) -> Refusal {
            .redirect(BankIDAuthorizationError(
                redirectURI: redirectURI, error: error, description: description, state: state
            ))
        }

        if let name = parameters.repeated(among: parameterNames) {
            throw refuse("invalid_request", "The parameter \(name) occurs more than once.")
        }
        guard let responseType = parameters["response_type"] else {
            throw refuse("invalid_request", "response_type is required.")
        }
        guard responseType == "code" else {
            throw refuse("unsupported_response_type", "Only the authorization code flow (response_type=code) is supported.")
        }
        let requested = (parameters["scope"] ?? "").split(separator: " ").map(String.init)
        guard requested.contains("openid") else {
            throw refuse("invalid_scope", "The scope must contain openid.")
        }
        guard stateValue != nil else {
            throw refuse("invalid_request", "state is required.")
        }
        guard state != nil else {
            throw refuse("invalid_request", "state is longer than \(maxOpaqueLength) characters.")
        }
        guard let nonce = parameters["nonce"], nonce.count <= maxOpaqueLength else {
            throw refuse("invalid_request", "nonce is required (at most \(maxOpaqueLength) characters).")
        }
        guard let method = parameters["code_challenge_method"], let challenge = parameters["code_challenge"] else {
            throw refuse("invalid_request", "PKCE is required: send code_challenge and code_challenge_method=S256.")
        }
        guard method == "S256" else {
            throw refuse("invalid_request", "code_challenge_method must be S256.")
        }
        // BASE64URL(SHA-256(verifier)) is always 43 characters.
        guard challenge.utf8.count == 43, BankIDBase64URL.isAlphabet(challenge) else {
            throw refuse("invalid_request", "code_challenge must be the 43-character base64url SHA-256 of the verifier.")
        }
        let prompt = Set((parameters["prompt"] ?? "").split(separator: " ").map(String.init))
        guard prompt.isSubset(of: promptValues) else {
            throw refuse("invalid_request", "prompt may only hold none, login, consent and select_account.")
        }
        guard !prompt.contains("none") || prompt.count == 1 else {
            throw refuse("invalid_request", "prompt=none can't be combined with other values.")
        }
        var maxAge: Int?
        if let raw = parameters["max_age"] {
            guard raw.utf8.count <= 10, raw.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }), let value = Int(raw) else {
                throw refuse("invalid_request", "max_age must be a non-negative number of seconds.")
            }
            maxAge = value
        }
        let assurance = parameters["acr_values"].flatMap(BankIDAssuranceLevel.init(acrValues:))
        var scopes: [String] = []
        for scope in requested where supportedScopes.contains(scope) && !scopes.contains(scope) {
            scopes.append(scope)
        }
        return BankIDAuthorizationRequest(
            client: client, redirectURI: redirectURI, scopes: scopes, state: stateValue ?? "",
            nonce: nonce, codeChallenge: challenge, prompt: prompt, maxAge: maxAge, requestedAssurance: assurance
        )
    }

    /// The request as the sign-in page's hidden inputs carry it.
    var hiddenFields: [(name: String, value: String)] {
        var fields: [(name: String, value: String)] = [
            ("response_type", "code"), ("client_id", client.clientID), ("redirect_uri", redirectURI),
            ("scope", scopes.joined(separator: " ")), ("state", state), ("nonce", nonce),
            ("code_challenge", codeChallenge), ("code_challenge_method", "S256"),
        ]
        if !prompt.isEmpty { fields.append(("prompt", prompt.sorted().joined(separator: " "))) }
        if let maxAge { fields.append(("max_age", String(maxAge))) }
        if let requestedAssurance { fields.append(("acr_values", requestedAssurance.requestValue)) }
        return fields
    }

    /// `redirect_uri` with the authorization response appended.
    func redirect(with parameters: [(name: String, value: String)]) -> String {
        BankIDAuthorizationError.append(parameters, to: redirectURI)
    }
}
