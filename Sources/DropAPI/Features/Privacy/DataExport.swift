import DropCore
import DropStore
import Foundation
import Hummingbird

/// Everything Drop holds about a customer (GDPR art. 15 and 20), as one JSON document.
///
/// Left out on purpose: AML alerts and suspicious transaction reports (hvitvaskingsloven § 31
/// forbids telling the customer about them; GDPR art. 23 allows the restriction), the pid hash
/// and the devices' hashes (they mean nothing outside Drop) and other people's data.
public struct DataExport: Encodable, Sendable {
    public struct Session: Encodable, Sendable {
        let id: String
        let client: String
        let createdAt: Date
        let expiresAt: Date
        let lastSeenAt: Date?
        let revokedAt: Date?
    }

    /// A device they signed in from.
    public struct Device: Encodable, Sendable {
        let client: String
        let firstSeenAt: Date
        let lastSeenAt: Date
    }

    /// A transfer they shared with its receiver by a tracking link.
    public struct TrackingLink: Encodable, Sendable {
        let transactionId: String
        let createdAt: Date
    }

    /// Where a payment was asked for from: the IP address Drop sent the bank with it (PSD2's PSU-IP-Address)
    /// and keeps with the payment record. One of the two ids is set.
    public struct IPAddress: Encodable, Sendable {
        let transactionId: String?
        let standingOrderId: String?
        let ipAddress: String
    }

    public struct KYC: Encodable, Sendable {
        let status: String
        let provider: String
        let applicantId: String?
    }

    public let exportedAt: Date
    public let profile: UserView
    public let settings: [String: String]
    public let spendingLimits: [String: Int64]
    public let consents: [ConsentRecord]
    public let kyc: KYC
    public let sessions: [Session]
    public let bankConsents: [BankConsentRecord]
    public let bankAccounts: [BankAccountRecord]
    public let recipients: [RecipientRecord]
    public let transactions: [TransactionView]
    /// Every standing transfer, replaced and rejected ones too.
    public let standingOrders: [StandingOrderView]
    /// As `GET /v1/notifications` shows them (the contract's `Notification`), not the stored rows.
    let notifications: [NotificationsFeature.View]
    public let dataAccessRequests: [DataRequestView]
    public let complaints: [ComplaintView]
    /// The business they registered, if any.
    public let merchant: MerchantView?
    public let knownDevices: [Device]
    public let trackingLinks: [TrackingLink]
    /// The IP address each transfer and standing transfer was asked for from.
    public let ipAddresses: [IPAddress]

