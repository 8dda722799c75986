import DropCore
import Foundation
import SQLKit

/// A transfer or QR payment about to be written: everything fixed at creation, before the bank
/// is asked for anything.
public struct NewTransaction: Sendable {
    public var id: String
    public var userId: String
    public var kind: TransactionKind
    /// What the recipient's side is priced from, the fee, and what leaves the payer's account (NOK).
    public var amount: Money
    public var fee: Money
    public var total: Money
    public var target: Money?
    public var rate: String?
    public var recipientId: String?
    public var payee: PayeeSnapshot?
    public var merchantId: String?
    public var bankAccountId: String
    public var quoteId: String?
    public var idempotencyKey: String
    public var message: String?
    /// A QR payment's order reference, fixed by the merchant's signature (never the payer's text).
    public var reference: String?
    /// A QR payment's signed one-purchase code (a hash of its terms): one payment under way or done per code.
    public var paymentLinkId: String?
    /// When that code stops being good (nil for a static code): a payment held past it is not asked of the bank.
    public var paymentLinkExpiresAt: Date?
    public var endToEndId: String
    /// The `X-Request-ID` the payment initiation will carry, every time it is sent.
    public var bankRequestId: String
    public var bankProduct: String
    /// The payer's address, sent to the bank as `PSU-IP-Address` (again on a repeat).
    public var psuIPAddress: String
    public var scaExpiresAt: Date
    /// The hash of the request whose Idempotency-Key made it (`IdempotentAttempt`): a later attempt
    /// under the key resumes it only when it is the same request.
    public var requestHash: String?

    public init(id: String, userId: String, kind: TransactionKind, amount: Money, fee: Money, total: Money, target: Money? = nil, rate: String? = nil,
                recipientId: String? = nil, payee: PayeeSnapshot? = nil, merchantId: String? = nil, bankAccountId: String,
                quoteId: String? = nil, idempotencyKey: String, message: String? = nil, reference: String? = nil, paymentLinkId: String? = nil,
                paymentLinkExpiresAt: Date? = nil, endToEndId: String,
                bankRequestId: String, bankProduct: String, psuIPAddress: String, scaExpiresAt: Date, requestHash: String? = nil) {
        self.id = id
        self.userId = userId
        self.kind = kind
        self.amount = amount
        self.fee = fee
        self.total = total
        self.target = target
        self.rate = rate
        self.recipientId = recipientId
        self.payee = payee
        self.merchantId = merchantId
        self.bankAccountId = bankAccountId
        self.quoteId = quoteId
        self.idempotencyKey = idempotencyKey
        self.message = message
        self.reference = reference
        self.paymentLinkId = paymentLinkId
        self.paymentLinkExpiresAt = paymentLinkExpiresAt
        self.endToEndId = endToEndId
        self.bankRequestId = bankRequestId
        self.bankProduct = bankProduct
        self.psuIPAddress = psuIPAddress
        self.scaExpiresAt = scaExpiresAt
        self.requestHash = requestHash
    }
}

/// A transaction as the payment machinery needs it: what the bank was (or is to be) asked for,
/// and what it answered.
public struct BankPaymentRecord: Sendable, Equatable {
    public let id: String
    public let userId: String
    public let kind: TransactionKind
    public let status: TransferStatus
    public let bankAccountId: String?
    public let total: Money
    public let endToEndId: String
    public let merchantId: String?
    public let reference: String?
    public let message: String?
    /// A remittance's recipient as snapshotted when it was made (nil for a QR payment).
    public let payeeName: String?
    public let bankRequestId: String?
    public let bankProduct: String?
    public let psuIPAddress: String?
    public let paymentId: String?
    public let scaRedirect: String?
    public let scaExpiresAt: Date?
    public let fundsReceivedAt: Date?
    public let createdAt: Date
    /// The payer's national identity number as stored, sealed (`users.pid_encrypted`; nil when
    /// Drop has none): the bank's PSU-ID, read with the payment so asking the bank reads nothing more.
    public let payerSealedPid: String?
    /// The hash of the request that made it (`NewTransaction.requestHash`; nil for one made before
    /// migration 20, or not by a request: a standing order's payment).
    public let requestHash: String?

    public var statusRecord: TransactionStatusRecord { TransactionStatusRecord(id: id, userId: userId, kind: kind, status: status) }
}

