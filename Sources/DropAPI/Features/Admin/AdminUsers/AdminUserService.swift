import DropCore
import DropStore
import Foundation

/// Finding a customer for compliance: by part of the name, or by national identity number, which
/// is validated and hashed with the pid pepper at once (the raw number is never stored or logged).
/// Every customer an officer is shown is audited as `customer.looked_up` with how they were found
/// (`name`, `nationalId` or `id`), never the name or number searched: who read a person's PEP and
/// sanctions flags, risk and alerts can be told afterwards. A search that finds nobody shows no one's record.
public struct AdminUserService: Sendable {
    let database: Database
    let pidHasher: PidHasher
    let clock: @Sendable () -> Date

    public typealias Search = ComplianceCustomerRepository.Search

    /// Reads `name` or `nationalId` (exactly one).
    public func search(name: String?, nationalId: String?) throws -> Search {
        switch (name.flatMap { $0.isEmpty ? nil : $0 }, nationalId.flatMap { $0.isEmpty ? nil : $0 }) {
        case (let name?, nil):
            let trimmed = name.trimmingCharacters(in: .whitespaces)
            guard (2...100).contains(trimmed.count) else {
                throw AppError.validation("Search with 2 to 100 characters of the name.", details: [ErrorDetail(field: "name", issue: "length")])
            }
            return .name(trimmed)
        case (nil, let number?):
            guard let parsed = try? NationalIdentityNumber(number) else {
                throw AppError.validation("Not a valid national identity number.", details: [ErrorDetail(field: "nationalId", issue: "invalid")])
            }
            return .pidHash(pidHasher.hash(parsed), previous: pidHasher.previousHash(parsed))
        default:
            throw AppError.validation("Search by name or by nationalId (one of them).", details: [ErrorDetail(field: "name", issue: "one_of")])
        }
    }

    /// Newest customers first. Erased customers are found too: their records are kept for AML.
    public func list(_ search: Search, page: PageRequest, by actor: AdminActor) async throws -> Page<AdminUserView> {
        let cursor = try page.cursor.map { try TimeOrderedCursor(decoding: $0) }
        let dialect = database.dialect
        let now = clock()
        let records = try await database.transaction { db in
            let records = try await ComplianceCustomerRepository.search(search, dialect: dialect, after: cursor?.position, limit: page.limit, on: db)
            // The page shows `limit` of them; the one more only says that more follow.
            for record in records.prefix(page.limit) {
                try await Self.lookedUp(record.id, by: search.foundBy, actor, at: now, on: db)
            }
            return records
        }
        return page.page(records.map { AdminUserView(record: $0, shownTo: actor.userId) }) { TimeOrderedCursor(createdAt: $0.createdAt, id: $0.id).encoded }
    }

    public func find(id: String, by actor: AdminActor) async throws -> AdminUserView {
        let now = clock()
        guard let record = try await database.transaction({ db in
            let record = try await ComplianceCustomerRepository.find(id: id, on: db)
            if let record { try await Self.lookedUp(record.id, by: "id", actor, at: now, on: db) }
            return record
        }) else {
            throw AppError.notFound("There is no such customer.")
        }
        return AdminUserView(record: record, shownTo: actor.userId)
    }

    private static func lookedUp(_ userId: String, by foundBy: String, _ actor: AdminActor, at now: Date, on db: DatabaseConnection) async throws {
        try await AuditLog.append(try actor.audit("customer.looked_up", "user", userId, data: ["by": foundBy]), at: now, on: db)
    }
}

extension AdminUserService.Search {
    /// How the customer was found, as `customer.looked_up` records it: never what was searched.
    var foundBy: String {
        switch self {
        case .name: "name"
        case .pidHash: "nationalId"
        }
    }
}
