import DropCore
import Foundation
import SQLKit

/// Finding a customer for compliance: by part of the name, or by national identity number, which
/// is validated and hashed with the pid pepper at once (the raw number is never stored or logged).
struct AdminUserService: Sendable {
    let services: AppServices

    enum Search: Sendable {
        case name(String)
        case pidHash(String)
    }

    /// Reads `?name=` or `?nationalId=` (exactly one).
    func search(name: String?, nationalId: String?) throws -> Search {
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
            return .pidHash(services.pidHasher.hash(parsed))
        default:
            throw AppError.validation("Search by name or by nationalId (one of them).", details: [ErrorDetail(field: "name", issue: "one_of")])
        }
    }

    /// Newest customers first. Erased customers are found too: their records are kept for AML.
    func list(_ search: Search, page: PageRequest) async throws -> Page<AdminUserView> {
        let cursor = try page.cursor.map { try TimeOrderedCursor(decoding: $0) }
        var query = AdminListQuery(AdminUserView.select)
        switch search {
        case .name(let name):
            // Neither SQLite's LOWER nor PostgreSQL's under the C locale folds "Ø" to "ø", so each
            // letter becomes a class of both its cases: a GLOB on SQLite, a regular expression on PostgreSQL.
            switch services.database.dialect {
            case .sqlite: query.and("u.name GLOB", Self.casePattern(name, glob: true))
            case .postgres: query.and("u.name ~", Self.casePattern(name, glob: false))
            }
        case .pidHash(let hash):
            query.and("u.pid_hash =", hash)
        }
        query.page(table: "users", alias: "u", cursor: cursor, limit: page.limit)
        let sql = query.sql
        let rows = try await services.database.read { try await $0.raw(sql).all() }
        return page.page(try rows.map(AdminUserView.init(row:))) { TimeOrderedCursor(createdAt: $0.createdAt, id: $0.id).encoded }
    }

    func find(id: String) async throws -> AdminUserView {
        guard let row = try await services.database.read({ try await $0.raw("\(unsafeRaw: AdminUserView.select) WHERE u.id = \(bind: id)").first() }) else {
            throw AppError.notFound("There is no such customer.")
        }
        return try AdminUserView(row: row)
    }

    /// "Æse" as `*[Ææ][Ss][Ee]*` (GLOB) or `[Ææ][Ss][Ee]` (POSIX regex, unanchored): every letter a
    /// class of its two cases, every other character literal.
    static func casePattern(_ text: String, glob: Bool) -> String {
        var pattern = glob ? "*" : ""
        for character in text {
            let lower = String(character).lowercased(), upper = String(character).uppercased()
            if lower != upper, lower.count == 1, upper.count == 1 {
                pattern += "[\(upper)\(lower)]"
            } else if glob {
                pattern += "*?[".contains(character) ? "[\(character)]" : String(character)
            } else {
                pattern += character.isLetter || character.isNumber ? String(character) : "\\" + String(character)
            }
        }
        return pattern + (glob ? "*" : "")
    }
}
