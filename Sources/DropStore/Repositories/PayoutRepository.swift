import DropCore
import Foundation
import SQLKit

/// A transfer whose NOK has reached the partner and that is in no payout message yet, with the
/// payee as quoted (the snapshot on the transfer, never the recipient as edited since).
public struct DuePayout: Sendable {
    public let transactionId: String
    public let endToEndId: String
    public let amountMinor: Int64
    public let currency: String
    /// Nil when the snapshot has no name, country or currency (nothing to pay to).
    public let payee: RecipientDetails?
}

/// A transfer whose NOK the partner is to return to the sender's account.
public struct DueReturn: Sendable {
    public let transactionId: String
    /// The id the NOK arrived under at the collection account (a standing order's payment: the bank's).
    public let endToEndId: String
    /// What the user's bank paid the partner (amount and fee).
    public let amountMinor: Int64
    /// The sender's account the NOK came from (11-digit Norwegian account number): its BBAN, or the
    /// number inside its Norwegian IBAN when the bank listed it by IBAN alone. Nil for neither.
    public let debtorAccount: String?
    public let partnerReturnId: String?
}

/// A payout message claimed for sending.
public struct ClaimedPayout: Sendable {
    public let id: String
    public let messageId: String
    public let pain001: String
    /// Whether a worker may have tried to send it before this claim (the partner may have it): it was
    /// stamped as tried, or claimed before (`payout.sending`) by a worker that may not stamp it.
    public let sendAttempted: Bool
}

/// A transfer in a payout message.
public struct PayoutMember: Sendable {
    public let transactionId: String
    public let endToEndId: String
    public let status: TransferStatus
}

/// A payout message as the admin's list shows it.
public struct PayoutSummary: Decodable, Sendable, Equatable {
    public let id: String
    public let messageId: String
    public let status: PayoutMessageStatus
    public let currency: String
    public let transactionCount: Int
    public let controlSumMinor: Int64
    public let createdAt: Date
    public let sentAt: Date?
    public let updatedAt: Date
}

/// pain.001 messages sent to the payout partner and the transfers in them.
public enum PayoutRepository {
    /// Newest first, one more than `limit` (the caller's page knows from it whether more follow).
    public static func list(after position: PagePosition?, limit: Int, on db: any SQLDatabase) async throws -> [PayoutSummary] {
        var query = ListQuery("""
            SELECT id, message_id, status, currency, transaction_count, control_sum_minor, created_at, sent_at, updated_at FROM payouts
            """)
        query.page(table: "payouts", alias: nil, after: position, limit: limit)
        return try await db.raw(query.sql).all().map { try $0.decode(model: PayoutSummary.self, keyDecodingStrategy: .snakeCaseColumns) }
    }

    /// A transfer was taken into another worker's batch while this one was being built.
    public struct TransferTaken: Error, Sendable {
        public let transactionId: String
    }

    public static func pain001(idOrMessageId: String, on db: any SQLDatabase) async throws -> String? {
        try await db.raw("""
            SELECT pain001 FROM payouts WHERE id = \(bind: idOrMessageId) OR message_id = \(bind: idOrMessageId)
            """).first()?.decode(column: "pain001", as: String.self)
    }

    // MARK: Batching

