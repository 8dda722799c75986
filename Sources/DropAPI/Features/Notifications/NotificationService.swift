import DropStore
import Foundation

/// The user's notifications: newest first, how many are unread, marking them read. Shared by
/// `/v1/notifications` and the web app's page and header.
public struct NotificationService: Sendable {
    let database: Database
    let clock: @Sendable () -> Date

    public struct Listing: Sendable {
        public let items: [NotificationRecord]
        public let nextCursor: String?
        public let unreadCount: Int
    }

    public func list(userId: String, page: PageRequest) async throws -> Listing {
        let limit = page.limit
        let cursor = try page.cursor.map { try TimeOrderedCursor(decoding: $0) }
        let (records, unread) = try await database.withConnection { db in
            (try await NotificationRepository.page(userId: userId, limit: limit + 1, before: cursor.map { ($0.createdAt, $0.id) }, on: db),
             try await NotificationRepository.unreadCount(userId: userId, on: db))
        }
        let items = Array(records.prefix(limit))
        let next = records.count > limit ? items.last.map { TimeOrderedCursor(createdAt: $0.createdAt, id: $0.id).encoded } : nil
        return Listing(items: items, nextCursor: next, unreadCount: unread)
    }

    public func unreadCount(userId: String) async throws -> Int {
        try await database.withConnection { try await NotificationRepository.unreadCount(userId: userId, on: $0) }
    }

    /// 404 when the user has no such notification.
    public func markRead(id: String, userId: String) async throws {
        let now = clock()
        guard try await database.transaction({ try await NotificationRepository.markRead(id: id, userId: userId, at: now, on: $0) }) else {
            throw AppError.notFound("No such notification.")
        }
    }

    public func markAllRead(userId: String) async throws {
        let now = clock()
        try await database.transaction { try await NotificationRepository.markAllRead(userId: userId, at: now, on: $0) }
    }
}
