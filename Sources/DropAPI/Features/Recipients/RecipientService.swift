import DropCore
import DropStore
import Foundation

/// A customer's recipients: validated against their corridor (DropCore `RecipientValidator`),
/// visible and changeable only by their owner, soft-deleted so past transfers keep pointing at them.
public struct RecipientService: Sendable {
    let database: Database
    let clock: @Sendable () -> Date

    public func list(userId: String, page: PageRequest) async throws -> Page<RecipientView> {
        let records = try await database.withConnection {
            try await RecipientRepository.list(userId: userId, limit: page.limit + 1, after: page.cursor, on: $0)
        }
        return page.page(records.map(RecipientView.init), cursor: \.id)
    }

    public func find(id: String, userId: String) async throws -> RecipientView {
        RecipientView(try await record(id: id, userId: userId))
    }

    /// The user's live recipient; 404 for a missing, deleted or someone else's id. For the
    /// transfer step, which pays to it.
    public func record(id: String, userId: String) async throws -> RecipientRecord {
        guard UUID(uuidString: id) != nil,
              let record = try await database.withConnection({ try await RecipientRepository.find(id: id, userId: userId, on: $0) }) else {
            throw AppError.notFound("There is no such recipient.")
        }
        return record
    }

    public func create(userId: String, _ input: RecipientInput, requestID: String) async throws -> RecipientView {
        let (details, corridor) = try Self.validated(input)
        let now = clock()
        let record = Self.record(details, id: RecordID.make(), userId: userId, createdAt: now, updatedAt: now)
        try await database.transaction { db in
            try await RecipientRepository.insert(record, on: db)
            // The corridor only: names and account numbers stay out of the audit log.
            try await AuditLog.append(AuditEntry(actor: .user(id: userId), action: "recipient.created",
                                                 entityType: "recipient", entityId: record.id,
                                                 data: ["country": corridor.country.rawValue, "currency": corridor.currency.code],
                                                 requestId: requestID), at: now, on: db)
        }
        return RecipientView(record)
    }

    public func update(id: String, userId: String, with patch: RecipientPatch, requestID: String) async throws -> RecipientView {
        let existing = try await record(id: id, userId: userId)
        guard !patch.isEmpty else { return RecipientView(existing) }
        // The whole recipient is validated again: a new country can make other fields required.
        let (details, _) = try Self.validated(patch.applied(to: RecipientInput(existing)))
        let now = clock()
        let updated = Self.record(details, id: existing.id, userId: userId, createdAt: existing.createdAt, updatedAt: now)
        try await database.transaction { db in
            guard try await RecipientRepository.update(updated, on: db) else { throw AppError.notFound("There is no such recipient.") }
            try await AuditLog.append(AuditEntry(actor: .user(id: userId), action: "recipient.updated",
                                                 entityType: "recipient", entityId: id, data: ["fields": patch.changedFields],
                                                 requestId: requestID), at: now, on: db)
        }
        return RecipientView(updated)
    }

    /// Soft delete: the row stays for the transfers that reference it, out of every list.
    public func delete(id: String, userId: String, requestID: String) async throws {
        guard UUID(uuidString: id) != nil else { throw AppError.notFound("There is no such recipient.") }
        let now = clock()
        try await database.transaction { db in
            guard try await RecipientRepository.softDelete(id: id, userId: userId, at: now, on: db) else {
                throw AppError.notFound("There is no such recipient.")
            }
            try await AuditLog.append(AuditEntry(actor: .user(id: userId), action: "recipient.deleted",
                                                 entityType: "recipient", entityId: id, requestId: requestID), at: now, on: db)
        }
    }

    // MARK: Validation

    /// The recipient in its stored form and its corridor, or 422 `VALIDATION_FAILED` naming every bad field.
    static func validated(_ input: RecipientInput) throws -> (RecipientDetails, Corridor) {
        var details: [ErrorDetail] = []
        let country = input.country.flatMap(nonBlank)
        let currency = input.currency.flatMap(nonBlank)
        if country == nil { details.append(ErrorDetail(field: "country", issue: RecipientValidator.IssueCode.required, message: "This field is required.")) }
        if currency == nil { details.append(ErrorDetail(field: "currency", issue: RecipientValidator.IssueCode.required, message: "This field is required.")) }
        var corridor: Corridor?
        if let country, let currency {
            corridor = CorridorLookup.resolve(country: country, currency: currency, details: &details)
        }
        var addressCountry: CountryCode?
        if let text = input.address?.country.flatMap(nonBlank) {
            do { addressCountry = try CountryCode(text) } catch { details.append(ErrorDetail(error.withField("address.country"))) }
        }
        guard let corridor else { throw AppError.validation("Some fields need attention.", details: details) }

        let address = input.address.map {
            RecipientDetails.Address(street: $0.street, postCode: $0.postCode, city: $0.city, country: addressCountry)
        }
        // Normalised first, so "de89 3704…" or a lower-case BIC are judged as the bank would read them.
        let recipient = RecipientDetails(
            name: input.name ?? "", country: corridor.country, currency: corridor.currency, iban: input.iban,
            accountNumber: input.accountNumber, bic: input.bic, ifsc: input.ifsc, routingNumber: input.routingNumber,
            bankName: input.bankName, address: address, relationship: input.relationship
        ).normalized()
        details += RecipientValidator().validate(recipient, for: corridor).map(ErrorDetail.init)
        guard details.isEmpty else { throw AppError.validation("Some fields need attention.", details: details) }
        return (recipient, corridor)
    }

    private static func nonBlank(_ text: String) -> String? {
        text.allSatisfy(\.isWhitespace) ? nil : text
    }

    static func record(_ details: RecipientDetails, id: String, userId: String, createdAt: Date, updatedAt: Date) -> RecipientRecord {
        RecipientRecord(
            id: id, userId: userId, name: details.name, country: details.country.rawValue, currency: details.currency.code,
            iban: details.iban, accountNumber: details.accountNumber, bic: details.bic, ifsc: details.ifsc,
            routingNumber: details.routingNumber, bankName: details.bankName, addressStreet: details.address?.street,
            addressPostCode: details.address?.postCode, addressCity: details.address?.city,
            addressCountry: details.address?.country?.rawValue, relationship: details.relationship,
            createdAt: createdAt, updatedAt: updatedAt)
    }
}
