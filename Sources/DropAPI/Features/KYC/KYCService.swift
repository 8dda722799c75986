import DropCore
import DropProviders
import DropStore
import Foundation
import Logging

/// Know-your-customer with Sumsub: start (applicant + SDK token) and apply Sumsub's verdicts.
public struct KYCService: Sendable {
    let database: Database
    let identityVerification: Lazy<any IdentityVerification>
    let publicBaseURL: PublicBaseURL
    let clock: @Sendable () -> Date
    let logger: Logger

    public struct Started: Encodable, Sendable {
        public let applicantId: String
        public let accessToken: String
        public let sdkUrl: String
    }

    public struct Status: Encodable, Sendable {
        public let status: KYCStatus
        public let rejectLabels: [String]
    }

    public func start(_ user: UserRecord, requestID: String) async throws -> Started {
        // Sumsub is only asked once the customer has given what onboarding needs.
        let consents = try await database.withConnection { try await ConsentRepository.latest(userId: user.id, on: $0) }
        var granted: [ConsentType: String] = [:]
        for (type, record) in consents where record.granted { if let kind = ConsentType(rawValue: type) { granted[kind] = record.version } }
        let missing = OnboardingPolicy.missing(hasPhone: user.phone != nil, grantedVersions: granted)
        guard missing.isEmpty else {
            throw AppError(.conflict, code: "ONBOARDING_INCOMPLETE", message: "Finish onboarding first: add your phone number and accept the terms and privacy policy.",
                           details: missing.map { ErrorDetail(field: $0.rawValue, issue: "missing") })
        }
        if [.approved, .rejected].contains(user.kycStatus) {
            throw AppError.conflict("Your identity check is already \(user.kycStatus.rawValue).", code: "KYC_ALREADY_DECIDED")
        }
        guard let given = user.givenName, let family = user.familyName, let born = user.birthdate,
              let birthDate = try? CalendarDate(iso: born) else {
            throw AppError.conflict("Sign in with BankID again so we have your name and birth date.", code: "ONBOARDING_INCOMPLETE")
        }
        let client = identityVerification.wrapped
        do {
            // A retried start reuses the applicant Sumsub already has for this customer.
            var applicant = try await client.applicant(byExternalUserId: user.id)
            if applicant == nil {
                do {
                    applicant = try await client.createApplicant(
                        externalUserId: user.id, fixedInfo: SumsubFixedInfo(firstName: given, lastName: family, dateOfBirth: birthDate),
                        email: user.email, phone: user.phone)
                } catch let error as SumsubError where error.isConflict {
                    applicant = try await client.applicant(byExternalUserId: user.id)
                }
            }
            guard let applicant else { throw AppError.providerUnavailable("The identity check could not start.", retryAfterSeconds: 30) }
            let token = try await client.sdkAccessToken(userId: user.id, ttlSeconds: 600)
            let now = clock()
            try await database.transaction { db in
                try await KYCRepository.start(userId: user.id, applicantId: applicant.id, at: now, on: db)
                try await AuditLog.append(AuditEntry(actor: .user(id: user.id), action: "kyc.started", entityType: "user",
                                                     entityId: user.id, data: ["provider": "sumsub"], requestId: requestID), at: now, on: db)
            }
            return Started(applicantId: applicant.id, accessToken: token.token,
                           sdkUrl: client.webSDKURL(accessToken: token.token, returnURL: publicBaseURL.url + "/onboarding"))
        } catch let error as AppError {
            throw error
        } catch {
            logger.warning("KYC start failed", metadata: ["error_type": .string(String(describing: type(of: error)))])
            throw AppError.providerUnavailable("The identity check is unavailable right now. Try again in a minute.", retryAfterSeconds: 60)
        }
    }

    public func status(userId: String) async throws -> Status {
        guard let state = try await database.withConnection({ try await KYCRepository.state(userId: userId, on: $0) }) else {
            throw AppError.unauthenticated
        }
        return Status(status: state.status, rejectLabels: state.rejectLabels.map { $0.split(separator: ",").map(String.init) } ?? [])
    }