/// The one place that writes new transactions and what the bank says about their payments.
/// Status moves go through `TransactionStatusRepository.apply` (state machine, history, audit).
public enum TransactionRepository {
    /// What `transaction.created` records.
    struct Opened: Encodable {
        let kind: TransactionKind
        let status: TransferStatus
        let totalMinor: Int64
        let merchantId: String?
        let standingOrderId: String?
    }

    /// Inserts the transaction, its first history entry and its audit row on the caller's DB
    /// transaction (which also holds the AML result and the notification).
    public static func open(_ new: NewTransaction, standingOrderId: String?, at now: Date, on db: any SQLDatabase) async throws {
        let payee = new.payee
        try await db.runBatched("""
            INSERT INTO transactions (id, user_id, kind, status, amount_minor, currency, fee_minor, total_minor, target_amount_minor,
                target_currency, rate, recipient_id, merchant_id, bank_account_id, quote_id, idempotency_key, message, reference,
                payment_link_id, end_to_end_id, bank_request_id, bank_product, psu_ip_address, sca_expires_at, created_at, updated_at,
                payee_name, payee_country, payee_currency, payee_iban, payee_account_number, payee_bic, payee_ifsc, payee_routing_number,
                payee_bank_name, payee_address_street, payee_address_post_code, payee_address_city, payee_address_country, request_hash,
                payment_link_expires_at)
            VALUES (\(bind: new.id), \(bind: new.userId), \(bind: new.kind.rawValue), 'pending_sca', \(bind: new.amount.minorUnits),
                \(bind: new.amount.currency.code), \(bind: new.fee.minorUnits), \(bind: new.total.minorUnits), \(bind: new.target?.minorUnits),
                \(bind: new.target?.currency.code), \(bind: new.rate), \(bind: new.recipientId), \(bind: new.merchantId), \(bind: new.bankAccountId),
                \(bind: new.quoteId), \(bind: new.idempotencyKey), \(bind: new.message), \(bind: new.reference), \(bind: new.paymentLinkId),
                \(bind: new.endToEndId),
                \(bind: new.bankRequestId), \(bind: new.bankProduct), \(bind: new.psuIPAddress), \(bind: new.scaExpiresAt), \(bind: now), \(bind: now),
                \(bind: payee?.name), \(bind: payee?.country), \(bind: payee?.currency), \(bind: payee?.iban), \(bind: payee?.accountNumber),
                \(bind: payee?.bic), \(bind: payee?.ifsc), \(bind: payee?.routingNumber), \(bind: payee?.bankName), \(bind: payee?.addressStreet),
                \(bind: payee?.addressPostCode), \(bind: payee?.addressCity), \(bind: payee?.addressCountry), \(bind: new.requestHash),
                \(bind: new.paymentLinkExpiresAt))
            """)
        try await db.runBatched("""
            INSERT INTO transaction_events (id, transaction_id, from_status, to_status, reason, at)
            VALUES (\(bind: RecordID.make()), \(bind: new.id), NULL, 'pending_sca', 'Created; waiting for approval in the bank.', \(bind: now))
            """)
        try await AuditLog.append(AuditEntry(actor: .user(id: new.userId), action: "transaction.created", entityType: "transaction",
                                             entityId: new.id,
                                             data: Opened(kind: new.kind, status: .pendingSCA, totalMinor: new.total.minorUnits,
                                                          merchantId: new.merchantId, standingOrderId: standingOrderId)), at: now, on: db)
    }

    static let bankColumns = """
        id, user_id, kind, status, bank_account_id, total_minor, currency, end_to_end_id, merchant_id, reference, message, payee_name,
        bank_request_id, bank_product, psu_ip_address, pisp_payment_id, sca_redirect, sca_expires_at, funds_received_at, created_at, request_hash,
        (SELECT pid_encrypted FROM users WHERE users.id = transactions.user_id AND users.deleted_at IS NULL) AS payer_sealed_pid
        """

    /// The transfer a user's request with this Idempotency-Key made, if it got that far.
    public static func bankPayment(userId: String, idempotencyKey: String, on db: any SQLDatabase) async throws -> BankPaymentRecord? {
        try await db.rows(BankPaymentByKey(userId: userId, idempotencyKey: idempotencyKey)).first.map(bankPayment)
    }

