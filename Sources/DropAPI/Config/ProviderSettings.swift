/// How to reach each outside party. A `nil` base URL means "the in-process sandbox", which is
/// only allowed outside production.
public struct ProviderSettings: Sendable {
    public var bankIDIssuer: String?
    public var bankIDClientID: String
    public var bankIDClientSecret: String?
    public var openBankingBaseURL: String?
    /// Drop's TPP identity at the banks (in production an eIDAS certificate would go with it).
    public var openBankingClientID: String
    public var openBankingClientSecret: String?
    public var sumsubBaseURL: String?
    public var sumsubAppToken: String?
    public var sumsubSecretKey: String?
    public var payoutBaseURL: String?
    /// The payout partner's NOK collection account (11 digits) that users' banks pay into, and its holder.
    public var payoutCollectionAccount: String
    public var payoutCollectionName: String
    /// The payout partner's BIC, and Drop's credentials there.
    public var payoutPartnerBIC: String
    public var payoutClientID: String
    public var payoutClientSecret: String?
    public var fxFeedURL: String?

    init(_ env: [String: String]) {
        func value(_ name: String) -> String? { env[name]?.nilIfEmpty }
        bankIDIssuer = value("BANKID_ISSUER")
        bankIDClientID = value("BANKID_CLIENT_ID") ?? "drop-dev"
        bankIDClientSecret = value("BANKID_CLIENT_SECRET")
        openBankingBaseURL = value("OPENBANKING_BASE_URL")
        openBankingClientID = value("OPENBANKING_CLIENT_ID") ?? "drop-dev"
        openBankingClientSecret = value("OPENBANKING_CLIENT_SECRET")
        sumsubBaseURL = value("SUMSUB_BASE_URL")
        sumsubAppToken = value("SUMSUB_APP_TOKEN")
        sumsubSecretKey = value("SUMSUB_SECRET_KEY")
        payoutBaseURL = value("PAYOUT_BASE_URL")
        payoutCollectionAccount = value("PAYOUT_COLLECTION_ACCOUNT") ?? "15030010008"
        payoutCollectionName = value("PAYOUT_COLLECTION_NAME") ?? "Drop Payout Partner AS"
        payoutPartnerBIC = value("PAYOUT_PARTNER_BIC") ?? "PARTNOKK"
        payoutClientID = value("PAYOUT_CLIENT_ID") ?? "drop-dev"
        payoutClientSecret = value("PAYOUT_CLIENT_SECRET")
        fxFeedURL = value("FX_FEED_URL")
    }

    /// Sign-in goes to a BankID sandbox, which signs anyone in as anyone: Drop's own (no `BANKID_ISSUER`),
    /// or another Drop's (an issuer under `/sandbox/`, as the multi-instance test's servers use).
    var signsInAtSandboxBankID: Bool {
        bankIDIssuer.map { $0.contains("/sandbox/") } ?? true
    }

    func productionProblems() -> [String] {
        var problems: [String] = []
        let required: [(String, String?)] = [
            ("BANKID_ISSUER", bankIDIssuer), ("BANKID_CLIENT_SECRET", bankIDClientSecret),
            ("OPENBANKING_BASE_URL", openBankingBaseURL), ("OPENBANKING_CLIENT_SECRET", openBankingClientSecret),
            ("SUMSUB_BASE_URL", sumsubBaseURL),
            ("SUMSUB_APP_TOKEN", sumsubAppToken), ("SUMSUB_SECRET_KEY", sumsubSecretKey),
            ("PAYOUT_BASE_URL", payoutBaseURL), ("PAYOUT_CLIENT_SECRET", payoutClientSecret), ("FX_FEED_URL", fxFeedURL),
        ]
        for (name, value) in required {
            guard let value else {
                problems.append("\(name) is not set (production talks to the real provider)")
                continue
            }
            if value.contains("/sandbox/") || value.hasPrefix("dev-") {
                problems.append("\(name) points at a sandbox or holds a development value")
            }
        }
        if bankIDClientID == "drop-dev" {
            problems.append("BANKID_CLIENT_ID is the development client id")
        }
        if payoutClientID == "drop-dev" {
            problems.append("PAYOUT_CLIENT_ID is the development client id")
        }
        if openBankingClientID == "drop-dev" {
            problems.append("OPENBANKING_CLIENT_ID is the development client id")
        }
        return problems
    }
}
