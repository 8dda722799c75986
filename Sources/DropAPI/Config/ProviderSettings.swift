import DropCore

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
        // As banks take them (`8601.11.17947` → `86011117947`); a value that doesn't parse is kept for `formatProblems`.
        let account = value("PAYOUT_COLLECTION_ACCOUNT") ?? Self.developmentCollectionAccount
        payoutCollectionAccount = (try? NorwegianAccountNumber(account))?.digits ?? account
        payoutCollectionName = value("PAYOUT_COLLECTION_NAME") ?? Self.developmentCollectionName
        let bic = value("PAYOUT_PARTNER_BIC") ?? Self.developmentPartnerBIC
        payoutPartnerBIC = (try? BIC(bic))?.value ?? bic
        payoutClientID = value("PAYOUT_CLIENT_ID") ?? "drop-dev"
        payoutClientSecret = value("PAYOUT_CLIENT_SECRET")
        fxFeedURL = value("FX_FEED_URL")
    }

    /// Sign-in goes to a BankID sandbox, which signs anyone in as anyone: Drop's own (no `BANKID_ISSUER`),
    /// or another Drop's (an issuer under `/sandbox/`, as the multi-instance test's servers use).
    var signsInAtSandboxBankID: Bool {
        bankIDIssuer.map { $0.contains("/sandbox/") } ?? true
    }

    /// The payout sandbox's collection account, its holder and BIC: a real, checksum-valid account number, so
    /// production refuses them rather than have every customer's bank pay into it.
    static let developmentCollectionAccount = "15030010008"
    static let developmentCollectionName = "Drop Payout Partner AS"
    static let developmentPartnerBIC = "PARTNOKK"

    /// The provider URLs: production sends credentials and personal data there, so only over TLS.
    static let urlVariables: Set<String> = ["BANKID_ISSUER", "OPENBANKING_BASE_URL", "SUMSUB_BASE_URL", "PAYOUT_BASE_URL", "FX_FEED_URL"]

    /// In every environment: the account customers' banks pay into and the partner's BIC must be ones a bank takes.
    func formatProblems() -> [String] {
        var problems: [String] = []
        do { _ = try NorwegianAccountNumber(payoutCollectionAccount) } catch {
            problems.append("PAYOUT_COLLECTION_ACCOUNT must be the partner's 11-digit Norwegian account number (\(error.message))")
        }
        do { _ = try BIC(payoutPartnerBIC) } catch {
            problems.append("PAYOUT_PARTNER_BIC must be the partner's BIC, 8 or 11 characters (\(error.message))")
        }
        return problems
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
            } else if Self.urlVariables.contains(name), !value.lowercased().hasPrefix("https://") {
                problems.append("\(name) must be an https:// URL (Drop sends credentials and personal data there)")
            }
        }
        if sumsubAppToken?.hasPrefix("sbx:") == true {
            problems.append("SUMSUB_APP_TOKEN is a Sumsub sandbox token (sbx:…); production needs a live one (prd:…)")
        }
        for (name, value, development) in [
            ("PAYOUT_COLLECTION_ACCOUNT", payoutCollectionAccount, Self.developmentCollectionAccount),
            ("PAYOUT_COLLECTION_NAME", payoutCollectionName, Self.developmentCollectionName),
            ("PAYOUT_PARTNER_BIC", payoutPartnerBIC, Self.developmentPartnerBIC),
        ] where value == development {
            problems.append("\(name) must be set to the payout partner's own (\(development) is the sandbox's): customers' banks pay remittances there")
        }
        // A BIC whose eighth character is 0 is a test-and-training one: no bank routes real money to it.
        if (try? BIC(payoutPartnerBIC))?.isTestBIC == true {
            problems.append("PAYOUT_PARTNER_BIC is a test-and-training BIC (its eighth character is 0); production needs the partner's live one")
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
