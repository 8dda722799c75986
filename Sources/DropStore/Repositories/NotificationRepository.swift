import DropCore
import Foundation
import SQLKit

/// Something Drop tells the user in the app: a transfer's progress, a bank to reconnect.
public struct NotificationRecord: Sendable, Equatable {
    public var id: String
    public var userId: String
    public var kind: NotificationKind
    public var title: String
    public var body: String
    /// What the app links the notification to; stored as JSON (`notifications.data`).
    public var link: NotificationLink?
    public var createdAt: Date
    public var readAt: Date?

    public init(id: String = RecordID.make(), userId: String, kind: NotificationKind, title: String, body: String,
                link: NotificationLink? = nil, createdAt: Date, readAt: Date? = nil) {
        self.id = id
        self.userId = userId
        self.kind = kind
        self.title = title
        self.body = body
        self.link = link
        self.createdAt = createdAt
        self.readAt = readAt
    }

    /// Read column by column, the link decoded from its JSON. nil for a kind this version doesn't
    /// know, which a newer Drop may write during a rolling deploy: a list shows the rest rather
    /// than failing, and an unreadable link leaves the notification without one.
    init?(row: some SQLRow) throws {
        guard let kind = NotificationKind(rawValue: try row.decode(column: "kind", as: String.self)) else { return nil }
        self.init(id: try row.decode(column: "id", as: String.self), userId: try row.decode(column: "user_id", as: String.self),
                  kind: kind, title: try row.decode(column: "title", as: String.self), body: try row.decode(column: "body", as: String.self),
                  link: try row.decode(column: "data", as: String?.self).flatMap { try? StoredJSON.value(NotificationLink.self, from: $0) },
                  createdAt: try row.decode(column: "created_at", as: Date.self), readAt: try row.decode(column: "read_at", as: Date?.self))
    }
}

/// What a notification links to (the transfer, the standing transfer, the complaint, the bank
/// consent, the bank's page to approve a payment at, the recipient): ids and a bank URL; the only
/// personal data is the name of the customer's own recipient, which each language needs to say
/// whose bank details changed (erased with the notification). The app gets it as the notification's `data`.
public struct NotificationLink: Codable, Sendable, Equatable {
    public var transactionId: String?
    public var standingOrderId: String?
    public var complaintId: String?
    public var bankConsentId: String?
    /// The bank (`BankDirectory` id) of the consent, so each language can name it.
    public var bankId: String?
    /// Where the person approves a payment the bank was asked for while they were away.
    public var scaRedirect: String?
    public var recipientId: String?
    /// The recipient's name as the customer knew it before the change.
    public var recipientName: String?
    /// The shop a payment went to and its amount (minor units and ISO code, as text like every value
    /// here), so each language can say who was paid how much.
    public var merchantName: String?
    public var amountMinor: String?
    public var currency: String?

    public init(transactionId: String? = nil, standingOrderId: String? = nil, complaintId: String? = nil, bankConsentId: String? = nil,
                bankId: String? = nil, scaRedirect: String? = nil, recipientId: String? = nil, recipientName: String? = nil,
                merchantName: String? = nil, amount: Money? = nil) {
        self.transactionId = transactionId
        self.standingOrderId = standingOrderId
        self.complaintId = complaintId
        self.bankConsentId = bankConsentId
        self.bankId = bankId
        self.scaRedirect = scaRedirect
        self.recipientId = recipientId
        self.recipientName = recipientName
        self.merchantName = merchantName
        amountMinor = amount.map { String($0.minorUnits) }
        currency = amount?.currency.code
    }

    /// The amount named by `amountMinor` and `currency`, when both read.
    public var amount: Money? {
        guard let minor = amountMinor.flatMap({ Int64($0) }), let currency = currency.flatMap({ Currency(rawValue: $0) }) else { return nil }
        return Money(minorUnits: minor, currency: currency)
    }
}

public enum NotificationRepository {
    static let columns = "id, user_id, kind, title, body, data, created_at, read_at"

