import DropAPI
import DropProviders
import DropSandbox
import Foundation
import Hummingbird
import Logging

/// The simulated outside parties, mounted under `/sandbox/…` outside production only. Each is its
/// own "company": its own keys and state under `data/sandbox/`, reached by Drop's real clients over
/// HTTP (docs/decisions/0003). The `drop` composition root adds this feature, so DropAPI knows no
/// sandbox; tests reach the mounted ones and their fault switches through `sandboxes`.
public struct SandboxFeature: AppFeature {
    public let sandboxes: HostedSandboxes

    public init(_ sandboxes: HostedSandboxes = HostedSandboxes()) {
        self.sandboxes = sandboxes
    }

    /// Mona's café, settling to her account at the bank sandbox.
    public func seedDemoData(_ services: AppServices) async throws -> [String] {
        guard services.config.sandboxesEnabled, !services.config.isProduction else { return [] }
        return try await MerchantDemoData.seed(services)
    }

    /// Where the sandboxes keep their keys and state: `data/sandbox/`.
    public static func stateDirectory(dataDirectory: String) -> URL {
        URL(fileURLWithPath: dataDirectory).appendingPathComponent("sandbox")
    }

    public func addRoutes(to router: Router<AppRequestContext>, services: AppServices) {
        guard services.config.sandboxesEnabled, !services.config.isProduction else { return }
        let config = services.config
        let baseURL = services.publicBaseURL
        let directory = Self.stateDirectory(dataDirectory: config.dataDirectory)
        let logger = services.logger

        do {
            let bankID = try BankIDSandbox(
                issuer: { baseURL.url + "/sandbox/bankid" },
                clients: [BankIDSandboxClient(
                    clientID: config.providers.bankIDClientID, clientSecret: config.bankIDClientSecret,
                    redirectURIs: [baseURL.url + "/v1/auth/bankid/callback"], displayName: "Drop")],
                keyDirectory: directory, now: services.clock, logger: logger)
            bankID.addRoutes(to: router.group("/sandbox/bankid").add(middleware: SandboxRequestLog(sandbox: "bankid", logger: logger)).add(middleware: SandboxPagePolicy()))
        } catch {
            logger.error("the BankID sandbox could not start", metadata: ["error_type": .string(String(describing: type(of: error)))])
        }

        do {
            let sumsub = try SumsubSandbox(
                configuration: SumsubSandboxConfiguration(
                    credentials: [.init(appToken: config.sumsubAppToken, secretKey: config.sumsubSecretKey)],
                    webhookSecret: config.secrets.sumsubWebhookSecret,
                    stateFilePath: SumsubSandboxConfiguration.stateFilePath(inDataDirectory: directory.path)),
                webhookURL: { baseURL.url + "/v1/webhooks/sumsub" },
                httpClient: services.httpClient, now: services.clock, logger: logger)
            sumsub.addRoutes(to: router.group("/sandbox/sumsub").add(middleware: SandboxRequestLog(sandbox: "sumsub", logger: logger)).add(middleware: SandboxPagePolicy()))
            services.background.add("sumsub-sandbox-webhooks") { await sumsub.runWebhookDelivery() }
        } catch {
            logger.error("the Sumsub sandbox could not start", metadata: ["error_type": .string(String(describing: type(of: error)))])
        }

        do {
            let bank = try BankSandbox(
                configuration: BankSandboxConfiguration(
                    tppCredentials: .init(clientId: config.providers.openBankingClientID, clientSecret: config.openBankingClientSecret),
                    webhookSecret: config.secrets.openBankingWebhookSecret,
                    stateFilePath: config.bankSandboxStateInMemory ? nil : BankSandboxConfiguration.stateFilePath(inDataDirectory: directory.path)),
                webhookURL: { baseURL.url + "/v1/webhooks/open-banking" },
                httpClient: services.httpClient, faults: sandboxes.faults.bank, now: services.clock, logger: logger)
            bank.addRoutes(to: router.group("/sandbox/bank").add(middleware: SandboxRequestLog(sandbox: "bank", logger: logger)).add(middleware: SandboxPagePolicy()))
            sandboxes.bank = bank
            services.background.add("bank-sandbox-webhooks") { await bank.runWebhookDelivery() }
        } catch {
            logger.error("the bank sandbox could not start", metadata: ["error_type": .string(String(describing: type(of: error)))])
        }

        do {
            let payout = try PayoutSandbox(
                configuration: PayoutSandboxConfiguration(
                    credentials: .init(clientId: config.providers.payoutClientID, clientSecret: config.payoutClientSecret),
                    stateFilePath: PayoutSandboxConfiguration.stateFilePath(inDataDirectory: directory.path),
                    settlementDelay: config.payoutSandboxSettlement, maximumMessageBytes: config.payoutSandboxMaximumMessageBytes),
                faults: sandboxes.faults.payout,
                // Users' banks pay into the partner's collection account at the bank sandbox; returns go back from there.
                collection: sandboxes.bank.map { BankSandboxCollectionAccount(bank: $0, accountNumber: config.providers.payoutCollectionAccount) },
                now: services.clock, logger: logger)
            payout.addRoutes(to: router.group("/sandbox/payout").add(middleware: SandboxRequestLog(sandbox: "payout", logger: logger)))
            sandboxes.payout = payout
        } catch {
            logger.error("the payout sandbox could not start", metadata: ["error_type": .string(String(describing: type(of: error)))])
        }

        FXFeedSandbox(now: services.clock, faults: sandboxes.faults.fx, logger: logger)
            .addRoutes(to: router.group("/sandbox/fx").add(middleware: SandboxRequestLog(sandbox: "fx", logger: logger)))

        sandboxes.mail?.addRoutes(to: router.group("/sandbox/mail"))
    }

    /// In development with no `SMTP_URL`: starts the mail sandbox on a free loopback port and
    /// points Drop's SMTP client at it, so every email can be read at `/sandbox/mail`.
    public func startMailSandbox(for services: inout AppServices) async throws {
        guard services.config.sandboxesEnabled, !services.config.isProduction, services.config.email == nil else { return }
        let mail = try await MailSandbox.start(now: services.clock, logger: services.logger)
        sandboxes.mail = mail
        services.mailer = Mailer.live(EmailSettings(smtp: SMTPSettings(host: "127.0.0.1", port: mail.port, security: .none),
                                                    from: Mailer.developmentSender), host: "localhost")
    }
}
