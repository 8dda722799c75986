import DropAPI
import Foundation
import Hummingbird

/// Notifications: the list, mark one read, mark all read.
extension WebFeature {
    func addNotificationRoutes(to router: Router<AppRequestContext>, services: AppServices) {
        router.get("/notifications") { request, context in
            guard let viewer = try await Viewer.signedIn(request, context, services) else { return Self.signInFirst(request) }
            let listing = try await services.notifications.list(
                userId: viewer.userId, page: PageRequest(limit: PageRequest.defaultLimit, cursor: request.uri.queryParameters.get("cursor")))
            return Self.html(NotificationsPage.render(viewer, listing))
        }

        router.post("/notifications/:id/read") { request, context in
            guard let identity = context.identity else { return Self.signInFirst(request) }
            try await services.notifications.markRead(id: try context.parameters.require("id"), userId: identity.userId)
            return Self.redirect("/notifications")
        }

        router.post("/notifications/read-all") { request, context in
            guard let identity = context.identity else { return Self.signInFirst(request) }
            try await services.notifications.markAllRead(userId: identity.userId)
            return Self.redirect("/notifications")
        }
    }
}
