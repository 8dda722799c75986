import Foundation
import Observation

/// Onboarding: what a new customer does before the first payment, one step at a time. A +47
/// phone number, the terms and the privacy notice at their current versions, then the identity
/// check in Sumsub's SDK. The verdict arrives at Drop by webhook, so the model asks until it is known.
@Observable
@MainActor
public final class OnboardingModel {
    public enum Step: Sendable, Equatable {
        /// No phone number yet.
        case phone
        /// A required consent is missing or was given to an older version.
        case consents
        /// The identity check: `.none` or `.retry` (start it), `.pending` (waiting for the verdict),
        /// `.rejected` (final: the customer can't pay; show `rejectLabels` and the complaints route).
        case identityCheck(KYCState)
        /// Approved: the customer can link a bank and pay.
        case done
    }

    public private(set) var step: Step?
    public private(set) var user: User?
    public private(set) var consents: [Consent] = []
    public private(set) var kyc: KYCStatus?
    /// Where to open Sumsub's SDK, once the check has been started.
    public private(set) var identityCheck: KYCStart?
    /// The issues of the last save, per field (`phone`).
    public private(set) var fieldIssues: [String: FieldIssue] = [:]
    public private(set) var problem: Problem?

    let environment: ClientEnvironment
    weak var session: SessionModel?

    public init(environment: ClientEnvironment, session: SessionModel? = nil) {
        self.environment = environment
        self.session = session
    }

    /// The consents onboarding asks for (terms and privacy); marketing is optional and lives in Profil.
    public var requiredConsents: [Consent] { consents.filter(\.required) }

    public func load() async {
        await run { client in
            self.user = try await client.me()
            self.consents = try await client.consents().items
            self.kyc = try await client.kycStatus()
        }
    }

    /// Saves the phone number as typed; the server checks it is a Norwegian mobile number.
    public func savePhone(_ text: String) async {
        await run { client in
            let user = try await client.updateProfile(ProfilePatch(phone: text))
            self.user = user
            self.session?.update(user)
        }
    }

    /// Accepts every required consent that isn't current, at the version shown.
    public func acceptRequiredConsents() async {
        await run { client in
            for consent in self.requiredConsents where !consent.isCurrent {
                _ = try await client.setConsent(ConsentInput(type: consent.type, version: consent.currentVersion, granted: true))
            }
            self.consents = try await client.consents().items
        }
    }

    /// Starts (or restarts, after `retry`) the identity check; open `identityCheck.sdkUrl` next.
    public func startIdentityCheck() async {
        await run { client in self.identityCheck = try await client.startKYC() }
    }

    /// Back from the SDK: asks for the verdict every `pollInterval` until there is one (or
    /// `maxPolls` reads; the step then stays `.identityCheck(.pending)` for a later pull).
    public func waitForVerdict() async {
        let environment = environment
        await run { client in
            var polls = 0
            repeat {
                if polls > 0 { try await environment.sleep(environment.pollInterval) }
                self.kyc = try await client.kycStatus()
                polls += 1
            } while !(self.kyc?.status.isVerdict ?? false) && polls < environment.maxPolls
        }
    }

    /// Runs one change, then works out the step from what is now known. A refusal for missing
    /// onboarding (`ONBOARDING_INCOMPLETE`) reloads, so the screen goes back to the missing step.
    private func run(_ change: (DropClient) async throws -> Void) async {
        let client = environment.client
        problem = await perform({ try await change(client) }, reportingTo: session)
        fieldIssues = problem?.fields ?? [:]
        if problem?.code == "ONBOARDING_INCOMPLETE" {
            consents = (try? await client.consents().items) ?? consents
            user = (try? await client.me()) ?? user
        }
        updateStep()
    }

    private func updateStep() {
        guard let user else { return }
        step = if !user.hasPhone {
            .phone
        } else if requiredConsents.contains(where: { !$0.isCurrent }) {
            .consents
        } else if (kyc?.status ?? user.kycStatus) == .approved {
            .done
        } else {
            .identityCheck(kyc?.status ?? user.kycStatus)
        }
    }
}

extension KYCState {
    /// Whether the review has ended (for now): approved, rejected, or asked to try again.
    public var isVerdict: Bool { self == .approved || self == .rejected || self == .retry }
}