    /// Paid in, not yet in a message, oldest first.
    public static func due(on db: any SQLDatabase) async throws -> [DuePayout] {
        try await db.raw("""
            SELECT id, target_amount_minor, target_currency, end_to_end_id, payee_name, payee_country, payee_currency, payee_iban,
                   payee_account_number, payee_bic, payee_ifsc, payee_routing_number, payee_bank_name, payee_address_street,
                   payee_address_post_code, payee_address_city, payee_address_country
            FROM transactions
            WHERE kind = 'remittance' AND status = 'processing' AND funds_received_at IS NOT NULL AND payout_id IS NULL
              AND user_id NOT IN (SELECT u.id FROM users u WHERE \(unsafeRaw: TransactionRepository.withoutStanding))
            ORDER BY created_at, id
            """).all().map { row in
            func text(_ column: String) throws -> String? { try row.decode(column: column, as: String?.self) }
            var payee: RecipientDetails?
            if let name = try text("payee_name"), let country = try text("payee_country").flatMap(CountryCode.init(rawValue:)),
               let currency = try text("payee_currency").flatMap(Currency.init(rawValue:)) {
                payee = RecipientDetails(
                    name: name, country: country, currency: currency, iban: try text("payee_iban"), accountNumber: try text("payee_account_number"),
                    bic: try text("payee_bic"), ifsc: try text("payee_ifsc"), routingNumber: try text("payee_routing_number"),
                    bankName: try text("payee_bank_name"),
                    address: RecipientDetails.Address(street: try text("payee_address_street"), postCode: try text("payee_address_post_code"),
                                                      city: try text("payee_address_city"),
                                                      country: try text("payee_address_country").flatMap(CountryCode.init(rawValue:))))
            }
            return DuePayout(transactionId: try row.decode(column: "id", as: String.self), endToEndId: try row.decode(column: "end_to_end_id", as: String.self),
                             amountMinor: try row.decode(column: "target_amount_minor", as: Int64.self),
                             currency: try row.decode(column: "target_currency", as: String.self), payee: payee)
        }
    }

    /// Stores a message and takes its transfers into it, on the caller's DB transaction. A transfer
    /// whose payer lost their standing since `due` read it is not taken (a verdict committing between).
    /// - Throws: `TransferTaken` when another worker batched one of them first, or its payer lost
    ///   their standing; roll back and rebuild.
    public static func insertBatch(
        id: String, messageId: String, currency: String, transactionIds: [String], controlSumMinor: Int64, pain001: String,
        at now: Date, on db: any SQLDatabase
    ) async throws {
        try await db.raw("""
            INSERT INTO payouts (id, message_id, status, currency, transaction_count, control_sum_minor, pain001, created_at, updated_at)
            VALUES (\(bind: id), \(bind: messageId), 'created', \(bind: currency), \(bind: transactionIds.count),
                    \(bind: controlSumMinor), \(bind: pain001), \(bind: now), \(bind: now))
            """).run()
        for transactionId in transactionIds {
            let taken = try await db.raw("""
                UPDATE transactions SET payout_id = \(bind: id), updated_at = \(bind: now)
                WHERE id = \(bind: transactionId) AND payout_id IS NULL AND status = 'processing'
                  AND user_id NOT IN (SELECT u.id FROM users u WHERE \(unsafeRaw: TransactionRepository.withoutStanding))
                RETURNING id
                """).first()
            guard taken != nil else { throw TransferTaken(transactionId: transactionId) }
        }
    }

    // MARK: Sending

    /// Claims every message waiting to be sent (new, or claimed by a worker whose claim lapsed):
    /// `created → sending`, conditional, so of two workers only one sends each message. Each claim
    /// is audited (`payout.sending`) on `db`, which must be the caller's DB transaction; so are the
    /// other moves below.
    ///
    /// A message claimed before counts as tried even without `send_attempted_at`: during a rolling deploy
    /// a worker of the release before migration 30 sends without stamping it, and puts a message whose
    /// answer was lost back to `created`. Its claim's `payout.sending`, which every release writes, is
    /// the record that the partner may have it (ADR 0030).
    public static func claimUnsent(worker: String, until: Date, at now: Date, on db: any SQLDatabase) async throws -> [ClaimedPayout] {
        let candidates = try await db.raw("""
            SELECT id FROM payouts
            WHERE status = 'created' OR (status = 'sending' AND claimed_until < \(bind: now))
            ORDER BY created_at, id
            """).all().map { try $0.decode(column: "id", as: String.self) }
        var claimed: [ClaimedPayout] = []
        for id in candidates {
            guard let row = try await db.raw("""
                UPDATE payouts SET status = 'sending', claimed_by = \(bind: worker), claimed_until = \(bind: until), updated_at = \(bind: now)
                WHERE id = \(bind: id) AND (status = 'created' OR (status = 'sending' AND claimed_until < \(bind: now)))
                RETURNING id, message_id, pain001, send_attempted_at,
                          CASE WHEN EXISTS (SELECT 1 FROM audit_log a WHERE a.entity_type = 'payout' AND a.entity_id = payouts.id
                                                                         AND a.action = 'payout.sending') THEN 1 ELSE 0 END AS claimed_before
                """).first() else { continue }
            let claimedBefore = try row.decode(column: "claimed_before", as: Int.self) == 1
            claimed.append(ClaimedPayout(id: try row.decode(column: "id", as: String.self), messageId: try row.decode(column: "message_id", as: String.self),
                                         pain001: try row.decode(column: "pain001", as: String.self),
                                         sendAttempted: try row.decode(column: "send_attempted_at", as: Date?.self) != nil || claimedBefore))
            try await audit("payout.sending", payoutId: id, actor: .system, at: now, on: db)
        }
        return claimed
    }

