import DropStore
import Foundation
import SQLKit

/// Reading the audit log (newest first, by its sequence) and checking its hash chain.
struct AuditLogService: Sendable {
    let services: AppServices

    struct Filter: Sendable {
        var entityType: String?
        var entityId: String?
        var actor: String?
        var action: String?
        var from: Date?
        var to: Date?
    }

    func list(_ filter: Filter, page: PageRequest) async throws -> Page<AuditLogView> {
        let before = try page.cursor.map(Self.decodeCursor)
        var query = SQLQueryString("SELECT \(unsafeRaw: AuditLogView.columns) FROM audit_log WHERE 1 = 1")
        func and(_ clause: String, _ value: (some Encodable & Sendable)?) {
            guard let value else { return }
            query.appendInterpolation(unsafeRaw: " AND \(clause) ")
            query.appendInterpolation(bind: value)
        }
        and("entity_type =", filter.entityType)
        and("entity_id =", filter.entityId)
        if let actor = filter.actor {
            // A user id, or a kind of actor without one ("system", "provider").
            query.appendInterpolation(unsafeRaw: " AND (actor_id = ")
            query.appendInterpolation(bind: actor)
            query.appendInterpolation(unsafeRaw: " OR (actor_id IS NULL AND actor_type = ")
            query.appendInterpolation(bind: actor)
            query.appendInterpolation(unsafeRaw: "))")
        }
        and("action =", filter.action)
        and("at >=", filter.from)
        and("at <", filter.to)
        and("seq <", before)
        query.appendInterpolation(unsafeRaw: " ORDER BY seq DESC LIMIT ")
        query.appendInterpolation(bind: page.limit + 1)
        let sql = query
        let rows = try await services.database.read { try await $0.raw(sql).all() }
        return page.page(try rows.map(AuditLogView.init(row:))) { Data(String($0.seq).utf8).base64URLEncoded() }
    }

    func verify() async throws -> AuditLog.Verification {
        try await services.database.read { try await AuditLog.verify(on: $0) }
    }

    private static func decodeCursor(_ text: String) throws -> Int64 {
        guard let data = Data(base64URLEncoded: text), let seq = Int64(String(decoding: data, as: UTF8.self)) else {
            throw AppError.validation("The cursor is not one this list gave out.", details: [ErrorDetail(field: "cursor", issue: "invalid")])
        }
        return seq
    }
}
