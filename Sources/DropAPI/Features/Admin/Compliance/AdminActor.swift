import DropStore

/// The compliance officer acting, as the audit log records them: their user id and the request.
public struct AdminActor: Sendable {
    let userId: String
    let requestId: String

    init(_ context: AppRequestContext) throws {
        userId = try context.requireIdentity().userId
        requestId = context.requestID
    }

    public init(userId: String, requestId: String) {
        self.userId = userId
        self.requestId = requestId
    }

    /// An audit entry by this admin, without details.
    func audit(_ action: String, _ entityType: String, _ entityId: String) -> AuditEntry {
        AuditEntry(actor: .admin(id: userId), action: action, entityType: entityType, entityId: entityId,
                   requestId: requestId.isEmpty ? nil : requestId)
    }

    /// An audit entry by this admin; `data` must hold no personal data.
    func audit(_ action: String, _ entityType: String, _ entityId: String, data: some Encodable) throws -> AuditEntry {
        try AuditEntry(actor: .admin(id: userId), action: action, entityType: entityType, entityId: entityId,
                       data: data, requestId: requestId.isEmpty ? nil : requestId)
    }
}
