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
            let limit = try ListQuery.limit(request)
            let cursor = try ListQuery.cursor(request).map { try NotificationCursor(decoding: $0) }
            let (records, unread) = try await services.database.read { db in
                (try await NotificationRepository.page(userId: userId, limit: limit + 1, before: cursor.map { ($0.createdAt, $0.id) }, on: db),
                 try await NotificationRepository.unreadCount(userId: userId, on: db))
            }
            let page = Array(records.prefix(limit))
            let next = records.count > limit ? page.last.map { NotificationCursor(createdAt: $0.createdAt, id: $0.id).encoded } : nil
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

/// Opaque position in a newest-first list: the last item's time and id.
struct NotificationCursor {
    let createdAt: Date
    let id: String

    init(createdAt: Date, id: String) {
        self.createdAt = createdAt
        self.id = id
    }

    init(decoding text: String) throws {
        let parts = (Data(base64URLEncoded: text).map { String(decoding: $0, as: UTF8.self) } ?? "").split(separator: "|")
        guard parts.count == 2, let millis = Int64(parts[0]) else {
            throw AppError.validation("The cursor is not one this list gave out.", details: [ErrorDetail(field: "cursor", issue: "invalid")])
        }
        createdAt = Date(timeIntervalSince1970: Double(millis) / 1000)
        id = String(parts[1])
    }

    var encoded: String {
        Data("\(Int64((createdAt.timeIntervalSince1970 * 1000).rounded()))|\(id)".utf8).base64URLEncoded()
    }
}

/// `?limit=` (default 20, at most 100) and `?cursor=` of every list (API.md conventions).
enum ListQuery {
    static func limit(_ request: Request) throws -> Int {
        guard let raw = request.uri.queryParameters.get("limit") else { return 20 }
        guard let limit = Int(raw), (1...100).contains(limit) else {
            throw AppError.validation("limit must be 1 to 100.", details: [ErrorDetail(field: "limit", issue: "out_of_range")])
        }
        return limit
    }

    static func cursor(_ request: Request) throws -> String? {
        request.uri.queryParameters.get("cursor").flatMap { $0.isEmpty ? nil : $0 }
    }
}
