import DropCore
import Foundation
import SQLKit

/// Something Drop tells the user in the app: a transfer's progress, a bank to reconnect.
public struct NotificationRecord: Codable, Sendable, Equatable {
    public var id: String
    public var userId: String
    /// e.g. `bank.reconnect`, `transaction.completed`.
    public var kind: String
    public var title: String
    public var body: String
    /// JSON with what the app needs to link the notification (ids), never personal data.
    public var data: String?
    public var createdAt: Date
    public var readAt: Date?

    public init(id: String = UUID().uuidString.lowercased(), userId: String, kind: String, title: String, body: String,
                data: String? = nil, createdAt: Date, readAt: Date? = nil) {
        self.id = id
        self.userId = userId
        self.kind = kind
        self.title = title
        self.body = body
        self.data = data
        self.createdAt = createdAt
        self.readAt = readAt
    }
}

public enum NotificationRepository {
    static let columns = "id, user_id, kind, title, body, data, created_at, read_at"

    /// Stores the notification and, for the kinds that also go by email to a person with a confirmed
    /// address, queues that email in the same transaction (an outbox: the email goes if and only if
    /// the notification was made). The job decides again at send time (email turned off, erased).
    public static func insert(_ notification: NotificationRecord, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO notifications (id, user_id, kind, title, body, data, created_at, read_at)
            VALUES (\(bind: notification.id), \(bind: notification.userId), \(bind: notification.kind), \(bind: notification.title),
                    \(bind: notification.body), \(bind: notification.data), \(bind: notification.createdAt), \(bind: notification.readAt))
            """).run()
        // Most people have no confirmed address: no job for them.
        if EmailedNotifications.kinds.contains(notification.kind), try await db.raw("""
            SELECT id FROM users WHERE id = \(bind: notification.userId) AND email_verified_at IS NOT NULL AND deleted_at IS NULL
            """).first() != nil {
            try await JobQueue.enqueue(kind: EmailedNotifications.jobKind, payload: #"{"notificationId":"\#(notification.id)"}"#,
                                       runAt: notification.createdAt, maxAttempts: 8, dedupeKey: "\(EmailedNotifications.jobKind):\(notification.id)",
                                       now: notification.createdAt, on: db)
        }
    }

    public static func find(id: String, on db: any SQLDatabase) async throws -> NotificationRecord? {
        try await db.raw("SELECT \(unsafeRaw: columns) FROM notifications WHERE id = \(bind: id)").first()
            .map { try $0.decode(model: NotificationRecord.self, keyDecodingStrategy: .snakeCaseColumns) }
    }

    /// Newest first; `before` is the cursor (created_at, id) of the last item already shown.
    public static func page(userId: String, limit: Int, before: (Date, String)?, on db: any SQLDatabase) async throws -> [NotificationRecord] {
        let rows: [any SQLRow]
        if let (date, id) = before {
            rows = try await db.raw("""
                SELECT \(unsafeRaw: columns) FROM notifications WHERE user_id = \(bind: userId)
                AND \(NewestFirst.after(createdAt: date, id: id, table: "notifications"))
                ORDER BY created_at DESC, id DESC LIMIT \(bind: limit)
                """).all()
        } else {
            rows = try await db.raw("""
                SELECT \(unsafeRaw: columns) FROM notifications WHERE user_id = \(bind: userId)
                ORDER BY created_at DESC, id DESC LIMIT \(bind: limit)
                """).all()
        }
        return try rows.map { try $0.decode(model: NotificationRecord.self, keyDecodingStrategy: .snakeCaseColumns) }
    }

    public static func unreadCount(userId: String, on db: any SQLDatabase) async throws -> Int {
        try await db.raw("SELECT COUNT(*) AS n FROM notifications WHERE user_id = \(bind: userId) AND read_at IS NULL")
            .first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// What every signed-in page's header shows, in one round trip: the unread count, and whether
    /// the person has a business (the Bedrift tab).
    public static func header(userId: String, on db: any SQLDatabase) async throws -> (unread: Int, hasBusiness: Bool) {
        let row = try await db.raw("""
            SELECT (SELECT COUNT(*) FROM notifications WHERE user_id = \(bind: userId) AND read_at IS NULL) AS unread,
                   CASE WHEN EXISTS (SELECT 1 FROM merchants WHERE user_id = \(bind: userId)) THEN 1 ELSE 0 END AS business
            """).first()
        return (try row?.decode(column: "unread", as: Int.self) ?? 0, try row?.decode(column: "business", as: Int.self) == 1)
    }

    /// Whether an unread notification of this kind about this subject exists (so a repeated
    /// problem, e.g. an expired consent seen on every read, notifies once).
    public static func hasUnread(userId: String, kind: String, data: String, on db: any SQLDatabase) async throws -> Bool {
        try await db.raw("""
            SELECT id FROM notifications WHERE user_id = \(bind: userId) AND kind = \(bind: kind) AND data = \(bind: data) AND read_at IS NULL LIMIT 1
            """).first() != nil
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