    /// Applies a verified Sumsub webhook once: duplicates are acknowledged and ignored, and an
    /// event older than the last one applied (out-of-order delivery) changes nothing.
    func apply(_ event: SumsubWebhookEvent, rawBodyHash: String) async throws {
        let now = clock()
        guard event.type == .applicantReviewed || event.type == .applicantPending || event.type == .applicantOnHold else {
            try await recordOnly(event, rawBodyHash: rawBodyHash, now: now)
            return
        }
        // PEP status comes with the applicant's tags: read them before the transaction (no I/O inside it).
        // A failed read is not "no tags". An approval is refused (503) before anything, its event
        // included, is recorded, so Sumsub delivers it again and the replay check lets it through; a
        // rejection is applied at once (nobody should stay approved while Sumsub is unreachable), with
        // no PEP screening recorded, since none was made (nil tags).
        var tags: [String]? = []
        if event.type == .applicantReviewed {
            do {
                tags = try await identityVerification.wrapped.applicant(id: event.applicantId).tags
            } catch {
                logger.warning("Sumsub applicant lookup failed", metadata: ["error_type": .string(String(describing: type(of: error)))])
                guard event.reviewResult?.reviewAnswer == .red else {
                    try await raiseIfLastingRefusal(error, applicantId: event.applicantId, at: now)
                    throw AppError.providerUnavailable("The applicant's tags could not be read; deliver the webhook again.", retryAfterSeconds: 60)
                }
                tags = nil
            }
        }
        let eventAt = event.createdAt ?? now
        try await database.transaction { db in
            guard try await Self.firstDelivery(event, rawBodyHash: rawBodyHash, now: now, on: db) else { return }
            guard let user = try await UserRepository.lockForVerdict(kycApplicantId: event.applicantId, on: db) else { return }
            let lastApplied = try await KYCRepository.state(userId: user.id, on: db)?.updatedAt
            if let lastApplied, eventAt < lastApplied, user.kycStatus != .pending { return }

            let newStatus: KYCStatus
            var labels: [String] = []
            switch event.type {
            case .applicantReviewed:
                guard let result = event.reviewResult else { return }
                newStatus = KYCStatus.fromReview(answer: result.reviewAnswer.rawValue, rejectType: result.reviewRejectType?.rawValue)
                labels = result.rejectLabels
            default:
                // Pending never overrides a verdict that is already in.
                guard user.kycStatus == .none || user.kycStatus == .pending else { return }
                newStatus = .pending
            }
            let isPEP = tags?.contains("PEP") == true || labels.contains("PEP")
            let isSanctioned = labels.contains("SANCTIONS")
            try await KYCRepository.applyVerdict(
                userId: user.id, status: newStatus, rejectLabels: labels.isEmpty ? nil : labels.joined(separator: ","), eventAt: eventAt,
                isPep: user.isPep || isPEP, isSanctioned: user.isSanctioned || isSanctioned, riskLevel: isSanctioned || isPEP ? .high : user.riskLevel,
                at: now, on: db)
            try await Self.stopWhatIsUnderWay(user, newStatus: newStatus, sanctioned: isSanctioned, at: now, on: db)
            // Found by ongoing screening on someone already approved: compliance looks at them now (an onboarding
            // PEP is looked at with their first payment, which screening alerts on).
            if isPEP, !user.isPep, user.kycStatus == .approved, newStatus == .approved {
                try await AMLScreening.recordAlert(PEPRule.hitFound(configuration: AMLScreening.configuration), userId: user.id,
                                                   transactionId: nil, at: now, on: db)
            }
            if event.type == .applicantReviewed {
                for (kind, hit) in [("pep", isPEP), ("sanctions", isSanctioned)] where kind != "pep" || tags != nil || isPEP {
                    try await KYCRepository.recordScreening(userId: user.id, kind: kind, hit: hit, details: hit ? labels.joined(separator: ",") : nil,
                                                            at: now, on: db)
                }
            }
            try await AuditLog.append(AuditEntry(actor: .provider("sumsub"), action: "kyc.status_changed", entityType: "user",
                                                 entityId: user.id, data: ["from": user.kycStatus, "to": newStatus]),
                                      at: now, on: db)
        }
    }

    /// A customer rejected for good or found sanctioned can no longer pay: their standing transfers
    /// stop (the reconciler cancels them at the bank), and a new sanctions hit raises an AML alert
    /// for compliance, since no payment of theirs will be screened again. Payments waiting for
    /// their approval are cancelled at the bank, and approved ones held before payout, by the job
    /// `payments.withdraw-unavailable` (bank calls stay out of this transaction).
    static func stopWhatIsUnderWay(_ user: UserRecord, newStatus: KYCStatus, sanctioned: Bool, at now: Date, on db: DatabaseConnection) async throws {
        if newStatus == .rejected || sanctioned {
            try await StandingOrderRepository.stopAll(userId: user.id, reason: "compliance", at: now, on: db)
        }
        if sanctioned, !user.isSanctioned {
            try await AMLScreening.recordAlert(SanctionsRule.hitFound(configuration: AMLScreening.configuration), userId: user.id,
                                               transactionId: nil, at: now, on: db)
        }
    }

    /// Sumsub answering that the applicant doesn't exist, or refusing Drop's credentials, won't
    /// pass with redelivery: the customer would wait for ever with no one told. Operations is
    /// alerted once per applicant; the approval is still refused for redelivery, so it is applied
    /// once the cause is fixed.
    private func raiseIfLastingRefusal(_ error: any Error, applicantId: String, at now: Date) async throws {
        guard let refusal = error as? SumsubError, refusal.isNotFound || refusal.isAuthenticationFailure else { return }
        try await database.transaction { db in
            try await OperationsAlertRepository.raise(.identityCheckUnreadable, entityType: "kyc_applicant", entityId: applicantId,
                                                      details: OperationsAlertDetails.IdentityCheckUnreadable(httpStatus: refusal.status, correlationId: refusal.correlationId),
                                                      dedupeKey: "identity-check-unreadable:\(applicantId)", at: now, on: db)
        }
    }

    private func recordOnly(_ event: SumsubWebhookEvent, rawBodyHash: String, now: Date) async throws {
        try await database.transaction { db in _ = try await Self.firstDelivery(event, rawBodyHash: rawBodyHash, now: now, on: db) }
    }

    /// Records the event; false when it was seen before.
    static func firstDelivery(_ event: SumsubWebhookEvent, rawBodyHash: String, now: Date, on db: DatabaseConnection) async throws -> Bool {
        try await WebhookEventRepository.recordFirst(provider: "sumsub", eventId: event.deduplicationKey, payloadSHA256: rawBodyHash, at: now, on: db)
    }
}
