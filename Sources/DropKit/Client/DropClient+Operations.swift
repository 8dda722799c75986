import Foundation

/// Every customer and merchant operation of `/v1`, one method each. The contract test checks that
/// this list and `openapi.json` name the same operations, and decodes each answer from a live Drop.
extension DropClient {
    /// How the app uses each customer or merchant operation of the contract.
    public enum Use: Sendable, Hashable {
        /// A typed method that decodes the answer.
        case method(String)
        /// A step in the system browser (redirects), not called by the app: the answer is a `drop://` link.
        case browser(String)
        /// Answers 410 Gone (password sign-in was removed); the app never calls it.
        case gone
    }

    /// The customer and merchant operations and what the app does with each.
    public static let operations: [Endpoint: Use] = [
        Endpoint("POST", "/v1/auth/login"): .gone,
        Endpoint("POST", "/v1/auth/register"): .gone,
        Endpoint("POST", "/v1/auth/password/{action}"): .gone,
        Endpoint("GET", "/v1/auth/bankid/start"): .browser("SignIn.authorizeURL"),
        Endpoint("GET", "/v1/auth/bankid/callback"): .browser("drop://auth/callback → DeepLink.authCallback"),
        Endpoint("POST", "/v1/auth/token"): .method("exchange(code:verifier:)"),
        Endpoint("POST", "/v1/auth/logout"): .method("signOut()"),
        Endpoint("POST", "/v1/auth/logout-all"): .method("signOutEverywhere()"),
        Endpoint("GET", "/v1/auth/me"): .method("session()"),
        Endpoint("GET", "/v1/me"): .method("me()"),
        Endpoint("PATCH", "/v1/me"): .method("updateProfile(_:)"),
        Endpoint("POST", "/v1/me/email/confirmation"): .method("resendEmailConfirmation()"),
        Endpoint("POST", "/v1/email/confirm"): .method("confirmEmail(token:)"),
        Endpoint("GET", "/v1/me/settings"): .method("settings()"),
        Endpoint("PUT", "/v1/me/settings"): .method("saveSettings(_:)"),
        Endpoint("GET", "/v1/consents"): .method("consents()"),
        Endpoint("POST", "/v1/consents"): .method("setConsent(_:)"),
        Endpoint("POST", "/v1/kyc/start"): .method("startKYC()"),
        Endpoint("GET", "/v1/kyc/status"): .method("kycStatus()"),
        Endpoint("GET", "/v1/corridors"): .method("corridors()"),
        Endpoint("GET", "/v1/exchange-rates"): .method("exchangeRates()"),
        Endpoint("POST", "/v1/quotes"): .method("quote(_:)"),
        Endpoint("GET", "/v1/quotes/{id}"): .method("quote(id:)"),
        Endpoint("GET", "/v1/prices"): .method("price(_:)"),
        Endpoint("GET", "/v1/recipients"): .method("recipients()"),
        Endpoint("POST", "/v1/recipients"): .method("addRecipient(_:)"),
        Endpoint("GET", "/v1/recipients/{id}"): .method("recipient(id:)"),
        Endpoint("PATCH", "/v1/recipients/{id}"): .method("updateRecipient(id:_:)"),
        Endpoint("DELETE", "/v1/recipients/{id}"): .method("deleteRecipient(id:)"),
        Endpoint("GET", "/v1/spending-limits"): .method("spendingLimits()"),
        Endpoint("PUT", "/v1/spending-limits"): .method("setSpendingLimits(_:)"),
        Endpoint("GET", "/v1/banks"): .method("banks()"),
        Endpoint("POST", "/v1/bank-accounts/connect"): .method("connectBank(_:)"),
        Endpoint("GET", "/v1/bank-accounts/callback"): .browser("drop://bank-accounts/callback → DeepLink.bankLinked/bankLinkFailed"),
        Endpoint("GET", "/v1/bank-accounts"): .method("bankAccounts()"),
        Endpoint("POST", "/v1/bank-accounts/{id}/refresh"): .method("refreshBankAccount(id:)"),
        Endpoint("DELETE", "/v1/bank-accounts/{id}"): .method("removeBankAccount(id:)"),
        Endpoint("GET", "/v1/balance"): .method("balance()"),
        Endpoint("GET", "/v1/notifications"): .method("notifications()"),
        Endpoint("POST", "/v1/notifications/{id}/read"): .method("markRead(notification:)"),
        Endpoint("POST", "/v1/notifications/read-all"): .method("markAllRead()"),
        Endpoint("POST", "/v1/transactions/remittance"): .method("sendMoney(_:idempotencyKey:)"),
        Endpoint("GET", "/v1/transactions"): .method("transactions(_:)"),
        Endpoint("GET", "/v1/transactions/{id}"): .method("transaction(id:)"),
        Endpoint("POST", "/v1/transactions/{id}/cancel"): .method("cancelTransaction(id:)"),
        Endpoint("POST", "/v1/transactions/{id}/tracking-link"): .method("shareTracking(id:)"),
        Endpoint("DELETE", "/v1/transactions/{id}/tracking-link"): .method("stopTracking(id:)"),
        Endpoint("GET", "/v1/tracking/{token}"): .method("tracking(token:)"),
        Endpoint("GET", "/v1/transactions/{id}/receipt"): .method("receipt(id:)"),
        Endpoint("GET", "/v1/transactions/{id}/sca-callback"): .browser("drop://transactions/{id} → DeepLink.transaction"),
        Endpoint("POST", "/v1/standing-orders"): .method("createStandingOrder(_:idempotencyKey:)"),
        Endpoint("GET", "/v1/standing-orders"): .method("standingOrders()"),
        Endpoint("GET", "/v1/standing-orders/{id}"): .method("standingOrder(id:)"),
        Endpoint("POST", "/v1/standing-orders/{id}/pause"): .method("pauseStandingOrder(id:)"),
        Endpoint("POST", "/v1/standing-orders/{id}/stop"): .method("stopStandingOrder(id:)"),
        Endpoint("POST", "/v1/standing-orders/{id}/replace"): .method("replaceStandingOrder(id:_:idempotencyKey:)"),
        Endpoint("GET", "/v1/standing-orders/{id}/sca-callback"): .browser("drop://standing-orders/{id} → DeepLink.standingOrder"),
        Endpoint("GET", "/v1/gdpr/export"): .method("exportData()"),
        Endpoint("POST", "/v1/gdpr/erasure"): .method("eraseAccount()"),
        Endpoint("GET", "/v1/data-access-requests"): .method("dataRequests()"),
        Endpoint("POST", "/v1/data-access-requests"): .method("requestData(_:)"),
        Endpoint("GET", "/v1/complaints"): .method("complaints()"),
        Endpoint("POST", "/v1/complaints"): .method("fileComplaint(_:)"),
        Endpoint("GET", "/v1/complaints/{id}"): .method("complaint(id:)"),
        Endpoint("POST", "/v1/merchants"): .method("registerMerchant(_:)"),
        Endpoint("GET", "/v1/merchants/me"): .method("myMerchant()"),
        Endpoint("GET", "/v1/merchants/me/qr"): .method("paymentLink(amountMinor:reference:)"),
        Endpoint("GET", "/v1/merchants/me/qr.svg"): .method("paymentLinkSVG(amountMinor:reference:)"),
        Endpoint("GET", "/v1/merchants/me/dashboard"): .method("merchantDashboard(from:to:)"),
        Endpoint("GET", "/v1/merchants/me/events"): .method("merchantEvents(after:)"),
        Endpoint("GET", "/v1/merchants/{code}"): .method("merchant(code:)"),
        Endpoint("POST", "/v1/transactions/qr-payment"): .method("payQR(_:idempotencyKey:)"),
    ]