    /// Shares the rows of the message's payers until the caller's DB transaction ends (PostgreSQL), so a
    /// verdict on one of them (a Sumsub rejection or sanctions hit, an erasure: each writes the payer's
    /// row) is either committed before `membersWithoutStanding` reads them, or waits until the send is
    /// recorded. Without it, under READ COMMITTED, a verdict committing between the read and the stamp
    /// let a message go with a payer who had lost their standing before Drop committed to sending it.
    /// In id order, so two workers never wait on each other.
    public static func lockPayers(ofPayout payoutId: String, on db: any SQLDatabase) async throws {
        _ = try await db.raw("""
            SELECT u.id FROM users u
            WHERE u.id IN (SELECT t.user_id FROM transactions t WHERE t.payout_id = \(bind: payoutId))
            ORDER BY u.id\(unsafeRaw: db.rowShareClause)
            """).all()
    }

    /// Transfers in a message not yet sent whose payer may no longer pay (sanctioned, rejected, erased),
    /// as they stand now: the verdict may have come after the message was written.
    public static func membersWithoutStanding(ofPayout payoutId: String, on db: any SQLDatabase) async throws -> [String] {
        try await db.raw("""
            SELECT t.id FROM transactions t JOIN users u ON u.id = t.user_id
            WHERE t.payout_id = \(bind: payoutId) AND t.status = 'processing' AND \(unsafeRaw: TransactionRepository.withoutStanding)
            ORDER BY t.id
            """).all().map { try $0.decode(column: "id", as: String.self) }
    }

    /// Stamped just before the message goes to the partner, on the DB transaction that checked its
    /// payers' standing: from then on the partner may have it. False when this worker's claim was taken over.
    public static func markSendAttempted(id: String, worker: String, at now: Date, on db: any SQLDatabase) async throws -> Bool {
        try await db.raw("""
            UPDATE payouts SET send_attempted_at = COALESCE(send_attempted_at, \(bind: now)), updated_at = \(bind: now)
            WHERE id = \(bind: id) AND status = 'sending' AND claimed_by = \(bind: worker)
            RETURNING id
            """).first() != nil
    }

    /// Takes back a message the partner never had (`withdrawn`) and frees its transfers: those of
    /// `withoutStanding` are then held by `payments.withdraw-unavailable`, the others go in the next
    /// message. Audited (`payout.withdrawn`, naming them). - Returns: the other transfers freed, or
    /// nil when this worker no longer held the message.
    public static func withdraw(id: String, worker: String, withoutStanding: [String], at now: Date, on db: any SQLDatabase) async throws -> Int? {
        guard try await db.raw("""
            UPDATE payouts SET status = 'withdrawn', claimed_by = NULL, claimed_until = NULL, updated_at = \(bind: now)
            WHERE id = \(bind: id) AND status = 'sending' AND claimed_by = \(bind: worker)
            RETURNING id
            """).first() != nil else { return nil }
        let freed = try await db.raw("""
            UPDATE transactions SET payout_id = NULL, updated_at = \(bind: now)
            WHERE payout_id = \(bind: id) AND status = 'processing'
            RETURNING id
            """).all().map { try $0.decode(column: "id", as: String.self) }
        try await AuditLog.append(AuditEntry(actor: .system, action: "payout.withdrawn", entityType: "payout", entityId: id,
                                             data: Withdrawn(withoutStanding: withoutStanding, freed: freed.count)), at: now, on: db)
        return freed.filter { !withoutStanding.contains($0) }.count
    }

