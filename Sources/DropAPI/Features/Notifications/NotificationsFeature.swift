import DropStore
import Foundation
import Hummingbird

/// `GET /v1/notifications`, `POST /v1/notifications/{id}/read`, `POST /v1/notifications/read-all`.
struct NotificationsFeature: AppFeature {
    struct View: Encodable {
        let id: String
        let kind: String
        let title: String
        let body: String
        /// Ids the app links to (e.g. `transactionId`), never personal data.
        let data: [String: String]?
        let createdAt: Date
        let read: Bool
        let readAt: Date?

        init(_ record: NotificationRecord) {
            id = record.id
            kind = record.kind
            title = record.title
            body = record.body
            data = record.data.flatMap { try? JSONDecoder().decode([String: String].self, from: Data($0.utf8)) }
            createdAt = record.createdAt
            read = record.readAt != nil
            readAt = record.readAt
        }
    }

    struct List: Encodable {
        let items: [View]
        let nextCursor: String?
        let unreadCount: Int
    }

    func addRoutes(to router: Router<AppRequestContext>, services: AppServices) {
        let signedIn = router.group("/v1/notifications").add(middleware: RequireRole(.user))

        signedIn.get { request, context in
            let userId = try context.requireIdentity().userId
            let paging = try PageRequest(request)
            let limit = paging.limit
            let cursor = try paging.cursor.map { try TimeOrderedCursor(decoding: $0) }
            let (records, unread) = try await services.database.read { db in
                (try await NotificationRepository.page(userId: userId, limit: limit + 1, before: cursor.map { ($0.createdAt, $0.id) }, on: db),
                 try await NotificationRepository.unreadCount(userId: userId, on: db))
            }
            let page = Array(records.prefix(limit))
            let next = records.count > limit ? page.last.map { TimeOrderedCursor(createdAt: $0.createdAt, id: $0.id).encoded } : nil
            return try JSON.response(List(items: page.map(View.init), nextCursor: next, unreadCount: unread))
        }

        signedIn.post("/:id/read") { _, context in
            let userId = try context.requireIdentity().userId
            let id = try context.parameters.require("id")
            let now = services.clock()
            guard try await services.database.transaction({ try await NotificationRepository.markRead(id: id, userId: userId, at: now, on: $0) }) else {
                throw AppError.notFound("No such notification.")
            }
            return Response(status: .noContent)
        }

        signedIn.post("/read-all") { _, context in
            let userId = try context.requireIdentity().userId
            let now = services.clock()
            try await services.database.transaction { try await NotificationRepository.markAllRead(userId: userId, at: now, on: $0) }
            return Response(status: .noContent)
        }
    }
}