    // MARK: Auth

    /// Exchanges the one-time code from `drop://auth/callback` for a session token, and keeps the token.
    /// `deviceId`: this phone's `DeviceID`, so a sign-in from a new phone is told to the customer.
    public func exchange(code: String, verifier: String, deviceId: String? = nil) async throws -> IssuedToken {
        let issued: IssuedToken = try await call(Endpoint("POST", "/v1/auth/token"), body: TokenExchange(code: code, codeVerifier: verifier, deviceId: deviceId))
        await tokens.save(issued.token)
        return issued
    }

    /// Ends this session at the server, then forgets the token. Signing out on the phone always
    /// succeeds: when the server can't be reached the token is forgotten all the same.
    public func signOut() async {
        try? await callNoContent(Endpoint("POST", "/v1/auth/logout"))
        await tokens.save(nil)
    }

    /// Ends every session of the customer (every device), then forgets the token.
    public func signOutEverywhere() async throws {
        try await callNoContent(Endpoint("POST", "/v1/auth/logout-all"))
        await tokens.save(nil)
    }

    /// The signed-in customer (`/v1/auth/me`).
    public func session() async throws -> User { try await call(Endpoint("GET", "/v1/auth/me")) }

    // MARK: Profile, settings, consents, KYC

    public func me() async throws -> User { try await call(Endpoint("GET", "/v1/me")) }
    public func updateProfile(_ patch: ProfilePatch) async throws -> User { try await call(Endpoint("PATCH", "/v1/me"), body: patch) }
    /// Sends the link that confirms the profile's email address again (it works for 48 hours).
    public func resendEmailConfirmation() async throws { try await callNoContent(Endpoint("POST", "/v1/me/email/confirmation")) }
    /// Confirms the address with the token of the link in the email (`https://…/email/confirm?token=…`).
    public func confirmEmail(token: String) async throws -> EmailConfirmed {
        try await call(Endpoint("POST", "/v1/email/confirm"), body: EmailConfirmation(token: token))
    }
    public func settings() async throws -> Settings { try await call(Endpoint("GET", "/v1/me/settings")) }
    public func saveSettings(_ settings: Settings) async throws -> Settings { try await call(Endpoint("PUT", "/v1/me/settings"), body: settings) }
    public func consents() async throws -> Page<Consent> { try await call(Endpoint("GET", "/v1/consents")) }
    public func setConsent(_ input: ConsentInput) async throws -> Consent { try await call(Endpoint("POST", "/v1/consents"), body: input) }
    public func startKYC() async throws -> KYCStart { try await call(Endpoint("POST", "/v1/kyc/start")) }
    public func kycStatus() async throws -> KYCStatus { try await call(Endpoint("GET", "/v1/kyc/status")) }

