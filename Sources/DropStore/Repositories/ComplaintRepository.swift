import DropCore
import Foundation
import SQLKit

/// A customer's complaint, optionally about one of their transactions, with the date Drop must answer by.
public struct ComplaintRecord: Codable, Sendable, Equatable {
    public var id: String
    public var userId: String
    public var transactionId: String?
    public var subject: String
    public var description: String
    /// `open`, `in_progress`, `resolved` or `rejected`.
    public var status: ComplaintStatus
    public var createdAt: Date
    public var dueAt: Date
    public var resolvedAt: Date?
    public var resolution: String?

    public init(id: String, userId: String, transactionId: String?, subject: String, description: String, status: ComplaintStatus,
                createdAt: Date, dueAt: Date, resolvedAt: Date?, resolution: String?) {
        self.id = id
        self.userId = userId
        self.transactionId = transactionId
        self.subject = subject
        self.description = description
        self.status = status
        self.createdAt = createdAt
        self.dueAt = dueAt
        self.resolvedAt = resolvedAt
        self.resolution = resolution
    }
}

public enum ComplaintRepository {
    static let columns = "id, user_id, transaction_id, subject, description, status, created_at, due_at, resolved_at, resolution"

    public static func insert(_ complaint: ComplaintRecord, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO complaints (id, user_id, transaction_id, subject, description, status, created_at, due_at, resolved_at, resolution)
            VALUES (\(bind: complaint.id), \(bind: complaint.userId), \(bind: complaint.transactionId), \(bind: complaint.subject),
                    \(bind: complaint.description), \(bind: complaint.status.rawValue), \(bind: complaint.createdAt), \(bind: complaint.dueAt),
                    \(bind: complaint.resolvedAt), \(bind: complaint.resolution))
            """).run()
    }

    public static func find(id: String, on db: any SQLDatabase) async throws -> ComplaintRecord? {
        try await db.raw("SELECT \(unsafeRaw: columns) FROM complaints WHERE id = \(bind: id)").first()
            .map { try $0.decode(model: ComplaintRecord.self, keyDecodingStrategy: .snakeCaseColumns) }
    }

    /// The user's complaints, newest first.
    public static func all(userId: String, on db: any SQLDatabase) async throws -> [ComplaintRecord] {
        try await db.raw("""
            SELECT \(unsafeRaw: columns) FROM complaints WHERE user_id = \(bind: userId) ORDER BY created_at DESC, id DESC
            """).all().map { try $0.decode(model: ComplaintRecord.self, keyDecodingStrategy: .snakeCaseColumns) }
    }

    /// Complaints not yet answered, the closest deadline first (the admin's work queue).
    public static func unresolved(limit: Int, on db: any SQLDatabase) async throws -> [ComplaintRecord] {
        try await db.raw("""
            SELECT \(unsafeRaw: columns) FROM complaints WHERE status IN ('open', 'in_progress') ORDER BY due_at, id LIMIT \(bind: limit)
            """).all().map { try $0.decode(model: ComplaintRecord.self, keyDecodingStrategy: .snakeCaseColumns) }
    }

    /// Moves an unresolved complaint to `status`; false if it was already resolved or rejected.
    public static func answer(id: String, status: ComplaintStatus, resolution: String?, at now: Date, on db: any SQLDatabase) async throws -> Bool {
        let final = status.isAnswer
        let row = try await db.raw("""
            UPDATE complaints SET status = \(bind: status.rawValue), resolution = \(bind: resolution),
                resolved_at = \(bind: final ? now : nil)
            WHERE id = \(bind: id) AND status IN ('open', 'in_progress')
            RETURNING id
            """).first()
        return row != nil
    }
}
