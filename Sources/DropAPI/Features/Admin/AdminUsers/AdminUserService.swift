import DropCore
import DropStore
import Foundation

/// Finding a customer for compliance: by part of the name, or by national identity number, which
/// is validated and hashed with the pid pepper at once (the raw number is never stored or logged).
public struct AdminUserService: Sendable {
    let database: Database
    let pidHasher: PidHasher

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
            return .pidHash(pidHasher.hash(parsed))
        default:
            throw AppError.validation("Search by name or by nationalId (one of them).", details: [ErrorDetail(field: "name", issue: "one_of")])
        }
    }

    /// Newest customers first. Erased customers are found too: their records are kept for AML.
    public func list(_ search: Search, page: PageRequest) async throws -> Page<AdminUserView> {
        let cursor = try page.cursor.map { try TimeOrderedCursor(decoding: $0) }
        let dialect = database.dialect
        let records = try await database.withConnection {
            try await ComplianceCustomerRepository.search(search, dialect: dialect, after: cursor?.position, limit: page.limit, on: $0)
        }
        return page.page(records.map(AdminUserView.init(record:))) { TimeOrderedCursor(createdAt: $0.createdAt, id: $0.id).encoded }
    }

    public func find(id: String) async throws -> AdminUserView {
        guard let record = try await database.withConnection({ try await ComplianceCustomerRepository.find(id: id, on: $0) }) else {
            throw AppError.notFound("There is no such customer.")
        }
        return AdminUserView(record: record)
    }
}