    // MARK: Corridors, rates, quotes

    public func corridors(limit: Int? = nil, cursor: String? = nil) async throws -> Page<Corridor> {
        try await call(Endpoint("GET", "/v1/corridors"), query: Self.paging(limit, cursor))
    }
    public func exchangeRates(limit: Int? = nil, cursor: String? = nil) async throws -> Page<ExchangeRate> {
        try await call(Endpoint("GET", "/v1/exchange-rates"), query: Self.paging(limit, cursor))
    }
    public func quote(_ input: QuoteInput) async throws -> Quote { try await call(Endpoint("POST", "/v1/quotes"), body: input) }
    public func quote(id: String) async throws -> Quote { try await call(Endpoint("GET", "/v1/quotes/{id}"), path: ["id": id]) }
    /// Today's price without signing in or holding it (a calculator before sign-in).
    public func price(_ input: QuoteInput) async throws -> Price {
        try await call(Endpoint("GET", "/v1/prices"), query: [
            URLQueryItem(name: "country", value: input.country), URLQueryItem(name: "currency", value: input.currency),
        ] + [input.sendAmountMinor.map { URLQueryItem(name: "sendAmountMinor", value: String($0)) },
             input.receiveAmountMinor.map { URLQueryItem(name: "receiveAmountMinor", value: String($0)) }].compactMap { $0 })
    }

    // MARK: Recipients

    public func recipients(limit: Int? = nil, cursor: String? = nil) async throws -> Page<Recipient> {
        try await call(Endpoint("GET", "/v1/recipients"), query: Self.paging(limit, cursor))
    }
    public func addRecipient(_ input: RecipientInput) async throws -> Recipient { try await call(Endpoint("POST", "/v1/recipients"), body: input) }
    public func recipient(id: String) async throws -> Recipient { try await call(Endpoint("GET", "/v1/recipients/{id}"), path: ["id": id]) }
    public func updateRecipient(id: String, _ patch: RecipientPatch) async throws -> Recipient {
        try await call(Endpoint("PATCH", "/v1/recipients/{id}"), path: ["id": id], body: patch)
    }
    public func deleteRecipient(id: String) async throws { try await callNoContent(Endpoint("DELETE", "/v1/recipients/{id}"), path: ["id": id]) }

    // MARK: Limits

    public func spendingLimits() async throws -> SpendingLimits { try await call(Endpoint("GET", "/v1/spending-limits")) }
    public func setSpendingLimits(_ input: SpendingLimitsInput) async throws -> SpendingLimits {
        try await call(Endpoint("PUT", "/v1/spending-limits"), body: input)
    }

    // MARK: Banks, accounts, balance

