import Foundation

/// The links the app opens: the BankID return (`drop://auth/callback?code=…` or `?error=…`) and
/// payment links (`drop://pay/{code}…` or the web form `https://…/pay/{code}?amount=…&ref=…&exp=…&sig=…`).
public enum DeepLink: Sendable, Equatable {
    case authCallback(code: String)
    case authFailed(error: String)
    case pay(PaymentLink)

    public struct PaymentLink: Sendable, Equatable {
        public let merchantCode: String
        public let amountMinor: Int64?
        public let reference: String?
        public let expiresAt: Int64?
        public let signature: String?

        public init(merchantCode: String, amountMinor: Int64?, reference: String?, expiresAt: Int64?, signature: String?) {
            self.merchantCode = merchantCode
            self.amountMinor = amountMinor
            self.reference = reference
            self.expiresAt = expiresAt
            self.signature = signature
        }
    }

    public init?(url: URL) {
        guard let components = URLComponents(url: url, resolvingAgainstBaseURL: false) else { return nil }
        let query = Dictionary((components.queryItems ?? []).compactMap { item in item.value.map { (item.name, $0) } },
                               uniquingKeysWith: { first, _ in first })
        let segments: [String]
        switch components.scheme?.lowercased() {
        case "drop":
            // drop://auth/callback → host "auth", path "/callback"
            segments = ([components.host ?? ""] + components.path.split(separator: "/").map(String.init)).filter { !$0.isEmpty }
        case "https", "http":
            segments = components.path.split(separator: "/").map(String.init)
        default:
            return nil
        }
        switch segments.first {
        case "auth" where segments.count == 2 && segments[1] == "callback" && components.scheme == "drop":
            if let code = query["code"], !code.isEmpty { self = .authCallback(code: code) }
            else if let error = query["error"], !error.isEmpty { self = .authFailed(error: error) }
            else { return nil }
        case "pay" where segments.count == 2 && Self.isMerchantCode(segments[1]):
            let amount = query["amount"].flatMap(Int64.init)
            if query["amount"] != nil, amount == nil || amount! <= 0 { return nil }
            self = .pay(PaymentLink(merchantCode: segments[1], amountMinor: amount, reference: query["ref"],
                                    expiresAt: query["exp"].flatMap(Int64.init), signature: query["sig"]))
        default:
            return nil
        }
    }

    static func isMerchantCode(_ value: String) -> Bool {
        (3...32).contains(value.count) && value.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
    }
}