    /// What `payout.withdrawn` records: ids and a count only.
    struct Withdrawn: Encodable {
        let withoutStanding: [String]
        let freed: Int
    }

    /// The partner took the message. - Returns: false when this worker's claim had been taken over.
    public static func markSubmitted(id: String, worker: String, pain002: String, at now: Date, on db: any SQLDatabase) async throws -> Bool {
        guard try await db.raw("""
            UPDATE payouts SET status = 'submitted', pain002 = \(bind: pain002), sent_at = COALESCE(sent_at, \(bind: now)),
                   claimed_by = NULL, claimed_until = NULL, updated_at = \(bind: now)
            WHERE id = \(bind: id) AND status = 'sending' AND claimed_by = \(bind: worker)
            RETURNING id
            """).first() != nil else { return false }
        try await audit("payout.submitted", payoutId: id, actor: .provider(partner), at: now, on: db)
        return true
    }

    /// Not sent this time (partner down, or refusing Drop itself): back to `created` for a later run.
    public static func releaseClaim(id: String, worker: String, at now: Date, on db: any SQLDatabase) async throws {
        guard try await db.raw("""
            UPDATE payouts SET status = 'created', claimed_by = NULL, claimed_until = NULL, updated_at = \(bind: now)
            WHERE id = \(bind: id) AND status = 'sending' AND claimed_by = \(bind: worker)
            RETURNING id
            """).first() != nil else { return }
        try await audit("payout.released", payoutId: id, actor: .system, at: now, on: db)
    }

    /// Not sent, and not to be sent again before `until` (the partner refuses the request itself and a
    /// person was told): this worker's claim is kept until then, so no run sends it meanwhile. Once it
    /// lapses the message is claimed as one that may have been tried (the partner is asked first).
    public static func holdClaim(id: String, worker: String, until: Date, at now: Date, on db: any SQLDatabase) async throws {
        guard try await db.raw("""
            UPDATE payouts SET claimed_until = \(bind: until), updated_at = \(bind: now)
            WHERE id = \(bind: id) AND status = 'sending' AND claimed_by = \(bind: worker)
            RETURNING id
            """).first() != nil else { return }
        try await audit("payout.held", payoutId: id, actor: .system, at: now, on: db)
    }

    /// The partner refused the message. - Returns: false when this worker no longer held it.
    public static func markRejected(id: String, worker: String, pain002: String?, at now: Date, on db: any SQLDatabase) async throws -> Bool {
        guard try await db.raw("""
            UPDATE payouts SET status = 'rejected', pain002 = COALESCE(\(bind: pain002), pain002), claimed_by = NULL, claimed_until = NULL,
                   updated_at = \(bind: now)
            WHERE id = \(bind: id) AND status = 'sending' AND claimed_by = \(bind: worker)
            RETURNING id
            """).first() != nil else { return false }
        try await audit("payout.rejected", payoutId: id, actor: .provider(partner), at: now, on: db)
        return true
    }

    /// Takes transfers out of a refused message so the next batch carries them in a new one.
    public static func release(transactionIds: [String], fromPayout payoutId: String, at now: Date, on db: any SQLDatabase) async throws {
        for transactionId in transactionIds {
            try await db.raw("""
                UPDATE transactions SET payout_id = NULL, updated_at = \(bind: now)
                WHERE id = \(bind: transactionId) AND payout_id = \(bind: payoutId) AND status = 'processing'
                """).run()
        }
    }

