import DropCore
import DropStore
import Foundation

/// A customer's recipients: validated against their corridor (DropCore `RecipientValidator`),
/// visible and changeable only by their owner, soft-deleted so past transfers keep pointing at them.
public struct RecipientService: Sendable {
    let database: Database
    let stepUp: CustomerStepUp
    let clock: @Sendable () -> Date

    public func list(userId: String, page: PageRequest) async throws -> Page<RecipientView> {
        // The cursor is the last recipient's id, which is ours (a UUID).
        if let cursor = page.cursor, UUID(uuidString: cursor) == nil {
            throw AppError.validation("The cursor is not one this list gave out.", details: [ErrorDetail(field: "cursor", issue: "invalid")])
        }
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

    /// A new payee needs a recent BankID sign-in, as a changed one does: otherwise whoever holds the
    /// session for a minute could delete "Mamma" and add a "Mamma" paying them (the bank's approval page
    /// names Drop's collection account, not the payee). Validated first, so a typing mistake is told
    /// before anyone is sent to BankID.
    public func create(by identity: Identity, _ input: RecipientInput, requestID: String) async throws -> RecipientView {
        let userId = identity.userId
        let (details, corridor) = try Self.validated(input)
        let now = clock()
        try await stepUp.require(identity, for: .recipientPayee, requestID: requestID, now: now)
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

    /// A change of where the money goes (name, country, currency or account details) needs a recent
    /// BankID sign-in (`CustomerStepUp`) and is told to the customer, by notification and email, in the
    /// same transaction; the relationship, bank name or address alone need neither.
    public func update(id: String, by identity: Identity, with patch: RecipientPatch, requestID: String) async throws -> RecipientView {
        let userId = identity.userId
        let existing = try await record(id: id, userId: userId)
        guard !patch.isEmpty else { return RecipientView(existing) }
        let now = clock()
        let fresh = stepUp.isFresh(identity, now: now)
        do {
            return try await database.transaction { db -> RecipientView in
                // Judged against the row as this write finds it (locked), not as it was read above.
                guard let current = try await RecipientRepository.findForUpdate(id: id, userId: userId, on: db) else {
                    throw AppError.notFound("There is no such recipient.")
                }
                // The whole recipient is validated again: a new country can make other fields required.
                let (details, _) = try Self.validated(patch.applied(to: RecipientInput(current)))
                let updated = Self.record(details, id: current.id, userId: userId, createdAt: current.createdAt, updatedAt: now)
                let payeeChanged = !current.hasSamePayee(as: updated)
                if payeeChanged, !fresh { throw CustomerStepUp.Needed() }
                guard try await RecipientRepository.update(updated, on: db) else { throw AppError.notFound("There is no such recipient.") }
                try await AuditLog.append(AuditEntry(actor: .user(id: userId), action: "recipient.updated",
                                                     entityType: "recipient", entityId: id, data: ["fields": patch.changedFields],
                                                     requestId: requestID), at: now, on: db)
                if payeeChanged { try await NotificationRepository.insert(Self.payeeChangedNotice(current, at: now), on: db) }
                return RecipientView(updated)
            }
        } catch is CustomerStepUp.Needed {
            try await stepUp.refuse(identity, for: .recipientPayee, requestID: requestID, now: now)
        }
    }

    /// "The bank details of Mamma were changed", naming the recipient as the customer knew them before.
    static func payeeChangedNotice(_ before: RecipientRecord, at now: Date) -> NotificationRecord {
        NotificationRecord(
            userId: before.userId, kind: .recipientPayeeChanged, title: "Bank details of \(before.name) changed",
            body: "The bank details of \(before.name) were changed. Your next transfer to them goes to the new account. "
                + "If it wasn't you, sign out everywhere under Profile and contact us.",
            link: NotificationLink(recipientId: before.id, recipientName: before.name), createdAt: now)
    }

    /// Soft delete: the row stays for the transfers that reference it, out of every list. A standing
    /// transfer paying it stops (the reconciler cancels it at the bank): each payment it made would
    /// only be refused and sent back.
    public func delete(id: String, userId: String, requestID: String) async throws {
        guard UUID(uuidString: id) != nil else { throw AppError.notFound("There is no such recipient.") }
        let now = clock()
        try await database.transaction { db in
            guard try await RecipientRepository.softDelete(id: id, userId: userId, at: now, on: db) else {
                throw AppError.notFound("There is no such recipient.")
            }
            try await AuditLog.append(AuditEntry(actor: .user(id: userId), action: "recipient.deleted",
                                                 entityType: "recipient", entityId: id, requestId: requestID), at: now, on: db)
            try await StandingOrderRepository.stopAll(userId: userId, recipientId: id, reason: "recipient_removed", at: now, on: db)
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

    /// 422 for a recipient whose name or address its rail can't carry: one saved before cross-border
    /// payments had to be in Latin letters too. Refused before any money moves, since its payout
    /// would fail only after the money left the payer's account.
    static func ensurePayable(_ recipient: RecipientRecord) throws {
        if let field = recipient.unwritableField {
            throw AppError.validation("Edit the recipient first: payments abroad carry names and addresses in Latin letters.", details: [
                ErrorDetail(field: "recipientId", issue: RecipientValidator.IssueCode.characters,
                            message: "The recipient's \(field) must be written in Latin letters."),
            ])
        }
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

extension RecipientRecord {
    /// The first of its name and address fields its rail can't carry (`PayeeWriting`), or nil.
    var unwritableField: String? {
        PayeeWriting.unwritableField(country: country, currency: currency, name: name, street: addressStreet,
                                     postCode: addressPostCode, city: addressCity)
    }
}

extension PayeeSnapshot {
    /// The first of the approved payee's name and address fields its rail can't carry (`PayeeWriting`), or nil.
    var unwritableField: String? {
        PayeeWriting.unwritableField(country: country, currency: currency, name: name, street: addressStreet,
                                     postCode: addressPostCode, city: addressCity)
    }
}
