/// An authorization error the sandbox reports to the client through its redirect URI
/// (RFC 6749 §4.1.2.1): `invalid_request`, `access_denied`, `unsupported_response_type`, ….
struct BankIDAuthorizationError: Error, Sendable {
    let redirectURI: String
    let error: String
    let description: String
    let state: String?

    /// Where to send the browser.
    var location: String {
        var parameters: [(name: String, value: String)] = [("error", error), ("error_description", description)]
        if let state { parameters.append(("state", state)) }
        return Self.append(parameters, to: redirectURI)
    }

    /// `uri` with `parameters` added to its query (a registered redirect URI may already have one).
    static func append(_ parameters: [(name: String, value: String)], to uri: String) -> String {
        let query = BankIDFormParameters(parameters).encoded
        return uri + (uri.contains("?") ? "&" : "?") + query
    }
}