    // MARK: Reports

    /// Messages the partner accepted and has not finished.
    public static func submitted(on db: any SQLDatabase) async throws -> [(id: String, messageId: String)] {
        try await db.raw("SELECT id, message_id FROM payouts WHERE status = 'submitted' ORDER BY created_at, id").all().map {
            (try $0.decode(column: "id", as: String.self), try $0.decode(column: "message_id", as: String.self))
        }
    }

    public static func members(ofPayout payoutId: String, on db: any SQLDatabase) async throws -> [PayoutMember] {
        try await db.raw("SELECT id, end_to_end_id, status FROM transactions WHERE payout_id = \(bind: payoutId) ORDER BY id").all().map {
            PayoutMember(transactionId: try $0.decode(column: "id", as: String.self), endToEndId: try $0.decode(column: "end_to_end_id", as: String.self),
                         status: try $0.decode(column: "status", caseOf: TransferStatus.self))
        }
    }

    /// Stores the latest pain.002; the message is `completed` once none of its transfers is open.
    public static func recordReport(payoutId: String, pain002: String, at now: Date, on db: any SQLDatabase) async throws {
        let stillOpen = try await db.raw("""
            SELECT COUNT(*) AS n FROM transactions WHERE payout_id = \(bind: payoutId) AND status = 'processing'
            """).first()?.decode(column: "n", as: Int.self) ?? 0
        let status: PayoutMessageStatus = stillOpen == 0 ? .completed : .submitted
        let updated = try await db.raw("""
            UPDATE payouts SET pain002 = \(bind: pain002), status = \(bind: status.rawValue), updated_at = \(bind: now)
            WHERE id = \(bind: payoutId) AND status = 'submitted'
            RETURNING id
            """).first() != nil
        if updated, status == .completed { try await audit("payout.completed", payoutId: payoutId, actor: .provider(partner), at: now, on: db) }
    }

    // MARK: Returns

    /// Returns asked for and not yet confirmed: without a partner id (to request) or with one (to poll).
    /// Those never asked about first, then those asked least recently, each only once its next check
    /// is due: a return that can never finish (failed, refused) would otherwise stay among the first
    /// `limit` run after run, and no later return would ever be asked for.
    public static func openReturns(now: Date, limit: Int = 200, on db: any SQLDatabase) async throws -> [DueReturn] {
        try await db.raw("""
            SELECT t.id, COALESCE(t.funds_end_to_end_id, t.end_to_end_id) AS end_to_end_id, t.total_minor, t.partner_return_id, a.bban, a.iban
            FROM transactions t LEFT JOIN bank_accounts a ON a.id = t.bank_account_id
            WHERE t.return_requested_at IS NOT NULL AND t.returned_at IS NULL
              AND (t.return_next_check_at IS NULL OR t.return_next_check_at <= \(bind: now))
            ORDER BY t.return_next_check_at IS NOT NULL, t.return_next_check_at, t.return_requested_at, t.id LIMIT \(bind: limit)
            """).all().map {
            DueReturn(transactionId: try $0.decode(column: "id", as: String.self), endToEndId: try $0.decode(column: "end_to_end_id", as: String.self),
                      amountMinor: try $0.decode(column: "total_minor", as: Int64.self),
                      debtorAccount: NorwegianAccountNumber.of(bban: try $0.decode(column: "bban", as: String?.self),
                                                               iban: try $0.decode(column: "iban", as: String?.self))?.digits,
                      partnerReturnId: try $0.decode(column: "partner_return_id", as: String?.self))
        }
    }

    /// When the partner is next asked about a transfer's return: stamped before each asking (`now`),
    /// or a day on once its answer was raised for a person.
    public static func scheduleReturnCheck(transactionId: String, at next: Date, on db: any SQLDatabase) async throws {
        try await db.raw("UPDATE transactions SET return_next_check_at = \(bind: next) WHERE id = \(bind: transactionId)").run()
    }

