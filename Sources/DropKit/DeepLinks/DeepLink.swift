import Foundation

/// Every link the app opens, as a typed route: what the server sends the browser back to
/// (`drop://auth/callback`, `drop://bank-accounts/callback`, `drop://transactions/{id}`,
/// `drop://standing-orders/{id}`) and
/// payment links (`drop://pay/{code}…` or the universal link `https://…/pay/{code}?amount=…&ref=…&exp=…&sig=…`).
public enum DeepLink: Sendable, Equatable {
    /// BankID sign-in came back with a one-time code to exchange (`DropClient.exchange`).
    case authCallback(code: String)
    /// BankID sign-in failed or was refused (`AGE_RESTRICTED`, `INVALID_STATE`, …).
    case authFailed(error: String)
    /// A bank was linked (`bank` is its id).
    case bankLinked(bank: String)
    /// Linking a bank failed (`PSU_MISMATCH`, `CONSENT_REJECTED`, …).
    case bankLinkFailed(error: String)
    /// Back from the bank's approval of a payment: show this transaction's status.
    case transaction(id: String)
    /// Back from the bank's approval of a standing transfer: show this order.
    case standingOrder(id: String)
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

        /// A static code: the payer types the amount. A signed code fixes amount and reference.
        public var isStatic: Bool { amountMinor == nil }
    }

    public init?(url: URL) {
        guard let components = URLComponents(url: url, resolvingAgainstBaseURL: false) else { return nil }
        let query = Dictionary((components.queryItems ?? []).compactMap { item in item.value.map { (item.name, $0) } },
                               uniquingKeysWith: { first, _ in first })
        let segments: [String]
        let app: Bool
        switch components.scheme?.lowercased() {
        case "drop":
            // drop://auth/callback → host "auth", path "/callback"
            segments = ([components.host ?? ""] + components.path.split(separator: "/").map(String.init)).filter { !$0.isEmpty }
            app = true
        case "https", "http":
            segments = components.path.split(separator: "/").map(String.init)
            app = false
        default:
            return nil
        }
        switch segments.first {
        case "auth" where app && segments.count == 2 && segments[1] == "callback":
            if let code = query["code"], !code.isEmpty { self = .authCallback(code: code) }
            else if let error = query["error"], !error.isEmpty { self = .authFailed(error: error) }
            else { return nil }
        case "bank-accounts" where app && segments.count == 2 && segments[1] == "callback":
            if let bank = query["connected"], !bank.isEmpty { self = .bankLinked(bank: bank) }
            else if let error = query["error"], !error.isEmpty { self = .bankLinkFailed(error: error) }
            else { return nil }
        case "transactions" where app && segments.count == 2 && UUID(uuidString: segments[1]) != nil:
            self = .transaction(id: segments[1].lowercased())
        case "standing-orders" where app && segments.count == 2 && UUID(uuidString: segments[1]) != nil:
            self = .standingOrder(id: segments[1].lowercased())
        case "pay" where segments.count == 2 && Self.isMerchantCode(segments[1]):
            guard let link = Self.paymentLink(code: segments[1], query: components.queryItems ?? []) else { return nil }
            self = .pay(link)
        default:
            return nil
        }
    }

    /// A shop's static code has no query. A signed one carries amount, exp and sig once each (ref
    /// may be empty) and nothing else, as the server reads it (`PaymentLink.parse`). An amount
    /// without a signature is refused: anyone could hand out a link with an amount and a
    /// reference of their choosing, and the app would show it as the shop's fixed request.
    static func paymentLink(code: String, query items: [URLQueryItem]) -> PaymentLink? {
        guard !items.isEmpty else { return PaymentLink(merchantCode: code, amountMinor: nil, reference: nil, expiresAt: nil, signature: nil) }
        var fields: [String: String] = [:]
        for item in items {
            guard ["amount", "ref", "exp", "sig"].contains(item.name), fields[item.name] == nil else { return nil }
            fields[item.name] = item.value ?? ""
        }
        guard let amount = fields["amount"].flatMap(Self.decimal), amount > 0, let expiresAt = fields["exp"].flatMap(Self.decimal),
              let signature = fields["sig"], !signature.isEmpty else { return nil }
        return PaymentLink(merchantCode: code, amountMinor: amount, reference: fields["ref"], expiresAt: expiresAt, signature: signature)
    }

    /// Plain ASCII digits, as the server reads them: no sign, no spaces, at most 18 digits.
    private static func decimal(_ text: String) -> Int64? {
        guard (1...18).contains(text.utf8.count), text.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        return Int64(text)
    }

    /// Reads a scanned or pasted payment link, accepting it only from Drop: `drop://pay/…`, or an
    /// http(s) link whose scheme, host and port are exactly those of `origin` (Drop's
    /// `PUBLIC_BASE_URL`). A look-alike domain's link is refused before anything is shown.
    public static func paymentLink(from text: String, origin: URL) -> Result<PaymentLink, PaymentLinkRefusal> {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let url = URL(string: trimmed), let scheme = url.scheme?.lowercased() else { return .failure(.notALink) }
        if scheme == "http" || scheme == "https" {
            guard Self.sameOrigin(url, origin) else { return .failure(.foreignOrigin(host: url.host ?? "")) }
            // Under a base path (`https://example.no/drop`), the link's path must start with it.
            let base = origin.path.hasSuffix("/") ? String(origin.path.dropLast()) : origin.path
            guard var components = URLComponents(url: url, resolvingAgainstBaseURL: false), components.path.hasPrefix(base + "/pay/") else {
                return .failure(.notAPaymentLink)
            }
            components.path = String(components.path.dropFirst(base.count))
            guard let local = components.url, case .pay(let link)? = DeepLink(url: local) else { return .failure(.notAPaymentLink) }
            return .success(link)
        }
        guard scheme == "drop" else { return .failure(.notALink) }
        guard case .pay(let link)? = DeepLink(url: url) else { return .failure(.notAPaymentLink) }
        return .success(link)
    }

    public enum PaymentLinkRefusal: Error, Sendable, Equatable {
        case notALink
        /// A link to somewhere else than Drop (phishing look-alikes included).
        case foreignOrigin(host: String)
        case notAPaymentLink
    }

    static func sameOrigin(_ url: URL, _ origin: URL) -> Bool {
        func port(_ url: URL) -> Int? { url.port ?? (url.scheme?.lowercased() == "https" ? 443 : url.scheme?.lowercased() == "http" ? 80 : nil) }
        return url.scheme?.lowercased() == origin.scheme?.lowercased() && url.host?.lowercased() == origin.host?.lowercased()
            && port(url) == port(origin) && url.user == nil && url.password == nil
    }

    static func isMerchantCode(_ value: String) -> Bool {
        (3...32).contains(value.count) && value.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
    }
}