    public static func bankPayment(id: String, on db: any SQLDatabase) async throws -> BankPaymentRecord? {
        try await db.rows(BankPaymentById(id: id)).first.map(bankPayment)
    }

    /// Every transfer reads both, before it is written and before its bank is asked: prepared on PostgreSQL.
    struct BankPaymentByKey: PreparedRead {
        static let sql = "SELECT \(bankColumns) FROM transactions WHERE user_id = $1 AND idempotency_key = $2"
        let userId: String
        let idempotencyKey: String
        var parameters: [String] { [userId, idempotencyKey] }
    }

    struct BankPaymentById: PreparedRead {
        static let sql = "SELECT \(bankColumns) FROM transactions WHERE id = $1"
        let id: String
        var parameters: [String] { [id] }
    }

    /// Payments the bank was (or may have been) asked for but whose answer Drop never stored: the
    /// process died or the answer was lost. Only those whose request began before `askedBefore`
    /// (`updated_at`: when the payment was written, or released from hold to be asked of the bank;
    /// nothing else moves a payment still waiting for its bank's answer), so a request still running
    /// is left alone: by `created_at` a transfer released after a long hold was old, and was asked
    /// again at once beside the release's own request. Never asked about first, then least
    /// recently (`bank_checked_at`, stamped at each try): one that can never be asked again (its
    /// account gone) stays so, and ordered by age alone the oldest `limit` of them would keep every
    /// later one from being learnt.
    public static func awaitingBankAnswer(askedBefore: Date, limit: Int = 100, on db: any SQLDatabase) async throws -> [BankPaymentRecord] {
        try await db.raw("""
            SELECT \(unsafeRaw: bankColumns) FROM transactions
            WHERE status = 'pending_sca' AND pisp_payment_id IS NULL AND bank_request_id IS NOT NULL
              AND updated_at < \(bind: askedBefore)
            ORDER BY bank_checked_at IS NOT NULL, bank_checked_at, created_at, id LIMIT \(bind: limit)
            """).all().map(bankPayment)
    }

    /// Payments waiting on the user's approval past their window (expiry asks the bank first), those
    /// asked about least recently first, for the same reason as `awaitingBankAnswer`.
    public static func overdue(now: Date, limit: Int = 100, on db: any SQLDatabase) async throws -> [BankPaymentRecord] {
        try await db.raw("""
            SELECT \(unsafeRaw: bankColumns) FROM transactions
            WHERE status = 'pending_sca' AND sca_expires_at < \(bind: now)
            ORDER BY bank_checked_at IS NOT NULL, bank_checked_at, sca_expires_at, id LIMIT \(bind: limit)
            """).all().map(bankPayment)
    }

    /// Whether a customer (`u`) may no longer pay or be paid: identity check not approved,
    /// sanctioned or erased (`MerchantOwnerStanding` and `ComplianceStanding` in words).
    static let withoutStanding = "(u.kyc_status <> 'approved' OR u.is_sanctioned = TRUE OR u.deleted_at IS NOT NULL)"

    /// Payments still waiting for approval whose payer, or (a QR payment) whose shop or its owner, may no
    /// longer pay or be paid (a closed shop included); `payerUnavailable` tells which. Only those the bank
    /// gave an id (one whose answer was lost is learnt by the reconciler first), least recently tried first
    /// (`bank_checked_at`): one the bank can't cancel keeps its status, and must not keep the rest waiting.
    public static func awaitingApprovalWithoutStanding(limit: Int = 100, on db: any SQLDatabase) async throws -> [(payment: BankPaymentRecord, payerUnavailable: Bool)] {
        try await db.raw("""
            SELECT \(unsafeRaw: bankColumns),
                   EXISTS (SELECT 1 FROM users u WHERE u.id = transactions.user_id AND \(unsafeRaw: withoutStanding)) AS payer_unavailable
            FROM transactions
            WHERE status = 'pending_sca' AND pisp_payment_id IS NOT NULL AND (
                user_id IN (SELECT u.id FROM users u WHERE \(unsafeRaw: withoutStanding))
                OR merchant_id IN (SELECT m.id FROM merchants m JOIN users u ON u.id = m.user_id
                                   WHERE m.closed_at IS NOT NULL OR \(unsafeRaw: withoutStanding)))
            ORDER BY bank_checked_at IS NOT NULL, bank_checked_at, created_at, id LIMIT \(bind: limit)
            """).all().map { (try bankPayment($0), try $0.decode(column: "payer_unavailable", as: Bool.self)) }
    }

