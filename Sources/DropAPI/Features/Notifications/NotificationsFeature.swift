import DropCore
import DropStore
import Foundation
import Hummingbird

/// `GET /v1/notifications`, `POST /v1/notifications/{id}/read`, `POST /v1/notifications/read-all`.
struct NotificationsFeature: AppFeature {
    struct View: Encodable {
        let id: String
        let kind: NotificationKind
        let title: String
        let body: String
        /// Ids the app links to (e.g. `transactionId`), never personal data.
        let data: NotificationLink?
        let createdAt: Date
        let read: Bool
        let readAt: Date?

        init(_ record: NotificationRecord) {
            id = record.id
            kind = record.kind
            title = record.title
            body = record.body
            data = record.link
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
        let notifications = services.notifications
        let signedIn = router.group("/v1/notifications").add(middleware: RequireRole(.user))

        signedIn.get { request, context in
            let listing = try await notifications.list(userId: try context.requireIdentity().userId, page: try PageRequest(request))
            return try JSON.response(List(items: listing.items.map(View.init), nextCursor: listing.nextCursor, unreadCount: listing.unreadCount))
        }

        signedIn.post("/:id/read") { _, context in
            try await notifications.markRead(id: try context.parameters.require("id"), userId: try context.requireIdentity().userId)
            return Response(status: .noContent)
        }

        signedIn.post("/read-all") { _, context in
            try await notifications.markAllRead(userId: try context.requireIdentity().userId)
            return Response(status: .noContent)
        }
    }
}
