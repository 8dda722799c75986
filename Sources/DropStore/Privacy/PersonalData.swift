import Foundation
import SQLKit

/// Erasure and retention of a customer's personal data (GDPR art. 17 against hvitvaskingsloven § 30).
///
/// Erasure blanks the person's contact and profile data and removes what AML law does not need.
/// Who they were (name, birth date, the sealed national id), the pid hash, KYC outcome, transfers
/// (with the payees and debit accounts they name), alerts and reports stay until `retainUntil`, for
/// compliance only: `deleted_at` hides the row from everything customer-facing (ADR 0027). The
/// retention purge then removes those too. Both run inside the caller's DB transaction.
public enum PersonalData {
    /// Blanks and removes what erasure covers. Returns false when the user was already erased.
    public static func erase(userId: String, at now: Date, retainUntil: Date, on db: any SQLDatabase) async throws -> Bool {
        // The customer due diligence data hvitvaskingsloven § 30 keeps while the records are kept
        // (GDPR art. 17(3)(b)): a report drafted later must name the person. With nothing kept, it goes too.
        let identity: SQLQueryString = retainUntil > now ? "" : "\(unsafeRaw: Self.identityBlanked), "
        let erased = try await db.raw("""
            UPDATE users SET \(identity)phone = NULL, email = NULL, email_verified_at = NULL,
                role = 'user', locale = 'nb', deleted_at = \(bind: now), retain_until = \(bind: retainUntil), updated_at = \(bind: now)
            WHERE id = \(bind: userId) AND deleted_at IS NULL
            RETURNING id
            """).first()
        guard erased != nil else { return false }
        try await SessionRepository.revokeAll(userId: userId, at: now, on: db)
        // A tracking link shows the receiver the payer's first name: it stops working at once.
        for table in ["settings", "spending_limits", "notifications", "cards", "tracking_links", "known_devices"] {
            try await db.raw("DELETE FROM \(unsafeRaw: table) WHERE user_id = \(bind: userId)").run()
        }
        // Stored replies of idempotent requests repeat what the user sent; the scope ends in their id.
        try await db.raw("DELETE FROM idempotency_keys WHERE scope LIKE \(bind: "%:\(userId)")").run()
        try await db.raw("UPDATE oidc_logins SET user_id = NULL WHERE user_id = \(bind: userId)").run()
        // Their business closes: its row stays with the payments made to it, and its organisation
        // number is free for whoever registers that business next.
        try await db.raw("UPDATE merchants SET closed_at = \(bind: now) WHERE user_id = \(bind: userId) AND closed_at IS NULL").run()
        // Standing transfers stop; the reconciler cancels them at the bank. They are payment records
        // and keep their payee and account, as transfers do.
        try await StandingOrderRepository.stopAll(userId: userId, reason: "erasure", at: now, on: db)
        // The kept newest page of their transaction list (`KeptNewestPage`) is a copy of payees, amounts and
        // messages: erasure rewrites no transaction, so no trigger empties it. The number moves with it, so no
        // process serves its copy from memory either.
        try await db.raw("""
            UPDATE transaction_list_versions SET version = version + 1, newest_page = NULL, newest_page_format = NULL
            WHERE user_id = \(bind: userId)
            """).run()
        // Queued and failed jobs about them (an old email address in a change notice).
        try await JobQueue.forget(userId: userId, on: db)

        // Payees and debit accounts a transfer names are part of the transfer record (the funds
        // transfer regulation); the rest go now. Kept rows disappear from every view of the user.
        try await db.raw("""
            DELETE FROM recipients WHERE user_id = \(bind: userId)
              AND id NOT IN (SELECT recipient_id FROM transactions WHERE user_id = \(bind: userId) AND recipient_id IS NOT NULL)
              AND id NOT IN (SELECT recipient_id FROM standing_orders WHERE user_id = \(bind: userId))
            """).run()
        try await db.raw("""
            UPDATE recipients SET relationship = NULL, deleted_at = COALESCE(deleted_at, \(bind: now)), updated_at = \(bind: now)
            WHERE user_id = \(bind: userId)
            """).run()
        // The account that proved a kept business's settlement account is part of its record too.
        try await db.raw("""
            DELETE FROM bank_accounts WHERE user_id = \(bind: userId)
              AND id NOT IN (SELECT bank_account_id FROM transactions WHERE user_id = \(bind: userId) AND bank_account_id IS NOT NULL)
              AND id NOT IN (SELECT bank_account_id FROM standing_orders WHERE user_id = \(bind: userId))
              AND id NOT IN (SELECT settlement_bank_account_id FROM merchants WHERE user_id = \(bind: userId) AND settlement_bank_account_id IS NOT NULL)
            """).run()
        try await db.raw("""
            UPDATE bank_accounts SET name = NULL, balance_minor = NULL, balance_synced_at = NULL,
                deleted_at = COALESCE(deleted_at, \(bind: now)), updated_at = \(bind: now)
            WHERE user_id = \(bind: userId)
            """).run()
        try await db.raw("""
            UPDATE bank_consents SET status = 'terminated', updated_at = \(bind: now)
            WHERE user_id = \(bind: userId) AND status <> 'terminated'
            """).run()
        return true
    }

    /// Who the person was: kept on an erased customer's row until their retention ends.
    static let identityBlanked = "name = NULL, given_name = NULL, family_name = NULL, birthdate = NULL, pid_encrypted = NULL"