    /// Keeps the partner's id for a return; the first one stored wins (the partner gives the same
    /// id for the same client id, so two workers store one return). Audited as the return accepted.
    public static func recordReturnId(transactionId: String, partnerReturnId: String, at now: Date, on db: any SQLDatabase) async throws {
        guard try await db.raw("""
            UPDATE transactions SET partner_return_id = \(bind: partnerReturnId), updated_at = \(bind: now)
            WHERE id = \(bind: transactionId) AND partner_return_id IS NULL
            RETURNING id
            """).first() != nil else { return }
        try await AuditLog.append(AuditEntry(actor: .provider(partner), action: "transaction.return_accepted", entityType: "transaction",
                                             entityId: transactionId, data: ["partnerReturnId": partnerReturnId]), at: now, on: db)
    }

    /// Who moves a message once Drop has sent it, as the audit log names it.
    static let partner = "payout-partner"

    /// A message's move, in the audit log on the caller's DB transaction; ids and statuses only.
    private static func audit(_ action: String, payoutId: String, actor: AuditActor, at now: Date, on db: any SQLDatabase) async throws {
        try await AuditLog.append(AuditEntry(actor: actor, action: action, entityType: "payout", entityId: payoutId), at: now, on: db)
    }

    /// The partner confirmed the return. - Returns: false when it was already recorded.
    public static func markReturned(transactionId: String, at now: Date, on db: any SQLDatabase) async throws -> Bool {
        try await db.raw("""
            UPDATE transactions SET returned_at = \(bind: now), updated_at = \(bind: now)
            WHERE id = \(bind: transactionId) AND returned_at IS NULL AND partner_return_id IS NOT NULL
            RETURNING id
            """).first() != nil
    }

    /// A message's pain.001 and the payout id it is kept under (asked for by either id). The text is
    /// empty once its retention ended (`blankFiles`).
    public static func file(idOrMessageId: String, on db: any SQLDatabase) async throws -> (id: String, pain001: String)? {
        try await db.raw("""
            SELECT id, pain001 FROM payouts WHERE id = \(bind: idOrMessageId) OR message_id = \(bind: idOrMessageId)
            """).first().map { (try $0.decode(column: "id", as: String.self), try $0.decode(column: "pain001", as: String.self)) }
    }

    /// Messages done with (every outcome known, the whole message refused, or withdrawn before it was sent) whose files are still kept and that
    /// last changed before `before`, oldest first, with when they last changed.
    public static func keptFiles(changedBefore before: Date, limit: Int, on db: any SQLDatabase) async throws -> [(id: String, changedAt: Date)] {
        try await db.raw("""
            SELECT id, updated_at FROM payouts
            WHERE status IN ('completed', 'rejected', 'withdrawn') AND updated_at < \(bind: before) AND (pain001 <> '' OR pain002 IS NOT NULL)
            ORDER BY updated_at, id LIMIT \(bind: limit)
            """).all().map { (try $0.decode(column: "id", as: String.self), try $0.decode(column: "updated_at", as: Date.self)) }
    }

    /// Blanks a message's pain.001 and pain.002, which name every receiver, their address, account and amount;
    /// its ids, status, count and control sum stay, as do its transfers (each on its customer's clock).
    /// Audited as `payout.files_deleted` on the caller's DB transaction. - Returns: false when already blank.
    public static func blankFiles(id: String, at now: Date, on db: any SQLDatabase) async throws -> Bool {
        guard try await db.raw("""
            UPDATE payouts SET pain001 = '', pain002 = NULL
            WHERE id = \(bind: id) AND (pain001 <> '' OR pain002 IS NOT NULL)
            RETURNING id
            """).first() != nil else { return false }
        try await audit("payout.files_deleted", payoutId: id, actor: .system, at: now, on: db)
        return true
    }
}
