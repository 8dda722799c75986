import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging

/// Simulates Sumsub (docs/protocols.md §2) for development and tests: the signed applicant and
/// access-token API, a WebSDK-like page whose submit is reviewed by the sandbox person rules
/// (docs/api.md, "Sandbox persons"), the `testCompleted` control, and signed webhooks to Drop that are
/// retried until acknowledged.
///
/// Like a real outside party it keeps its own state, in `configuration.stateFilePath`, saved on
/// every change and read back when created, undelivered webhooks included.
///
/// Mount: `sandbox.addRoutes(to: router.group("sandbox/sumsub"))`. Webhooks: run
/// `runWebhookDelivery()` for the life of the server (e.g. as a service), or call
/// `deliverPendingWebhooks()` to deliver what is due, as tests do.
public final class SumsubSandbox: Sendable {
    public let configuration: SumsubSandboxConfiguration
    let store: SumsubSandboxStore
    let authenticator: SumsubSandboxRequestAuthenticator
    let dispatcher: SumsubSandboxWebhookDispatcher
    let now: @Sendable () -> Date
    let logger: Logger

    /// - Parameters:
    ///   - webhookURL: where to deliver webhooks, asked at each delivery, so it may name a port
    ///     only known once the server is listening (e.g. `<Drop base URL>/v1/webhooks/sumsub`).
    ///   - httpClient: delivers the webhooks.
    ///   - now: the sandbox's clock, for signature timestamps, token expiry and retry times.
    /// - Throws: when the state file exists but cannot be read.
    public init(
        configuration: SumsubSandboxConfiguration,
        webhookURL: @escaping @Sendable () -> String,
        httpClient: HTTPClient,
        now: @escaping @Sendable () -> Date = { Date() },
        logger: Logger = Logger(label: "drop.sandbox.sumsub")
    ) throws {
        self.configuration = configuration
        self.now = now
        self.logger = logger
        self.authenticator = SumsubSandboxRequestAuthenticator(
            credentials: configuration.credentials, tolerance: configuration.timestampTolerance
        )
        self.dispatcher = SumsubSandboxWebhookDispatcher(
            httpClient: httpClient, targetURL: webhookURL, secret: configuration.webhookSecret,
            timeout: configuration.webhookTimeout, logger: logger
        )
        self.store = try SumsubSandboxStore(
            stateFilePath: configuration.stateFilePath, policy: SumsubSandboxReviewPolicy(), logger: logger
        )
    }

    public func addRoutes<Context: RequestContext>(to group: RouterGroup<Context>) {
        group.post("resources/applicants") { request, _ in
            await self.createApplicant(request)
        }
        group.get("resources/applicants/:applicant/one") { request, context in
            await self.applicant(request, reference: context.parameters.get("applicant") ?? "")
        }
        group.get("resources/applicants/:applicant/status") { request, context in
            await self.applicantStatus(request, applicantId: context.parameters.get("applicant") ?? "")
        }
        group.patch("resources/applicants/:applicant/presence/deactivated") { request, context in
            await self.deactivateApplicant(request, applicantId: context.parameters.get("applicant") ?? "")
        }
        group.post("resources/applicants/:applicant/status/testCompleted") { request, context in
            await self.completeReviewForTesting(request, applicantId: context.parameters.get("applicant") ?? "")
        }
        group.post("resources/accessTokens/sdk") { request, _ in
            await self.issueSDKAccessToken(request)
        }
        group.post("resources/accessTokens") { request, _ in
            await self.issueLegacyAccessToken(request)
        }
        group.get("websdk") { request, _ in
            await self.webSDKPage(request)
        }
        group.post("websdk") { request, _ in
            await self.webSDKSubmit(request)
        }
    }

    // MARK: Webhook delivery

    /// Tries every webhook that is due now, oldest first per applicant, once each.
    /// - Returns: how many Drop acknowledged.
    @discardableResult
    public func deliverPendingWebhooks() async -> Int {
        await SandboxWebhookDelivery.deliverDue(
            claim: { await store.claimDueWebhooks(at: now(), excluding: $0) },
            deliver: { await dispatcher.deliver($0) },
            acknowledge: { try await store.acknowledge(webhookId: $0) },
            recordFailure: { try await store.recordFailedDelivery(webhookId: $0, at: now(), retrySchedule: configuration.webhookRetrySchedule) },
            logger: logger)
    }

    /// Delivers due webhooks every `pollInterval` until the calling task is cancelled.
    public func runWebhookDelivery(pollInterval: Duration = .milliseconds(500)) async {
        await SandboxWebhookDelivery.run(every: pollInterval) { await deliverPendingWebhooks() }
    }

    /// Webhooks not yet acknowledged by Drop (including those waiting for a retry).
    public var undeliveredWebhookCount: Int {
        get async { await store.undeliveredWebhookCount }
    }

    /// Called after a change that queued webhooks, before answering the request.
    func deliverIfConfigured() async {
        if configuration.deliversWebhooksBeforeResponding { await deliverPendingWebhooks() }
    }
}