    /// Erased customers whose retention period has ended, oldest first.
    public static func dueForPurge(at now: Date, limit: Int, on db: any SQLDatabase) async throws -> [String] {
        try await db.raw("""
            SELECT id FROM users WHERE deleted_at IS NOT NULL AND retain_until IS NOT NULL AND retain_until <= \(bind: now)
            ORDER BY retain_until, id LIMIT \(bind: limit)
            """).all().map { try $0.decode(column: "id", as: String.self) }
    }

    /// The customer's applicant at Sumsub, if they ever started KYC (kept through erasure, cleared by the purge).
    public static func kycApplicantId(of userId: String, on db: any SQLDatabase) async throws -> String? {
        try await db.raw("SELECT kyc_applicant_id FROM users WHERE id = \(bind: userId)").first()?
            .decode(column: "kyc_applicant_id", as: String?.self)
    }

    /// How many records of other customers name the person as the compliance officer who decided.
    static func officerDecisions(of userId: String) -> SQLQueryString {
        """
        ((SELECT COUNT(*) FROM aml_alerts WHERE resolved_by = \(bind: userId))
         + (SELECT COUNT(*) FROM str_reports WHERE created_by = \(bind: userId) OR filed_by = \(bind: userId))
         + (SELECT COUNT(*) FROM transactions WHERE reviewed_by = \(bind: userId)))
        """
    }

    /// Deletes every row left about an erased customer, children before parents. The audit log
    /// keeps its rows: they carry ids and actions only, and removing them would break the chain.
    /// Returns false when the `users` row itself had to stay (other customers' records point at it):
    /// blanked, and looked at again at `recheckAt`.
    @discardableResult
    public static func purge(userId: String, recheckAt: Date, on db: any SQLDatabase) async throws -> Bool {
        let ownTransactions = SQLQueryString("SELECT id FROM transactions WHERE user_id = \(bind: userId)")
        let ownReports = SQLQueryString("SELECT id FROM str_reports WHERE user_id = \(bind: userId)")
        let ownMerchants = SQLQueryString("SELECT id FROM merchants WHERE user_id = \(bind: userId)")
        // Reports and alerts about this customer, then their transfers and everything hanging off them.
        try await db.raw("DELETE FROM str_report_transactions WHERE report_id IN (\(ownReports)) OR transaction_id IN (\(ownTransactions))").run()
        try await db.raw("DELETE FROM str_reports WHERE user_id = \(bind: userId)").run()
        try await db.raw("DELETE FROM aml_alerts WHERE user_id = \(bind: userId)").run()
        try await db.raw("UPDATE complaints SET transaction_id = NULL WHERE transaction_id IN (\(ownTransactions))").run()
        try await db.raw("DELETE FROM transaction_events WHERE transaction_id IN (\(ownTransactions))").run()
        try await db.raw("DELETE FROM tracking_links WHERE transaction_id IN (\(ownTransactions))").run()
        try await db.raw("DELETE FROM merchant_events WHERE transaction_id IN (\(ownTransactions)) OR merchant_id IN (\(ownMerchants))").run()
        try await db.raw("DELETE FROM transactions WHERE user_id = \(bind: userId)").run()
        try await db.raw("DELETE FROM standing_orders WHERE user_id = \(bind: userId)").run()
        try await db.raw("DELETE FROM quotes WHERE user_id = \(bind: userId)").run()
        try await db.raw("UPDATE merchants SET settlement_bank_account_id = NULL WHERE user_id = \(bind: userId)").run()
        for table in ["recipients", "bank_accounts", "bank_consents", "consents", "screening_results", "sessions", "settings",
                      "spending_limits", "notifications", "cards", "data_access_requests", "complaints", "transaction_list_versions",
                      "balance_versions"] {
            try await db.raw("DELETE FROM \(unsafeRaw: table) WHERE user_id = \(bind: userId)").run()
        }
        // A business they ran stays while other customers' payments to it are kept (their own
        // retention clock); the user row stays with it, blanked now, and is tried again later.
        try await db.raw("DELETE FROM merchants WHERE user_id = \(bind: userId) AND id NOT IN (SELECT merchant_id FROM transactions WHERE merchant_id IS NOT NULL)").run()
        // So does an officer's row while records of other customers name them as the one who decided
        // (`aml_alerts.resolved_by`, `str_reports.created_by`/`filed_by`, `transactions.reviewed_by`):
        // those records keep their own retention clocks, and deleting the row would break them.
        let named = try await db.raw("SELECT \(officerDecisions(of: userId)) AS n").first()?.decode(column: "n", as: Int.self) ?? 0
        let runsABusiness = try await db.raw("SELECT id FROM merchants WHERE user_id = \(bind: userId)").first() != nil
        if named > 0 || runsABusiness {
            // Only so the references stay valid: nothing of the person's compliance standing is kept past
            // its retention, so a later account of theirs doesn't inherit it (`erasedStandings`). Nor their pid
            // hash: it is the national identity number under Drop's pepper, and would still tell who the row
            // was, find it by that number, and link a later account of theirs to it, with no AML duty left to
            // justify any of it (ADR 0033). Tried again at `recheckAt`, and deleted once nothing points at it.
            try await db.raw("""
                UPDATE users SET \(unsafeRaw: identityBlanked), pid_hash = \(bind: "purged:\(userId)"), kyc_status = 'none', kyc_applicant_id = NULL, kyc_reject_labels = NULL,
                    is_pep = \(bind: false), is_sanctioned = \(bind: false), risk_level = 'low', retain_until = \(bind: recheckAt)
                WHERE id = \(bind: userId)
                """).run()
            return false
        }
        try await db.raw("DELETE FROM users WHERE id = \(bind: userId) AND deleted_at IS NOT NULL").run()
        return true
    }
}