    /// The export as the file the person downloads (`GET /v1/gdpr/export`, and the web's profile), audited as
    /// `gdpr.exported`. It names every account, payee and payment they have, so it needs a recent BankID
    /// sign-in (`CustomerStepUp`) as a change of payee does: a session left open is not enough to carry it off.
    public static func download(_ context: AppRequestContext, services: AppServices) async throws -> Response {
        try await services.customerStepUp.require(try context.requireIdentity(), for: .export, requestID: context.requestID, now: services.clock())
        let user = try await services.sessions.currentUser(context)
        let export = try await collect(for: user, services: services)
        try await services.database.transaction { db in
            try await AuditLog.append(AuditEntry(actor: .user(id: user.id), action: "gdpr.exported", entityType: "user",
                                                 entityId: user.id, requestId: context.requestID), at: export.exportedAt, on: db)
        }
        return try JSON.response(export, headers: [.contentDisposition: #"attachment; filename="drop-data.json""#, .cacheControl: "no-store"])
    }

    /// Reads it all; the transactions come with their status history.
    static func collect(for user: UserRecord, services: AppServices) async throws -> DataExport {
        let userId = user.id
        let stored = try await services.database.withConnection { db in
            (settings: try await SettingsRepository.all(userId: userId, on: db),
             limits: try await SpendingLimitRepository.limits(userId: userId, on: db),
             consents: try await ConsentRepository.history(userId: userId, on: db),
             sessions: try await SessionRepository.list(userId: userId, on: db),
             bankConsents: try await BankConsentRepository.all(userId: userId, on: db),
             bankAccounts: try await BankAccountRepository.all(userId: userId, on: db),
             requests: try await DataRequestRepository.all(userId: userId, on: db),
             complaints: try await ComplaintRepository.all(userId: userId, on: db),
             standingOrders: try await StandingOrderRepository.all(userId: userId, on: db),
             merchant: try await MerchantRepository.find(userId: userId, on: db),
             devices: try await KnownDeviceRepository.all(userId: userId, on: db),
             trackingLinks: try await TrackingLinkRepository.shared(userId: userId, on: db),
             transactionIPs: try await CustomerTransactionRepository.ipAddresses(userId: userId, on: db))
        }
        let today = OsloCalendar.today(services.clock())
        let recipients = try await allRecipients(userId: userId, services: services)
        return DataExport(
            exportedAt: services.clock(), profile: UserView(user), settings: stored.settings, spendingLimits: stored.limits,
            consents: stored.consents,
            kyc: KYC(status: user.kycStatus.rawValue, provider: "sumsub", applicantId: user.kycApplicantId),
            sessions: stored.sessions.map {
                Session(id: $0.id, client: $0.client, createdAt: $0.createdAt, expiresAt: $0.expiresAt, lastSeenAt: $0.lastSeenAt, revokedAt: $0.revokedAt)
            },
            bankConsents: stored.bankConsents, bankAccounts: stored.bankAccounts,
            recipients: recipients,
            transactions: try await allTransactions(userId: userId, services: services),
            standingOrders: stored.standingOrders.map { order in
                StandingOrderView(order, recipient: recipients.first { $0.id == order.recipientId }, today: today)
            },
            notifications: try await allNotifications(userId: userId, services: services).map(NotificationsFeature.View.init),
            dataAccessRequests: stored.requests.map(DataRequestView.init), complaints: stored.complaints.map(ComplaintView.init),
            merchant: stored.merchant.map(MerchantView.init),
            knownDevices: stored.devices.map { Device(client: $0.client, firstSeenAt: $0.firstSeenAt, lastSeenAt: $0.lastSeenAt) },
            trackingLinks: stored.trackingLinks.map { TrackingLink(transactionId: $0.transactionId, createdAt: $0.createdAt) },
            ipAddresses: stored.transactionIPs.map { IPAddress(transactionId: $0.transactionId, standingOrderId: nil, ipAddress: $0.ipAddress) }
                + stored.standingOrders.map { IPAddress(transactionId: nil, standingOrderId: $0.id, ipAddress: $0.psuIpAddress) })
    }

    private static func allRecipients(userId: String, services: AppServices) async throws -> [RecipientRecord] {
        var all: [RecipientRecord] = []
        while true {
            let after = all.last?.id
            let page = try await services.database.withConnection { try await RecipientRepository.list(userId: userId, limit: 100, after: after, on: $0) }
            all += page
            if page.count < 100 { return all }
        }
    }

    private static func allTransactions(userId: String, services: AppServices) async throws -> [TransactionView] {
        let transactions = services.transactions
        var all: [TransactionView] = []
        var cursor: TimeOrderedCursor?
        repeat {
            let page = try await transactions.list(userId: userId, filter: .init(), limit: 100, cursor: cursor)
            for item in page.items { all.append(try await transactions.find(id: item.id, userId: userId)) }
            cursor = try page.nextCursor.map { try TimeOrderedCursor(decoding: $0) }
        } while cursor != nil
        return all
    }

    private static func allNotifications(userId: String, services: AppServices) async throws -> [NotificationRecord] {
        var all: [NotificationRecord] = []
        var before: (Date, String)?
        while true {
            let cursor = before
            let page = try await services.database.withConnection { try await NotificationRepository.page(userId: userId, limit: 100, before: cursor, on: $0) }
            all += page
            guard page.count == 100, let last = page.last else { return all }
            before = (last.createdAt, last.id)
        }
    }
}
