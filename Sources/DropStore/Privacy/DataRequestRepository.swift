import DropCore
import Foundation
import SQLKit

/// A data subject request (GDPR art. 15–21): what was asked, when it is due, how it ended.
public struct DataRequestRecord: Codable, Sendable, Equatable {
    public var id: String
    public var userId: String
    /// `access`, `erasure`, `rectification`, `restriction` or `objection`.
    public var kind: DataSubjectRequestKind
    /// `open`, `completed` or `rejected`.
    public var status: DataSubjectRequestStatus
    public var details: String?
    public var createdAt: Date
    public var dueAt: Date
    public var completedAt: Date?

    public init(id: String, userId: String, kind: DataSubjectRequestKind, status: DataSubjectRequestStatus, details: String?, createdAt: Date, dueAt: Date, completedAt: Date?) {
        self.id = id
        self.userId = userId
        self.kind = kind
        self.status = status
        self.details = details
        self.createdAt = createdAt
        self.dueAt = dueAt
        self.completedAt = completedAt
    }
}

public enum DataRequestRepository {
    static let columns = "id, user_id, kind, status, details, created_at, due_at, completed_at"

    public static func insert(_ request: DataRequestRecord, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO data_access_requests (id, user_id, kind, status, details, created_at, due_at, completed_at)
            VALUES (\(bind: request.id), \(bind: request.userId), \(bind: request.kind.rawValue), \(bind: request.status.rawValue), \(bind: request.details),
                    \(bind: request.createdAt), \(bind: request.dueAt), \(bind: request.completedAt))
            """).run()
    }

    /// Newest first.
    public static func all(userId: String, on db: any SQLDatabase) async throws -> [DataRequestRecord] {
        try await db.raw("""
            SELECT \(unsafeRaw: columns) FROM data_access_requests WHERE user_id = \(bind: userId) ORDER BY created_at DESC, id DESC
            """).all().map { try $0.decode(model: DataRequestRecord.self, keyDecodingStrategy: .snakeCaseColumns) }
    }

    public static func countOpen(userId: String, kind: DataSubjectRequestKind, on db: any SQLDatabase) async throws -> Int {
        try await db.raw("""
            SELECT COUNT(*) AS n FROM data_access_requests WHERE user_id = \(bind: userId) AND kind = \(bind: kind.rawValue) AND status = 'open'
            """).first()?.decode(column: "n", as: Int.self) ?? 0
    }
}