    /// Remittances whose NOK arrived, not yet in a payout message, whose payer may no longer pay:
    /// held for compliance before anything is paid out (one whose NOK is still on its way waits:
    /// the payout job takes none of this payer's transfers).
    public static func approvedWithoutStanding(limit: Int = 100, on db: any SQLDatabase) async throws -> [TransactionStatusRecord] {
        try await db.raw("""
            SELECT id, user_id, kind, status FROM transactions
            WHERE kind = 'remittance' AND status = 'processing' AND funds_received_at IS NOT NULL AND payout_id IS NULL
              AND user_id IN (SELECT u.id FROM users u WHERE \(unsafeRaw: withoutStanding))
            ORDER BY created_at LIMIT \(bind: limit)
            """).all().map { row in
            TransactionStatusRecord(id: try row.decode(column: "id", as: String.self), userId: try row.decode(column: "user_id", as: String.self),
                                    kind: try row.decode(column: "kind", caseOf: TransactionKind.self), status: .processing)
        }
    }

    /// On PostgreSQL, locks a transfer not yet in a payout message until the caller's transaction
    /// ends, so the payout job either took it first (false) or finds it held; SQLite's single
    /// writer already orders the two.
    public static func lockBeforePayout(id: String, on db: any SQLDatabase) async throws -> Bool {
        try await db.raw("""
            SELECT id FROM transactions WHERE id = \(bind: id) AND status = 'processing' AND payout_id IS NULL\(unsafeRaw: db.rowLockClause)
            """).first() != nil
    }

    /// Payments whose bank status Drop should read again because no webhook has settled them:
    /// waiting for approval, or approved but the NOK not yet reported settled. Each is asked at
    /// most once per `checkedBefore`.
    public static func needingBankCheck(updatedBefore: Date, checkedBefore: Date, limit: Int = 100, on db: any SQLDatabase) async throws -> [BankPaymentRecord] {
        try await db.raw("""
            SELECT \(unsafeRaw: bankColumns) FROM transactions
            WHERE pisp_payment_id IS NOT NULL AND updated_at < \(bind: updatedBefore)
              AND (status = 'pending_sca' OR (status = 'processing' AND funds_received_at IS NULL))
              AND (bank_checked_at IS NULL OR bank_checked_at < \(bind: checkedBefore))
            ORDER BY updated_at LIMIT \(bind: limit)
            """).all().map(bankPayment)
    }

    /// Drop asked the bank about the payment (its status, a lost answer again, its cancellation), or tried to.
    public static func markBankChecked(id: String, at now: Date, on db: any SQLDatabase) async throws {
        try await db.raw("UPDATE transactions SET bank_checked_at = \(bind: now) WHERE id = \(bind: id)").run()
    }

    /// Stores the bank's payment id and SCA page while the transaction waits for approval
    /// (`pending_sca`). Refuses to replace a different payment id (the same request id can only
    /// ever name one payment), and refuses a transaction that has moved on: an answer arriving
    /// after it ended (failed, cancelled, expired) must not give it an approval page again.
    /// False when refused; the caller reads the transaction to learn why.
    @discardableResult
    public static func recordInitiation(id: String, paymentId: String, scaRedirect: String, at now: Date, on db: any SQLDatabase) async throws -> Bool {
        try await db.raw("""
            UPDATE transactions SET pisp_payment_id = \(bind: paymentId), sca_redirect = \(bind: scaRedirect), updated_at = \(bind: now)
            WHERE id = \(bind: id) AND status = 'pending_sca' AND (pisp_payment_id IS NULL OR pisp_payment_id = \(bind: paymentId))
            RETURNING id
            """).first() != nil
    }

