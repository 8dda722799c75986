import HTTPTypes

/// The Sumsub request-signing headers, as HTTP field names.
enum SumsubSandboxHeaderNames {
    // The literals are valid field names, so these initialisers cannot fail.
    static let appToken = HTTPField.Name("X-App-Token")!
    static let timestamp = HTTPField.Name("X-App-Access-Ts")!
    static let signature = HTTPField.Name("X-App-Access-Sig")!
}
