import DropStore
import Foundation

/// Reading the audit log (newest first, by its sequence) and checking its hash chain.
public struct AuditLogService: Sendable {
    let database: Database

    public typealias Filter = AuditLog.Filter

    /// Rows about the `officer` reading are left out (`AuditLog.entries`), as their alert and report lists leave them out.
    public func list(_ filter: Filter, page: PageRequest, for officer: String) async throws -> Page<AuditLogView> {
        let before = try page.cursor.map(Self.decodeCursor)
        let records = try await database.withConnection {
            try await AuditLog.entries(filter, notAbout: officer, beforeSeq: before, limit: page.limit, on: $0)
        }
        return page.page(records.map(AuditLogView.init(record:))) { Data(String($0.seq).utf8).base64URLEncoded() }
    }

    public func verify() async throws -> AuditLog.Verification {
        try await database.withConnection { try await AuditLog.verify(on: $0) }
    }

    private static func decodeCursor(_ text: String) throws -> Int64 {
        guard let data = Data(base64URLEncoded: text), let seq = Int64(String(decoding: data, as: UTF8.self)) else {
            throw AppError.validation("The cursor is not one this list gave out.", details: [ErrorDetail(field: "cursor", issue: "invalid")])
        }
        return seq
    }
}
