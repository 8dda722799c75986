import DropKit
import Foundation
import HummingbirdTesting
import NIOConcurrencyHelpers
import Testing
@testable import DropAPI

/// DropKit against a live Drop: the app's sign-in, its view models and its wire types, over real HTTP.
@Suite("DropKit")
struct DropKitTests {
    static let kari = "15039010043"
    static let ola = "01078510133"

    @Test func clientTalksToALiveServer() async throws {
        try await TestApp.test(.live) { client, _ in
            let port = try #require(client.port)
            let drop = DropClient(baseURL: URL(string: "http://127.0.0.1:\(port)")!)
            #expect(try await drop.health() == .init(status: "ok"))
            do {
                let _: DropClient.Health = try await drop.send("GET", "v1/nothing")
                Issue.record("expected an error")
            } catch let error as APIError {
                #expect(error.status == 404)
                #expect(error.code == "NOT_FOUND")
            }
        }
    }

    /// The contract: DropKit has a use for every customer and merchant operation of openapi.json,
    /// and no use for an operation the document doesn't have.
    @Test func dropKitKnowsEveryCustomerAndMerchantOperation() {
        let documented = Set(Self.customerOperations())
        let known = Set(DropClient.operations.keys)
        #expect(documented.subtracting(known).isEmpty, "in openapi.json, unknown to DropKit: \(documented.subtracting(known).map(\.description).sorted())")
        #expect(known.subtracting(documented).isEmpty, "in DropKit, not in openapi.json: \(known.subtracting(documented).map(\.description).sorted())")
    }