    public func banks() async throws -> Page<Bank> { try await call(Endpoint("GET", "/v1/banks")) }
    /// Starts linking a bank; open `scaRedirect` in the system browser. It comes back as `drop://bank-accounts/callback`.
    public func connectBank(_ bank: String) async throws -> BankConnectStarted {
        try await call(Endpoint("POST", "/v1/bank-accounts/connect"), body: BankConnectInput(bank: bank, client: .mobile))
    }
    public func bankAccounts() async throws -> Page<BankAccount> { try await call(Endpoint("GET", "/v1/bank-accounts")) }
    public func refreshBankAccount(id: String) async throws -> BankAccount {
        try await call(Endpoint("POST", "/v1/bank-accounts/{id}/refresh"), path: ["id": id])
    }
    public func removeBankAccount(id: String) async throws { try await callNoContent(Endpoint("DELETE", "/v1/bank-accounts/{id}"), path: ["id": id]) }
    public func balance() async throws -> Balance { try await call(Endpoint("GET", "/v1/balance")) }

    // MARK: Notifications

    public func notifications(limit: Int? = nil, cursor: String? = nil) async throws -> NotificationList {
        try await call(Endpoint("GET", "/v1/notifications"), query: Self.paging(limit, cursor))
    }
    public func markRead(notification id: String) async throws {
        try await callNoContent(Endpoint("POST", "/v1/notifications/{id}/read"), path: ["id": id])
    }
    public func markAllRead() async throws { try await callNoContent(Endpoint("POST", "/v1/notifications/read-all")) }

    // MARK: Transactions

    /// Creates a transfer. Reuse the same `idempotencyKey` when retrying the same transfer: the
    /// server answers the first result again instead of paying twice.
    public func sendMoney(_ input: RemittanceInput, idempotencyKey: String) async throws -> TransactionCreated {
        try await call(Endpoint("POST", "/v1/transactions/remittance"), body: input, headers: ["Idempotency-Key": idempotencyKey])
    }
    public func transactions(_ filter: TransactionFilter = TransactionFilter()) async throws -> Page<Transaction> {
        var query = Self.paging(filter.limit, filter.cursor)
        if let status = filter.status { query.append(URLQueryItem(name: "status", value: status.rawValue)) }
        if let kind = filter.kind { query.append(URLQueryItem(name: "kind", value: kind.rawValue)) }
        return try await call(Endpoint("GET", "/v1/transactions"), query: query)
    }
    public func transaction(id: String) async throws -> Transaction { try await call(Endpoint("GET", "/v1/transactions/{id}"), path: ["id": id]) }
    public func cancelTransaction(id: String) async throws -> Transaction {
        try await call(Endpoint("POST", "/v1/transactions/{id}/cancel"), path: ["id": id])
    }
    /// A link for the receiver to follow the transfer (replaces an earlier one).
    public func shareTracking(id: String) async throws -> TrackingLink {
        try await call(Endpoint("POST", "/v1/transactions/{id}/tracking-link"), path: ["id": id])
    }
    /// Stops the receiver's link.
    public func stopTracking(id: String) async throws {
        try await callNoContent(Endpoint("DELETE", "/v1/transactions/{id}/tracking-link"), path: ["id": id])
    }
    // MARK: Standing transfers

    /// Sets one up; open `scaRedirect` to approve it once at the bank.
    public func createStandingOrder(_ input: NewStandingOrder, idempotencyKey: String) async throws -> StandingOrderStarted {
        try await call(Endpoint("POST", "/v1/standing-orders"), body: input, headers: ["Idempotency-Key": idempotencyKey])
    }
    public func standingOrders() async throws -> [StandingOrder] {
        try await call(Endpoint("GET", "/v1/standing-orders"), as: StandingOrderList.self).items
    }
    /// One order with the payments it has made.
    public func standingOrder(id: String) async throws -> StandingOrder {
        try await call(Endpoint("GET", "/v1/standing-orders/{id}"), path: ["id": id])
    }
    public func pauseStandingOrder(id: String) async throws -> StandingOrder {
        try await call(Endpoint("POST", "/v1/standing-orders/{id}/pause"), path: ["id": id])
    }
    public func stopStandingOrder(id: String) async throws -> StandingOrder {
        try await call(Endpoint("POST", "/v1/standing-orders/{id}/stop"), path: ["id": id])
    }
    /// Changes or resumes an order: a new one, approved at the bank, takes its place once approved.
    public func replaceStandingOrder(id: String, _ change: StandingOrderChange, idempotencyKey: String) async throws -> StandingOrderStarted {
        try await call(Endpoint("POST", "/v1/standing-orders/{id}/replace"), path: ["id": id], body: change, headers: ["Idempotency-Key": idempotencyKey])
    }