    /// Compliance's review of a held transfer: who decided and why (never shown to the customer);
    /// a release also gives the user a fresh approval window.
    public static func recordReview(id: String, by reviewer: String, reason: String?, scaExpiresAt: Date? = nil, on db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE transactions SET reviewed_by = \(bind: reviewer), review_reason = \(bind: reason),
                sca_expires_at = COALESCE(\(bind: scaExpiresAt), sca_expires_at)
            WHERE id = \(bind: id)
            """).run()
    }

    /// A held transfer priced again at today's rate when released: the NOK the customer pays is
    /// unchanged, the receiver gets what it buys now. False when the transfer is no longer held.
    public static func reprice(id: String, receive: Money, rate: String, at now: Date, on db: any SQLDatabase) async throws -> Bool {
        try await db.raw("""
            UPDATE transactions SET target_amount_minor = \(bind: receive.minorUnits), rate = \(bind: rate), updated_at = \(bind: now)
            WHERE id = \(bind: id) AND status = \(bind: TransferStatus.held.rawValue) AND target_currency = \(bind: receive.currency.code)
            RETURNING id
            """).first() != nil
    }

    /// Lets the Idempotency-Key be used again (the attempt ended without money moving).
    public static func freeIdempotencyKey(id: String, on db: any SQLDatabase) async throws {
        try await db.raw("UPDATE transactions SET idempotency_key = NULL WHERE id = \(bind: id)").run()
    }

    /// The user's bank reports the NOK settled (it has left their account).
    public static func markFundsReceived(id: String, at now: Date, on db: any SQLDatabase) async throws {
        try await db.raw("UPDATE transactions SET funds_received_at = COALESCE(funds_received_at, \(bind: now)) WHERE id = \(bind: id)").run()
    }

    /// Asks for the NOK to be returned through the payout partner (the returns job does it; the
    /// transfer is `refunded` only when the partner confirms).
    /// False when a return was already asked for. Audited (`transaction.return_requested`, by
    /// `actor`) on `db`, which must be the DB transaction that decided it.
    @discardableResult
    public static func requestReturn(id: String, reason: String, actor: AuditActor = .system, at now: Date, on db: any SQLDatabase) async throws -> Bool {
        guard try await db.raw("""
            UPDATE transactions SET return_requested_at = \(bind: now), return_reason = \(bind: reason), updated_at = \(bind: now)
            WHERE id = \(bind: id) AND return_requested_at IS NULL
            RETURNING id
            """).first() != nil else { return false }
        try await AuditLog.append(AuditEntry(actor: actor, action: "transaction.return_requested", entityType: "transaction", entityId: id,
                                             data: ["reason": reason]), at: now, on: db)
        return true
    }

    private static func bankPayment(_ row: any SQLRow) throws -> BankPaymentRecord {
        let raw = try row.decode(column: "status", as: String.self)
        guard let status = TransferStatus(rawValue: raw) else { throw TransactionStatusError.unknownStatus(raw) }
        let currency = Currency(rawValue: try row.decode(column: "currency", as: String.self)) ?? .nok
        return BankPaymentRecord(
            id: try row.decode(column: "id", as: String.self), userId: try row.decode(column: "user_id", as: String.self),
            kind: try row.decode(column: "kind", caseOf: TransactionKind.self), status: status,
            bankAccountId: try row.decode(column: "bank_account_id", as: String?.self),
            total: Money(minorUnits: try row.decode(column: "total_minor", as: Int64.self), currency: currency),
            endToEndId: try row.decode(column: "end_to_end_id", as: String.self), merchantId: try row.decode(column: "merchant_id", as: String?.self),
            reference: try row.decode(column: "reference", as: String?.self), message: try row.decode(column: "message", as: String?.self),
            payeeName: try row.decode(column: "payee_name", as: String?.self),
            bankRequestId: try row.decode(column: "bank_request_id", as: String?.self),
            bankProduct: try row.decode(column: "bank_product", as: String?.self),
            psuIPAddress: try row.decode(column: "psu_ip_address", as: String?.self), paymentId: try row.decode(column: "pisp_payment_id", as: String?.self),
            scaRedirect: try row.decode(column: "sca_redirect", as: String?.self), scaExpiresAt: try row.decode(column: "sca_expires_at", as: Date?.self),
            fundsReceivedAt: try row.decode(column: "funds_received_at", as: Date?.self), createdAt: try row.decode(column: "created_at", as: Date.self),
            payerSealedPid: try row.decode(column: "payer_sealed_pid", as: String?.self), requestHash: try row.decode(column: "request_hash", as: String?.self))
    }
}