    /// Kari signs in through PKCE, onboards, links her bank, sends 2 500 NOK to Germany through the
    /// Send view model until it is `completed`, and pays Mona's QR code through the QR view model;
    /// on the way every customer and merchant operation is called on the live server and its answer
    /// decoded with DropKit's type (the contract test: a field renamed or retyped on the server fails here).
    @Test func kariSendsMoneyAndPaysMonaThroughTheViewModelsAndEveryAnswerDecodes() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon)) { server in
            let decoded = NIOLockedValueBox<Set<Endpoint>>([])
            try await Self.journey(server) { endpoint in decoded.withLockedValue { _ = $0.insert(endpoint) } }
            let expected = Set(DropClient.operations.compactMap { endpoint, use in if case .method = use { endpoint } else { nil } })
            let missing = expected.subtracting(decoded.withLockedValue { $0 })
            #expect(missing.isEmpty, "never called and decoded from the live server: \(missing.map(\.description).sorted())")
        }
    }

    /// A token that expired signs the app out (state and store); a 503 from a bank and a 429 are typed problems with Retry-After.
    @Test func expiredSessionsProviderOutagesAndRateLimitsAreTypedProblems() async throws {
        try await LiveServer.run(clock: TestClock(LiveServer.wednesdayNoon), rateLimited: true) { server in
            try await Self.failures(server)
        }
    }

    // MARK: The journeys

    @MainActor
    static func journey(_ server: LiveServer, record: @escaping @Sendable (Endpoint) -> Void) async throws {
        let kari = PhoneApp(server, record: record)
        try await kari.signIn(Self.kari)
        _ = try await kari.client.session()
        try await kari.onboard()
        try await kari.linkBank("dnb")
        try await server.refreshExchangeRates()
        #expect(try await kari.client.corridors().items.contains { $0.country == "DE" && $0.rail == .sepa })
        #expect(try await kari.client.exchangeRates().items.contains { $0.currency == "EUR" })
        // The calculator's price before signing in is the price a quote then holds.
        let price = try await PhoneApp(server, record: record).client.price(QuoteInput(country: "DE", currency: "EUR", sendAmountMinor: 250_000))
        #expect(price.fee.amountMinor == 1_250 && price.total.amountMinor == 251_250 && price.receive.currency == "EUR" && price.estimatedDelivery == "same or next business day")

        // Send: a refused recipient shows the field's issue; the right one is added and picked.
        let send = SendModel(environment: kari.environment(paying: server), session: kari.session)
        await send.load()
        #expect(await send.addRecipient(DropKit.RecipientInput(name: "Hans Meier", country: "DE", currency: "EUR", iban: "DE00 0000 0000 0000 0000 00")) == false)
        #expect(send.recipientIssues["iban"] != nil, "\(send.recipientIssues)")
        #expect(await send.addRecipient(DropKit.RecipientInput(name: "Hans Meier", country: "DE", currency: "EUR", iban: "de89 3704 0044 0532 0130 00",
                                                        relationship: .family)))
        let hans = try #require(send.recipient)
        send.account = send.accounts.first { $0.balance?.amountMinor == 4_235_000 }
        try #require(send.account != nil)
        send.setAmount("2 500")
        await send.refreshQuote()
        let quote = try #require(send.quote, "\(String(describing: send.problem))")
        #expect(quote.send == DropKit.Money(amountMinor: 250_000, currency: "NOK") && quote.fee == DropKit.Money(amountMinor: 1_250, currency: "NOK"))
        #expect(quote.receive.currency == "EUR" && send.secondsLeft > 0 && send.canConfirm)
        #expect(try await kari.client.quote(id: quote.id) == quote)
        await send.confirm()
        guard case .awaitingApproval(let sca) = send.phase else { Issue.record("no SCA: \(send.phase) \(String(describing: send.problem))"); return }
        let key = try #require(send.idempotencyKey)
        // The bank's page, then back to the app.
        let link = try await kari.approve(sca)
        #expect(link == .transaction(id: try #require(send.transaction?.id)))
        #expect(await send.open(link))
        #expect(send.phase == .finished(.completed), "\(send.phase) \(String(describing: send.transaction?.status))")
        #expect(send.transaction?.history?.map(\.status) == [.pendingSCA, .processing, .completed])
        #expect(send.idempotencyKey == key)

        // Hjem after the transfer.
        let home = HomeModel(environment: kari.environment(), session: kari.session)
        await home.load()
        #expect(home.problem == nil && home.staleness == .fresh && home.recent.first?.status == .completed)
        #expect(home.unreadCount > 0)
        let notifications = try await kari.client.notifications()
        try await kari.client.markRead(notification: try #require(notifications.items.first?.id))
        await home.markAllRead()
        #expect(home.unreadCount == 0)

        // The rest of what a customer reads and changes.
        let id = try #require(send.transaction?.id)
        #expect(try await kari.client.transactions(TransactionFilter(status: .completed)).items.map(\.id) == [id])
        #expect(try await kari.client.receipt(id: id).contains("Hans Meier"))
        #expect(try await kari.client.receiptPDF(id: id).starts(with: Array("%PDF-1.4".utf8)))
        // Hans follows it from a link Kari shares, without an account.
        let tracking = try await kari.client.shareTracking(id: id)
        let tracked = try await PhoneApp(server, record: record).client.tracking(token: tracking.url.lastPathComponent)
        #expect(tracked.payer == "Kari" && tracked.status == DropKit.TransferStatus.completed && tracking.expiresAt != nil)
        #expect(tracked.steps.allSatisfy { $0.state == DropKit.TrackedTransfer.Step.State.done })
        try await kari.client.stopTracking(id: id)
        #expect(try await kari.client.recipient(id: hans.id).iban == "DE89370400440532013000")
        #expect(try await kari.client.updateRecipient(id: hans.id, DropKit.RecipientPatch(bankName: "Commerzbank")).bankName == "Commerzbank")
        let spare = try await kari.client.addRecipient(DropKit.RecipientInput(name: "Erika Muster", country: "DE", currency: "EUR", iban: "DE94370400440532010000",
                                                                             relationship: .friend))
        try await kari.client.deleteRecipient(id: spare.id)
        let accounts = try await kari.client.bankAccounts().items
        #expect(try await kari.client.refreshBankAccount(id: accounts[0].id).id == accounts[0].id)
        #expect(try await kari.client.balance().accounts.count == accounts.count)
        // A transfer left at the bank's page is cancelled.
        let pending = try await kari.client.sendMoney(RemittanceInput(recipientId: hans.id, amountMinor: 20_000, bankAccountId: accounts[0].id),
                                                      idempotencyKey: UUID().uuidString)
        #expect(try await kari.client.cancelTransaction(id: pending.transaction.id).status == .cancelled)

        // A standing transfer to Hans: approved once at the bank, then paused, resumed (a new approval) and stopped.
        let standing = StandingOrdersModel(environment: kari.environment(), session: kari.session)
        let tomorrow = String(ISO8601DateFormatter().string(from: server.clock.date.addingTimeInterval(86_400)).prefix(10))
        await standing.create(NewStandingOrder(recipientId: hans.id, bankAccountId: accounts[0].id, amountMinor: 100_000, frequency: .monthly,
                                               startDate: tomorrow))
        let approval = try #require(standing.approvalURL, "\(String(describing: standing.problem))")
        let approved = try await kari.approve(approval)
        guard case .standingOrder(let orderId) = approved else { Issue.record("back to \(approved)"); return }
        await standing.returnedFromBank()
        let order = try #require(standing.running.first { $0.id == orderId })
        #expect(order.status == .active && order.total == DropKit.Money(amountMinor: 100_500, currency: "NOK") && order.nextPaymentDate == tomorrow)
        #expect(try await kari.client.standingOrder(id: orderId).payments?.isEmpty == true)
        await standing.pause(order)
        #expect(standing.running.first?.status == .paused, "\(String(describing: standing.problem))")
        await standing.replace(try #require(standing.running.first))
        let resumed = try #require(standing.running.first { $0.replacesId == orderId })
        #expect(standing.approvalURL != nil && resumed.status == .pendingSCA)
        await standing.stop(resumed)
        await standing.stop(try #require(standing.running.first { $0.id == orderId }))
        #expect(standing.running.isEmpty && standing.orders.allSatisfy { $0.status == .stopped }, "\(standing.orders.map(\.status))")

        let profile = ProfileModel(environment: kari.environment(), session: kari.session)
        await profile.load()
        // An email address, confirmed from the link the confirmation email carries.
        await profile.updateProfile(ProfilePatch(email: "kari@example.no"))
        #expect(profile.user?.email == "kari@example.no" && profile.user?.emailVerified == false, "\(String(describing: profile.problem))")
        await profile.resendEmailConfirmation()
        let confirmation = server.services.emailConfirmation.link(userId: try #require(profile.user?.id), address: "kari@example.no")
        await profile.confirmEmail(token: try #require(confirmation.components(separatedBy: "token=").last))
        #expect(profile.user?.emailVerified == true, "\(String(describing: profile.problem))")
        await profile.save(DropKit.Settings(notifyEmail: false, notifyPush: true, theme: .dark))
        #expect(profile.settings?.theme == .dark)
        await profile.setLimits(daily: "abc", monthly: nil)
        #expect(profile.fieldIssues["daily"]?.issue == "format")
        await profile.setLimits(daily: "20 000", monthly: nil)
        #expect(profile.limits?.daily == DropKit.Money(amountMinor: 2_000_000, currency: "NOK"), "\(String(describing: profile.problem))")
        await profile.setConsent(.marketing, granted: true)
        #expect(profile.consents.first { $0.type == .marketing }?.granted == true)
        await profile.request(.access, details: "Alt dere har om meg")
        #expect(profile.dataRequests.first?.kind == .access)
        await profile.downloadData()
        #expect(profile.export?.transactions.count == 2 && profile.export?.profile.name == "Kari Nordmann", "\(String(describing: profile.problem))")
        let complaint = try await kari.client.fileComplaint(ComplaintInput(subject: "Treg overføring", description: "Det tok tid.", transactionId: id))
        #expect(try await kari.client.complaints().items.map(\.id) == [complaint.id])
        #expect(try await kari.client.complaint(id: complaint.id).status == .open)
        try await kari.client.removeBankAccount(id: try #require(accounts.last?.id))

        // Mona registers her café and makes a one-purchase code; Kari pays it with the QR view model.
        let mona = PhoneApp(server, record: record)
        try await mona.signIn(LiveServer.mona)
        try await mona.onboard()
        try await mona.linkBank("dnb")
        let settlement = try #require(try await mona.client.bankAccounts().items.first)
        let merchant = try await mona.client.registerMerchant(MerchantInput(organisationNumber: "923 456 783", name: "Monas Kaffebar", mcc: "5814",
                                                                            city: "Oslo", settlementBankAccountId: settlement.id))
        #expect(try await mona.client.myMerchant() == merchant)
        let code = try await mona.client.paymentLink(amountMinor: 24_900, reference: "Bord 4")
        #expect(code.amountMinor == 24_900 && code.reference == "Bord 4")
        #expect(try await mona.client.paymentLinkSVG().contains("<svg"))

        // Mona's dashboard is open and live while Kari pays.
        let dashboard = MerchantModel(environment: mona.environment(), session: mona.session)
        await dashboard.load()
        #expect(dashboard.merchant == merchant && dashboard.payments.isEmpty)
        let live = Task { await dashboard.live() }
        for _ in 1...100 where !dashboard.isLive { await Task.yield() }

        let qr = QRModel(environment: kari.environment(settling: server), session: kari.session)
        await qr.open("https://drop.example.com/pay/\(merchant.code)")
        #expect(qr.link == .refused(.foreignOrigin(host: "drop.example.com")))
        await qr.open(code.url)
        guard case .ready(let scanned, let shop) = qr.link else { Issue.record("QR not ready: \(qr.link) \(String(describing: qr.problem))"); return }
        #expect(shop.name == "Monas Kaffebar" && !qr.needsAmount && qr.amountMinor == 24_900 && scanned.reference == "Bord 4")
        qr.account = qr.accounts.first { $0.balance?.amountMinor ?? 0 > 24_900 }
        await qr.pay()
        guard case .awaitingApproval(let qrSCA) = qr.phase else { Issue.record("no SCA: \(qr.phase) \(String(describing: qr.problem))"); return }
        #expect(await qr.open(try await kari.approve(qrSCA)))
        #expect(qr.phase == .finished(.completed) && qr.transaction?.merchant?.name == "Monas Kaffebar", "\(qr.phase)")
        for _ in 1...100 where dashboard.payments.first?.status != .completed { try await Task.sleep(for: .milliseconds(100)) }
        live.cancel()
        await live.value
        #expect(dashboard.payments.map(\.status) == [.completed] && dashboard.completedTotal == DropKit.Money(amountMinor: 24_900, currency: "NOK"),
                "\(dashboard.payments) \(String(describing: dashboard.problem))")
        let board = try await mona.client.merchantDashboard()
        #expect(board.payments.first?.amount == DropKit.Money(amountMinor: 24_900, currency: "NOK") && board.count == 1)

        // Signing out: Mona everywhere (her token stops working), Kari on this phone.
        let monasToken = try #require(await mona.client.tokens.load())
        await mona.session.signOutEverywhere()
        #expect(mona.session.state == .signedOut(.signedOut))
        await mona.client.tokens.save(monasToken)
        await #expect(throws: APIError.self) { try await mona.client.me() }
        #expect(await mona.client.tokens.load() == nil)
        await kari.session.signOut()
        #expect(kari.session.state == .signedOut(.signedOut))
        #expect(await kari.client.tokens.load() == nil)

        // Ola, who has nothing under way, deletes his account from Profil. Minutes after signing in, the app is told
        // to sign in with BankID again first (it stays signed in, token and all); after that the account goes.
        let ola = PhoneApp(server, record: record)
        try await ola.signIn(Self.ola)
        let olasProfile = ProfileModel(environment: ola.environment(), session: ola.session)
        server.clock.advance(6 * 60)
        await olasProfile.deleteAccount()
        #expect(olasProfile.problem == .stepUpRequired && olasProfile.erasure == nil, "\(String(describing: olasProfile.problem))")
        let olasToken = await ola.client.tokens.load()
        let stillSignedIn = if case .signedIn = ola.session.state { true } else { false }
        #expect(stillSignedIn && olasToken != nil)
        try await ola.signIn(Self.ola, stepUp: true)
        await olasProfile.deleteAccount()
        #expect(olasProfile.erasure?.status == "completed" && ola.session.state == .signedOut(.erased), "\(String(describing: olasProfile.problem))")
    }

    @MainActor
    static func failures(_ server: LiveServer) async throws {
        let kari = PhoneApp(server)
        try await kari.signIn(Self.kari)
        #expect(try await kari.client.me().kycStatus == KYCState.none)

        // A bank that is down: a typed 503 with Retry-After, and nothing retried behind the person's back.
        server.sandboxes.faults.bank.fault = .unavailable
        do {
            _ = try await kari.client.connectBank("dnb")
            Issue.record("connect should have failed")
        } catch {
            guard case .providerUnavailable(let retryAfter) = Problem(error) else { Issue.record("\(error)"); return }
            #expect((retryAfter ?? 0) > 0)
        }
        server.sandboxes.faults.bank.fault = nil

        // The session runs out: Hjem's next load signs the app out and forgets the token.
        let home = HomeModel(environment: kari.environment(), session: kari.session)
        server.clock.advance(SignInService.mobileSessionLifetime + 1)
        await home.load()
        #expect(home.problem == .signedOut && kari.session.state == .signedOut(.expired))
        #expect(await kari.client.tokens.load() == nil)

        // Sign-in attempts beyond the limit: RATE_LIMITED with Retry-After.
        var limited: Problem?
        for _ in 1...12 where limited == nil {
            do {
                _ = try await kari.client.exchange(code: "not-a-code", verifier: DropKit.PKCE().verifier)
            } catch {
                if case .rateLimited = Problem(error) { limited = Problem(error) }
            }
        }
        guard case .rateLimited(let retryAfter)? = limited else { Issue.record("never rate limited"); return }
        #expect((retryAfter ?? 0) > 0)
    }

    /// The customer and merchant operations of openapi.json (not admin, not webhooks, not meta).
    static func customerOperations() -> [Endpoint] {
        OpenAPIDocument.operations().filter { $0.path.hasPrefix("/v1/") && $0.tag != "Admin" && !$0.path.hasPrefix("/v1/webhooks/") }
            .map { Endpoint($0.method, $0.path) }
    }
}

/// One person's app: a client with its own token, the session model, and the browser steps
/// (BankID, the bank's SCA page) the system browser would take.
@MainActor
final class PhoneApp {
    let server: LiveServer
    let client: DropClient
    let session: SessionModel
    private var nationalId = ""

    init(_ server: LiveServer, record: (@Sendable (Endpoint) -> Void)? = nil) {
        self.server = server
        client = DropClient(baseURL: URL(string: server.baseURL)!, tokens: InMemoryTokenStore(), onDecoded: record)
        // The phone's own id, as an app keeps it (`DeviceID.kept(in:)`): sent with every sign-in.
        session = SessionModel(client: client, deviceId: DeviceID.make())
    }

    func environment(sleep: (@Sendable (Duration) async throws -> Void)? = nil) -> ClientEnvironment {
        ClientEnvironment(client: client, now: server.clock.function, sleep: sleep ?? { _ in }, pollInterval: .seconds(1), maxPolls: 60)
    }

    /// While a transfer is followed, time passes: the bank settles by webhook, the payout partner gets the pain.001 and answers.
    func environment(paying server: LiveServer) -> ClientEnvironment {
        environment { _ in
            try await Task.sleep(for: .milliseconds(100))
            server.clock.advance(31)
            let payouts = server.services.payouts()
            _ = try await payouts.submitDue()
            _ = try await payouts.pollReports()
        }
    }

    /// While a QR payment is followed, the bank's settlement webhook arrives.
    func environment(settling server: LiveServer) -> ClientEnvironment {
        environment { _ in
            try await Task.sleep(for: .milliseconds(100))
            server.clock.advance(15)
        }
    }

    /// The PKCE flow: the authorize URL in the browser, BankID, Drop's `drop://auth/callback`, the exchange
    /// (`stepUp`: BankID again for what needs a recent sign-in).
    func signIn(_ nationalId: String, stepUp: Bool = false) async throws {
        self.nationalId = nationalId
        let url = session.beginSignIn(stepUp: stepUp)
        #expect(url.absoluteString.hasPrefix(server.baseURL + "/v1/auth/bankid/start?client=mobile&code_challenge="))
        let (back, _) = try await server.approveAtBankID(startURL: url.absoluteString, nationalId: nationalId)
        let link = try await appLink(server.get(try #require(back.location)))
        guard case .authCallback = link else { throw DriverError("sign-in came back as \(link)") }
        #expect(await session.open(link))
        guard case .signedIn = session.state else { throw DriverError("not signed in: \(session.state) \(String(describing: session.problem))") }
    }

    /// Onboarding one step at a time: a phone number the server refuses, then a good one, the
    /// consents, the identity check in Sumsub's SDK, and the verdict the model waits for.
    func onboard() async throws {
        let onboarding = OnboardingModel(environment: environment { _ in try await Task.sleep(for: .milliseconds(100)) }, session: session)
        await onboarding.load()
        #expect(onboarding.step == .phone)
        await onboarding.savePhone("+46 70 123 45 67")
        #expect(onboarding.step == .phone && onboarding.fieldIssues["phone"] != nil, "\(onboarding.fieldIssues)")
        await onboarding.savePhone("+47 912 34 567")
        #expect(onboarding.step == .consents && session.user?.phone == "+4791234567")
        // Asked for before the consents, the check says what is missing and the step stays.
        await onboarding.startIdentityCheck()
        #expect(onboarding.problem?.code == "ONBOARDING_INCOMPLETE" && onboarding.step == .consents)
        await onboarding.acceptRequiredConsents()
        #expect(onboarding.step == .identityCheck(.none) && onboarding.requiredConsents.allSatisfy(\.isCurrent))
        await onboarding.startIdentityCheck()
        let sdk = try #require(onboarding.identityCheck?.sdkUrl, "\(String(describing: onboarding.problem))")
        _ = try await KYCTests.submitDocuments(server, sdkURL: sdk.absoluteString)
        await onboarding.waitForVerdict()
        #expect(onboarding.step == .done && onboarding.problem == nil, "\(String(describing: onboarding.step)) \(String(describing: onboarding.problem))")
    }

    /// Links a bank: Drop's consent, the bank's page in the browser, back on `drop://bank-accounts/callback`.
    func linkBank(_ bank: String) async throws {
        let banks = BankLinkModel(environment: environment(), session: session)
        await banks.load()
        let chosen = try #require(banks.banks.first { $0.id == bank })
        let before = banks.accounts.count
        await banks.link(chosen)
        guard case .awaitingBank(bank, let page) = banks.phase else { throw DriverError("not at the bank: \(banks.phase) \(String(describing: banks.problem))") }
        let link = try await approve(page)
        #expect(await banks.open(link))
        #expect(banks.phase == .linked(bank: bank) && banks.accounts.count > before && banks.accountsToReconnect.isEmpty)
    }

    /// Approves at the bank's page and returns the link Drop sends the app back with.
    func approve(_ sca: URL) async throws -> DeepLink {
        let back = try await server.approveAtBank(sca.absoluteString, as: nationalId)
        return try await appLink(server.get(try #require(back.location, "bank answered \(back.status)")))
    }

    func appLink(_ reply: LiveServer.Reply) throws -> DeepLink {
        let location = try #require(reply.location, "Drop answered \(reply.status): \(reply.body)")
        #expect(location.hasPrefix("drop://"))
        let url = try #require(URL(string: location))
        return try #require(DeepLink(url: url), "not a route: \(location)")
    }
}
