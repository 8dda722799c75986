import Foundation
import Observation

/// Profil: contact details, settings, spending limits, consents, downloading one's data,
/// privacy requests, deleting the account, signing out (here or everywhere).
@Observable
@MainActor
public final class ProfileModel {
    public private(set) var user: User?
    public private(set) var settings: Settings?
    public private(set) var limits: SpendingLimits?
    public private(set) var consents: [Consent] = []
    public private(set) var dataRequests: [DataAccessRequest] = []
    /// The last download of the customer's data (GDPR export), to save or share.
    public private(set) var export: DataExport?
    /// The issues of the last save, per field (`phone`, `email`, `daily`, `monthly`, …).
    public private(set) var fieldIssues: [String: FieldIssue] = [:]
    public private(set) var problem: Problem?
    public private(set) var erasure: ErasureReceipt?

    let environment: ClientEnvironment
    weak var session: SessionModel?

    public init(environment: ClientEnvironment, session: SessionModel? = nil) {
        self.environment = environment
        self.session = session
    }

    public func load() async {
        let client = environment.client
        do {
            user = try await client.me()
            settings = try await client.settings()
            limits = try await client.spendingLimits()
            consents = try await client.consents().items
            dataRequests = try await client.dataRequests().items
            problem = nil
        } catch {
            fail(error)
        }
    }

    public func updateProfile(_ patch: ProfilePatch) async {
        await saving { client in
            let user = try await client.updateProfile(patch)
            self.user = user
            self.session?.update(user)
        }
    }

    /// Sends the confirmation link for the email address again.
    public func resendEmailConfirmation() async {
        await saving { client in try await client.resendEmailConfirmation() }
    }

    /// Confirms the email address from its link (opened in the app), then shows the profile as it now is.
    public func confirmEmail(token: String) async {
        await saving { client in
            _ = try await client.confirmEmail(token: token)
            let user = try await client.me()
            self.user = user
            self.session?.update(user)
        }
    }

    public func save(_ settings: Settings) async {
        await saving { client in self.settings = try await client.saveSettings(settings) }
    }

    /// Sets the daily and/or monthly limit from what was typed (NOK, e.g. `20 000`).
    public func setLimits(daily: String?, monthly: String?) async {
        var issues: [String: FieldIssue] = [:]
        func amount(_ text: String?, _ field: String) -> Money? {
            guard let text, !text.isEmpty else { return nil }
            guard let minor = Money.parseMinor(text) else {
                issues[field] = FieldIssue(issue: "format", message: nil)
                return nil
            }
            return Money(amountMinor: minor, currency: "NOK")
        }
        let input = SpendingLimitsInput(daily: amount(daily, "daily"), monthly: amount(monthly, "monthly"))
        guard issues.isEmpty else {
            fieldIssues = issues
            return
        }
        await saving { client in self.limits = try await client.setSpendingLimits(input) }
    }

    /// Grants or withdraws a consent, at its current version.
    public func setConsent(_ type: ConsentType, granted: Bool) async {
        guard let consent = consents.first(where: { $0.type == type }) else { return }
        await saving { client in
            _ = try await client.setConsent(ConsentInput(type: type, version: consent.currentVersion, granted: granted))
            self.consents = try await client.consents().items
        }
    }

    /// Downloads everything Drop holds about the customer.
    public func downloadData() async {
        await saving { client in self.export = try await client.exportData() }
    }

    public func request(_ kind: DataRequestKind, details: String?) async {
        await saving { client in
            let request = try await client.requestData(DataAccessRequestInput(kind: kind, details: details))
            self.dataRequests.insert(request, at: 0)
        }
    }

    /// Deletes the account (after the screen's confirmation); the app is then signed out.
    public func deleteAccount() async {
        await saving { client in
            self.erasure = try await client.eraseAccount()
            self.session?.erased()
        }
    }

    public func signOut() async {
        await session?.signOut()
    }

    public func signOutEverywhere() async {
        await session?.signOutEverywhere()
    }

    /// Runs one change; refused fields go to `fieldIssues`, anything else to `problem`.
    private func saving(_ change: (DropClient) async throws -> Void) async {
        let client = environment.client
        problem = await perform({ try await change(client) }, reportingTo: session)
        fieldIssues = problem?.fields ?? [:]
    }

    private func fail(_ error: any Error) {
        let problem = Problem(error)
        self.problem = problem
        session?.report(problem)
    }
}