    /// Stores the notification and, for the kinds that also go by email to a person with a confirmed
    /// address, queues that email in the same transaction (an outbox: the email goes if and only if
    /// the notification was made). The job decides again at send time (email turned off, erased).
    public static func insert(_ notification: NotificationRecord, on db: any SQLDatabase) async throws {
        try await db.runBatched("""
            INSERT INTO notifications (id, user_id, kind, title, body, data, created_at, read_at)
            VALUES (\(bind: notification.id), \(bind: notification.userId), \(bind: notification.kind.rawValue), \(bind: notification.title),
                    \(bind: notification.body), \(bind: try notification.link.map(StoredJSON.text)), \(bind: notification.createdAt), \(bind: notification.readAt))
            """)
        // Most people have no confirmed address: no job for them.
        if EmailedNotifications.kinds.contains(notification.kind), try await db.raw("""
            SELECT id FROM users WHERE id = \(bind: notification.userId) AND email_verified_at IS NOT NULL AND deleted_at IS NULL
            """).first() != nil {
            try await JobQueue.enqueue(kind: EmailedNotifications.jobKind, payload: try StoredJSON.text(["notificationId": notification.id]),
                                       runAt: notification.createdAt, maxAttempts: 8, dedupeKey: "\(EmailedNotifications.jobKind):\(notification.id)",
                                       now: notification.createdAt, on: db)
        }
    }

    public static func find(id: String, on db: any SQLDatabase) async throws -> NotificationRecord? {
        try await db.raw("SELECT \(unsafeRaw: columns) FROM notifications WHERE id = \(bind: id)").first()
            .flatMap { try NotificationRecord(row: $0) }
    }

    /// Whether a notification is stored, whatever its kind: `find` is nil also for a kind this build doesn't
    /// know (one a newer build wrote during a rolling deploy).
    public static func exists(id: String, on db: any SQLDatabase) async throws -> Bool {
        try await db.raw("SELECT id FROM notifications WHERE id = \(bind: id)").first() != nil
    }

    /// Newest first; `before` is the cursor (created_at, id) of the last item already shown.
    public static func page(userId: String, limit: Int, before: (Date, String)?, on db: any SQLDatabase) async throws -> [NotificationRecord] {
        let rows: [any SQLRow]
        if let (date, id) = before {
            rows = try await db.raw("""
                SELECT \(unsafeRaw: columns) FROM notifications WHERE user_id = \(bind: userId)
                AND \(NewestFirst.after(createdAt: date, id: id, table: "notifications", scope: ["user_id = \(bind: userId)"]))
                ORDER BY created_at DESC, id DESC LIMIT \(bind: limit)
                """).all()
        } else {
            rows = try await db.raw("""
                SELECT \(unsafeRaw: columns) FROM notifications WHERE user_id = \(bind: userId)
                ORDER BY created_at DESC, id DESC LIMIT \(bind: limit)
                """).all()
        }
        return try rows.compactMap { try NotificationRecord(row: $0) }
    }

    public static func unreadCount(userId: String, on db: any SQLDatabase) async throws -> Int {
        try await db.raw("SELECT COUNT(*) AS n FROM notifications WHERE user_id = \(bind: userId) AND read_at IS NULL")
            .first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// What every signed-in page's header shows, in one round trip: the unread count, and whether
    /// the person has a business (the Bedrift tab).
    public static func header(userId: String, on db: any SQLDatabase) async throws -> (unread: Int, hasBusiness: Bool) {
        let row = try await db.rows(Header(userId: userId)).first
        return (try row?.decode(column: "unread", as: Int.self) ?? 0, try row?.decode(column: "business", as: Int.self) == 1)
    }

    /// Every signed-in page's header reads it (the dashboard with the rest of its page, `CustomerOverview`): prepared on PostgreSQL.
    struct Header: PreparedRead {
        /// The header's two columns for the customer `customer` names (`$1`, or a column), `unread`
        /// and `business` (1 or 0).
        static func columns(of customer: String) -> String {
            """
            (SELECT COUNT(*) FROM notifications n WHERE n.user_id = \(customer) AND n.read_at IS NULL) AS unread,
            CASE WHEN EXISTS (SELECT 1 FROM merchants m WHERE m.user_id = \(customer)) THEN 1 ELSE 0 END AS business
            """
        }
        static let sql = "SELECT \(columns(of: "$1"))"
        let userId: String
        var parameters: [String] { [userId] }
    }

    /// False when there is no such notification of the user's.
    public static func markRead(id: String, userId: String, at date: Date, on db: any SQLDatabase) async throws -> Bool {
        try await db.raw("""
            UPDATE notifications SET read_at = COALESCE(read_at, \(bind: date)) WHERE id = \(bind: id) AND user_id = \(bind: userId) RETURNING id
            """).first() != nil
    }

    public static func markAllRead(userId: String, at date: Date, on db: any SQLDatabase) async throws {
        try await db.raw("UPDATE notifications SET read_at = \(bind: date) WHERE user_id = \(bind: userId) AND read_at IS NULL").run()
    }
}