    /// What a tracking link shows (no sign-in needed): the last segment of the link is the token.
    public func tracking(token: String) async throws -> TrackedTransfer {
        try await call(Endpoint("GET", "/v1/tracking/{token}"), path: ["token": token])
    }
    /// The receipt as HTML, for a web view or to share.
    public func receipt(id: String) async throws -> String {
        try await callText(Endpoint("GET", "/v1/transactions/{id}/receipt"), path: ["id": id], accept: "text/html")
    }
    /// The same receipt as a PDF file (A4), to save or share from the phone.
    public func receiptPDF(id: String) async throws -> Data {
        let data = try await raw(Endpoint("GET", "/v1/transactions/{id}/receipt"), path: ["id": id], accept: "application/pdf")
        onDecoded?(Endpoint("GET", "/v1/transactions/{id}/receipt"))
        return data
    }

    // MARK: Privacy and complaints

    public func exportData() async throws -> DataExport { try await call(Endpoint("GET", "/v1/gdpr/export")) }
    /// Erases the account (GDPR art. 17); the session ends with it, so the token is forgotten.
    public func eraseAccount() async throws -> ErasureReceipt {
        let receipt: ErasureReceipt = try await call(Endpoint("POST", "/v1/gdpr/erasure"))
        await tokens.save(nil)
        return receipt
    }
    public func dataRequests() async throws -> Page<DataAccessRequest> { try await call(Endpoint("GET", "/v1/data-access-requests")) }
    public func requestData(_ input: DataAccessRequestInput) async throws -> DataAccessRequest {
        try await call(Endpoint("POST", "/v1/data-access-requests"), body: input)
    }
    public func complaints() async throws -> Page<Complaint> { try await call(Endpoint("GET", "/v1/complaints")) }
    public func fileComplaint(_ input: ComplaintInput) async throws -> Complaint { try await call(Endpoint("POST", "/v1/complaints"), body: input) }
    public func complaint(id: String) async throws -> Complaint { try await call(Endpoint("GET", "/v1/complaints/{id}"), path: ["id": id]) }

    // MARK: Merchants and QR payments

    public func registerMerchant(_ input: MerchantInput) async throws -> Merchant { try await call(Endpoint("POST", "/v1/merchants"), body: input) }
    public func myMerchant() async throws -> Merchant { try await call(Endpoint("GET", "/v1/merchants/me")) }
    /// The shop's static code, or with `amountMinor` a signed one-purchase code.
    public func paymentLink(amountMinor: Int64? = nil, reference: String? = nil) async throws -> PaymentLinkInfo {
        try await call(Endpoint("GET", "/v1/merchants/me/qr"), query: Self.linkTerms(amountMinor, reference))
    }
    public func paymentLinkSVG(amountMinor: Int64? = nil, reference: String? = nil) async throws -> String {
        try await callText(Endpoint("GET", "/v1/merchants/me/qr.svg"), query: Self.linkTerms(amountMinor, reference), accept: "image/svg+xml")
    }
    public func merchantDashboard(from: Date? = nil, to: Date? = nil) async throws -> MerchantDashboard {
        let query = [("from", from), ("to", to)].compactMap { name, date in
            date.map { URLQueryItem(name: name, value: ISO8601DateFormatter().string(from: $0)) }
        }
        return try await call(Endpoint("GET", "/v1/merchants/me/dashboard"), query: query)
    }
    /// A shop's public details, before paying it.
    public func merchant(code: String) async throws -> PublicMerchant { try await call(Endpoint("GET", "/v1/merchants/{code}"), path: ["code": code]) }
    /// Pays a shop's QR code. Reuse `idempotencyKey` when retrying the same payment.
    public func payQR(_ input: QRPaymentInput, idempotencyKey: String) async throws -> TransactionCreated {
        try await call(Endpoint("POST", "/v1/transactions/qr-payment"), body: input, headers: ["Idempotency-Key": idempotencyKey])
    }

    static func paging(_ limit: Int?, _ cursor: String?) -> [URLQueryItem] {
        [limit.map { URLQueryItem(name: "limit", value: String($0)) }, cursor.map { URLQueryItem(name: "cursor", value: $0) }].compactMap { $0 }
    }

    static func linkTerms(_ amountMinor: Int64?, _ reference: String?) -> [URLQueryItem] {
        [amountMinor.map { URLQueryItem(name: "amountMinor", value: String($0)) }, reference.map { URLQueryItem(name: "reference", value: $0) }]
            .compactMap { $0 }
    }
}
