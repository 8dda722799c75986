import DropCore
import Foundation
import SQLKit

/// A standing transfer as stored: the terms the person set, the periodic payment at their bank
/// that carries them out, and where it stands.
public struct StandingOrderRecord: Codable, Sendable, Equatable {
    public var id: String
    public var userId: String
    public var recipientId: String
    /// Who each payment is paid out to: the recipient's details as the person approved the order
    /// (migration 20), not as the recipient reads on the day. Nil only for a row read without them.
    public var payee: PayeeSnapshot?
    /// When that account became the recipient's (migration 31): AML's age of the payee. Nil only for a
    /// row read without it.
    public var payeeSince: Date?
    public var bankAccountId: String
    /// NOK sent each time (the fixed part), the fee on it, and what the bank debits each time.
    public var amountMinor: Int64
    public var feeMinor: Int64
    public var totalMinor: Int64
    public var currency: String
    /// The recipient's currency; what they get varies with each day's rate.
    public var receiveCurrency: String
    public var frequency: StandingOrderFrequency
    public var dayOfExecution: Int
    public var startDate: String
    public var endDate: String?
    public var message: String?
    public var status: StandingOrderStatus
    /// Why it stopped, when Drop stopped it (`erasure`, `compliance`); nil when the person did.
    public var stopReason: String?
    /// The order this one changes or resumes; that one is `replaced` once this is approved.
    public var replacesId: String?
    public var idempotencyKey: String
    /// The hash of the request that made it (`transactions.request_hash` says why).
    public var requestHash: String?
    public var bankId: String
    public var bankProduct: String
    /// The `X-Request-ID` of the initiation: a repeat asks the bank for the same order.
    public var bankRequestId: String
    public var bankPaymentId: String?
    public var scaRedirect: String?
    public var psuIpAddress: String
    /// When the bank confirmed it will make no more payments for it.
    public var bankCancelledAt: Date?
    public var lastExecutionDate: String?
    public var createdAt: Date
    public var updatedAt: Date

    /// `payee`: the payee an order it replaces was approved for (a change keeps it), and `payeeSince` that
    /// order's; nil: the recipient as it reads, a payee since its last change of payee (or its creation).
    public init(id: String, userId: String, recipient: RecipientRecord, payee: PayeeSnapshot? = nil, payeeSince: Date? = nil,
                bankAccountId: String, amountMinor: Int64,
                feeMinor: Int64, totalMinor: Int64,
                schedule: StandingOrderSchedule, message: String?, replacesId: String?, idempotencyKey: String, requestHash: String? = nil,
                bankId: String, bankProduct: String, bankRequestId: String, psuIpAddress: String, at now: Date) {
        self.id = id
        self.userId = userId
        self.recipientId = recipient.id
        self.payee = payee ?? PayeeSnapshot(recipient: recipient)
        // A kept payee of unknown age is taken as new: the rule errs towards screening it as one.
        self.payeeSince = payee == nil ? recipient.payeeChangedAt ?? recipient.createdAt : payeeSince ?? now
        self.bankAccountId = bankAccountId
        self.amountMinor = amountMinor
        self.feeMinor = feeMinor
        self.totalMinor = totalMinor
        self.currency = "NOK"
        self.receiveCurrency = payee?.currency ?? recipient.currency
        self.frequency = schedule.frequency
        self.dayOfExecution = schedule.dayOfExecution
        self.startDate = schedule.startDate.iso
        self.endDate = schedule.endDate?.iso
        self.message = message
        self.status = .pendingSCA
        self.replacesId = replacesId
        self.idempotencyKey = idempotencyKey
        self.requestHash = requestHash
        self.bankId = bankId
        self.bankProduct = bankProduct
        self.bankRequestId = bankRequestId
        self.psuIpAddress = psuIpAddress
        self.createdAt = now
        self.updatedAt = now
    }

    /// The day the bank pays next, today or later: the first payment day it has not yet reported
    /// paying, moved to the next business day when it falls on a weekend or holiday (nil when the
    /// schedule has ended).
    public func nextPaymentDay(from today: CalendarDate) -> CalendarDate? {
        schedule?.nextDue(from: today, lastPaid: lastExecutionDate.flatMap { try? CalendarDate(iso: $0) }).map(StandingOrderSchedule.bankDay)
    }

    /// The first payment day a change or resumption of this order starts on unless told otherwise.
    /// A running order keeps every payment day up to today (the bank may pay it today, or on a later
    /// business day); a paused one pays nothing, so its resumption may start today.
    public func replacementStart(from today: CalendarDate) -> CalendarDate? {
        guard status != .active else { return schedule?.replacementStart(from: today) }
        let afterLast = lastExecutionDate.flatMap { try? CalendarDate(iso: $0).adding(days: 1) } ?? today
        return schedule?.nextExecution(onOrAfter: max(today, afterLast))
    }

    /// Whether this order, replaced by one starting on `successorStart`, still owes the bank a payment day
    /// before it (`StandingOrderSchedule.owesPaymentDay`).
    public func owesPaymentDay(before successorStart: CalendarDate, today: CalendarDate) -> Bool {
        schedule?.owesPaymentDay(before: successorStart, today: today, lastPaid: lastExecutionDate.flatMap { try? CalendarDate(iso: $0) }) ?? false
    }

    /// The payment days, as the bank was asked for them.
    public var schedule: StandingOrderSchedule? {
        guard let start = try? CalendarDate(iso: startDate) else { return nil }
        return try? StandingOrderSchedule(frequency: frequency, startDate: start, endDate: endDate.flatMap { try? CalendarDate(iso: $0) },
                                          dayOfExecution: dayOfExecution)
    }
}

/// Standing transfers. Every status change is one conditional update with its audit row, in the
/// caller's DB transaction.
public enum StandingOrderRepository {
    public static func insert(_ order: StandingOrderRecord, on db: any SQLDatabase) async throws {
        let payee = order.payee
        try await db.raw("""
            INSERT INTO standing_orders (id, user_id, recipient_id, bank_account_id, amount_minor, fee_minor, total_minor, currency, receive_currency,
                frequency, day_of_execution, start_date, end_date, message, status, replaces_id, idempotency_key, bank_id, bank_product,
                bank_request_id, psu_ip_address, created_at, updated_at,
                payee_name, payee_country, payee_currency, payee_iban, payee_account_number, payee_bic, payee_ifsc, payee_routing_number,
                payee_bank_name, payee_address_street, payee_address_post_code, payee_address_city, payee_address_country, request_hash, payee_since)
            VALUES (\(bind: order.id), \(bind: order.userId), \(bind: order.recipientId), \(bind: order.bankAccountId), \(bind: order.amountMinor),
                \(bind: order.feeMinor), \(bind: order.totalMinor), \(bind: order.currency), \(bind: order.receiveCurrency),
                \(bind: order.frequency.rawValue), \(bind: order.dayOfExecution), \(bind: order.startDate), \(bind: order.endDate), \(bind: order.message),
                \(bind: order.status.rawValue), \(bind: order.replacesId), \(bind: order.idempotencyKey), \(bind: order.bankId), \(bind: order.bankProduct),
                \(bind: order.bankRequestId), \(bind: order.psuIpAddress), \(bind: order.createdAt), \(bind: order.updatedAt),
                \(bind: payee?.name), \(bind: payee?.country), \(bind: payee?.currency), \(bind: payee?.iban), \(bind: payee?.accountNumber),
                \(bind: payee?.bic), \(bind: payee?.ifsc), \(bind: payee?.routingNumber), \(bind: payee?.bankName), \(bind: payee?.addressStreet),
                \(bind: payee?.addressPostCode), \(bind: payee?.addressCity), \(bind: payee?.addressCountry), \(bind: order.requestHash),
                \(bind: order.payeeSince))
            """).run()
        try await AuditLog.append(AuditEntry(
            actor: .user(id: order.userId), action: "standing_order.created", entityType: "standing_order", entityId: order.id,
            data: Created(status: .pendingSCA, totalMinor: order.totalMinor, frequency: order.frequency)), at: order.createdAt, on: db)
    }

    public static func find(id: String, userId: String, on db: any SQLDatabase) async throws -> StandingOrderRecord? {
        try await db.raw("SELECT \(unsafeRaw: columns) FROM standing_orders WHERE id = \(bind: id) AND user_id = \(bind: userId)").first().map(record)
    }

    public static func find(id: String, on db: any SQLDatabase) async throws -> StandingOrderRecord? {
        try await db.raw("SELECT \(unsafeRaw: columns) FROM standing_orders WHERE id = \(bind: id)").first().map(record)
    }

    /// The order, its row locked until the transaction ends (PostgreSQL; SQLite's writes queue one at a
    /// time anyway): two changes of one order at once are made one after the other, so the second sees
    /// the first and withdraws it.
    public static func lockForChange(id: String, userId: String, on db: any SQLDatabase) async throws -> StandingOrderRecord? {
        try await db.raw("""
            SELECT \(unsafeRaw: columns) FROM standing_orders WHERE id = \(bind: id) AND user_id = \(bind: userId)\(unsafeRaw: db.rowLockClause)
            """).first().map(record)
    }

    /// The order a periodic payment at the bank carries out.
    public static func find(bankPaymentId: String, on db: any SQLDatabase) async throws -> StandingOrderRecord? {
        try await db.raw("SELECT \(unsafeRaw: columns) FROM standing_orders WHERE bank_payment_id = \(bind: bankPaymentId)").first().map(record)
    }

    /// The order a user's request with this Idempotency-Key made, if it got that far.
    public static func find(userId: String, idempotencyKey: String, on db: any SQLDatabase) async throws -> StandingOrderRecord? {
        try await db.raw("""
            SELECT \(unsafeRaw: columns) FROM standing_orders WHERE user_id = \(bind: userId) AND idempotency_key = \(bind: idempotencyKey)
            """).first().map(record)
    }

    /// The person's orders, newest first; replaced and rejected ones are history and left out.
    public static func list(userId: String, on db: any SQLDatabase) async throws -> [StandingOrderRecord] {
        try await db.raw("""
            SELECT \(unsafeRaw: columns) FROM standing_orders WHERE user_id = \(bind: userId) AND status NOT IN ('replaced', 'rejected')
            ORDER BY created_at DESC, id DESC
            """).all().map(record)
    }

    /// Every order the person ever set up, replaced and rejected ones too (the data export).
    public static func all(userId: String, on db: any SQLDatabase) async throws -> [StandingOrderRecord] {
        try await db.raw("SELECT \(unsafeRaw: columns) FROM standing_orders WHERE user_id = \(bind: userId) ORDER BY created_at, id").all().map(record)
    }

    /// Stores the bank's id and approval page. False when the order already has another
    /// periodic payment (never followed silently), or no longer waits for approval (an approval page
    /// stored on it would be handed out for an order Drop has ended).
    public static func recordInitiation(id: String, bankPaymentId: String, scaRedirect: String, at now: Date, on db: any SQLDatabase) async throws -> Bool {
        try await db.raw("""
            UPDATE standing_orders SET bank_payment_id = \(bind: bankPaymentId), sca_redirect = \(bind: scaRedirect), updated_at = \(bind: now)
            WHERE id = \(bind: id) AND status = 'pending_sca' AND (bank_payment_id IS NULL OR bank_payment_id = \(bind: bankPaymentId))
            RETURNING id
            """).first() != nil
    }

    /// Moves the order from `from` to `to` and audits it. False when it was no longer in `from`
    /// (someone else moved it first).
    public static func move(id: String, from: StandingOrderStatus, to: StandingOrderStatus, stopReason: String? = nil,
                            actor: AuditActor, at now: Date, on db: any SQLDatabase) async throws -> Bool {
        let moved = try await db.raw("""
            UPDATE standing_orders SET status = \(bind: to.rawValue), stop_reason = COALESCE(\(bind: stopReason), stop_reason), updated_at = \(bind: now)
            WHERE id = \(bind: id) AND status = \(bind: from.rawValue)
            RETURNING id
            """).first() != nil
        guard moved else { return false }
        try await AuditLog.append(AuditEntry(
            actor: actor, action: "standing_order.\(to.rawValue)", entityType: "standing_order", entityId: id,
            data: ["from": from, "to": to]), at: now, on: db)
        return true
    }

    /// Frees the order's Idempotency-Key after the bank certainly refused it, so a retry with the
    /// same key sets up a new order and this one stays as history.
    public static func freeIdempotencyKey(id: String, on db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE standing_orders SET idempotency_key = idempotency_key || ':refused:' || id WHERE id = \(bind: id)
            """).run()
    }

    /// The first payment day of the order that replaced `id` (approved at the bank; of two, the earlier):
    /// the old order's payments before it are still the old order's.
    public static func successorStart(of id: String, on db: any SQLDatabase) async throws -> CalendarDate? {
        // Spelled out: the same read as one `flatMap` chain crashes the release build's optimiser (Swift 6.3.1).
        let row = try await db.raw("""
            SELECT start_date FROM standing_orders WHERE replaces_id = \(bind: id) AND status NOT IN ('pending_sca', 'rejected')
            ORDER BY start_date LIMIT 1
            """).first()
        guard let row else { return nil }
        return try CalendarDate(iso: try row.decode(column: "start_date", as: String.self))
    }

    /// Changes or resumptions of `id` still waiting for approval at the bank.
    public static func pendingReplacements(of id: String, on db: any SQLDatabase) async throws -> [StandingOrderRecord] {
        try await db.raw("SELECT \(unsafeRaw: columns) FROM standing_orders WHERE replaces_id = \(bind: id) AND status = 'pending_sca'").all().map(record)
    }

    /// Withdraws the changes of `id` still waiting for approval at the bank: they stop, and the caller
    /// cancels them there once the transaction is committed.
    public static func withdrawChanges(of id: String, actor: AuditActor, at now: Date, on db: any SQLDatabase) async throws -> [StandingOrderRecord] {
        var withdrawn: [StandingOrderRecord] = []
        for pending in try await pendingReplacements(of: id, on: db)
        where try await move(id: pending.id, from: .pendingSCA, to: .stopped, actor: actor, at: now, on: db) {
            withdrawn.append(pending)
        }
        return withdrawn
    }

    /// The bank confirmed it makes no more payments for the order.
    public static func markBankCancelled(id: String, at now: Date, on db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE standing_orders SET bank_cancelled_at = COALESCE(bank_cancelled_at, \(bind: now)), updated_at = \(bind: now) WHERE id = \(bind: id)
            """).run()
    }

    /// Orders Drop has ended whose periodic payment the bank may still hold: the reconciler
    /// cancels them (again, if a first try was lost or refused), those asked longest ago first
    /// (`bank_cancel_asked_at`): one the bank won't cancel must not stand first in every round.
    public static func awaitingBankCancellation(limit: Int, on db: any SQLDatabase) async throws -> [StandingOrderRecord] {
        try await db.raw("""
            SELECT \(unsafeRaw: columns) FROM standing_orders
            WHERE status IN ('paused', 'stopped', 'replaced', 'ended') AND bank_payment_id IS NOT NULL AND bank_cancelled_at IS NULL
            ORDER BY COALESCE(bank_cancel_asked_at, updated_at), id LIMIT \(bind: limit)
            """).all().map(record)
    }

    /// Drop is asking the bank to cancel the order's periodic payment (whatever the bank answers).
    public static func markCancellationAsked(id: String, at now: Date, on db: any SQLDatabase) async throws {
        try await db.raw("UPDATE standing_orders SET bank_cancel_asked_at = \(bind: now) WHERE id = \(bind: id)").run()
    }

    /// Orders the bank may report on (waiting for approval, or live), those read longest ago first:
    /// a read that finds nothing new changes nothing else, so without `bank_checked_at` the same
    /// oldest orders would be read every time and the rest never.
    public static func watched(limit: Int, on db: any SQLDatabase) async throws -> [StandingOrderRecord] {
        try await db.raw("""
            SELECT \(unsafeRaw: columns) FROM standing_orders WHERE status IN ('pending_sca', 'active') AND bank_payment_id IS NOT NULL
            ORDER BY COALESCE(bank_checked_at, created_at), id LIMIT \(bind: limit)
            """).all().map(record)
    }

    /// The reconciler has read the order at the bank and applied what it found.
    public static func markChecked(id: String, at now: Date, on db: any SQLDatabase) async throws {
        try await db.raw("UPDATE standing_orders SET bank_checked_at = \(bind: now) WHERE id = \(bind: id)").run()
    }

    /// Orders asked of the bank before `cutoff` whose answer was never stored (the process died, or
    /// the answer was lost): the reconciler asks again with the same request id, which the bank
    /// answers with the order it already made.
    public static func unanswered(before cutoff: Date, limit: Int, on db: any SQLDatabase) async throws -> [StandingOrderRecord] {
        try await db.raw("""
            SELECT \(unsafeRaw: columns) FROM standing_orders WHERE status = 'pending_sca' AND bank_payment_id IS NULL AND created_at < \(bind: cutoff)
            ORDER BY created_at, id LIMIT \(bind: limit)
            """).all().map(record)
    }

    /// Orders waiting for the person's approval at the bank whose owner can no longer pay
    /// (`TransactionRepository.withoutStanding`), oldest first. Only those the bank answered: one whose
    /// answer was lost is learnt by the reconciler first.
    public static func awaitingApprovalWithoutStanding(limit: Int = 100, on db: any SQLDatabase) async throws -> [StandingOrderRecord] {
        try await db.raw("""
            SELECT \(unsafeRaw: columns) FROM standing_orders
            WHERE status = 'pending_sca' AND bank_payment_id IS NOT NULL
              AND user_id IN (SELECT u.id FROM users u WHERE \(unsafeRaw: TransactionRepository.withoutStanding))
            ORDER BY created_at, id LIMIT \(bind: limit)
            """).all().map(record)
    }

    /// Orders still running or waiting for approval, by id, `limit` after the id `after`: for the jobs that
    /// look at every such order in turn (`PayeeWriting`).
    public static func running(after: String?, limit: Int, on db: any SQLDatabase) async throws -> [StandingOrderRecord] {
        try await db.raw("""
            SELECT \(unsafeRaw: columns) FROM standing_orders
            WHERE status IN ('pending_sca', 'active', 'paused') AND id > \(bind: after ?? "")
            ORDER BY id LIMIT \(bind: limit)
            """).all().map(record)
    }

    /// Remembers the latest payment day the bank has reported.
    public static func recordExecution(id: String, on day: CalendarDate, at now: Date, on db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE standing_orders SET last_execution_date = \(bind: day.iso), updated_at = \(bind: now)
            WHERE id = \(bind: id) AND (last_execution_date IS NULL OR last_execution_date < \(bind: day.iso))
            """).run()
    }

    /// Erasure, a final rejection: every order still running stops (the reconciler cancels them at
    /// the bank). With `recipientId`, only those paying that recipient (it was deleted).
    public static func stopAll(userId: String, recipientId: String? = nil, reason: String, at now: Date, on db: any SQLDatabase) async throws {
        let ofRecipient: SQLQueryString = recipientId.map { "AND recipient_id = \(bind: $0)" } ?? ""
        let running = try await db.raw("""
            SELECT id, status FROM standing_orders WHERE user_id = \(bind: userId) AND status IN ('pending_sca', 'active', 'paused') \(ofRecipient)
            """).all().map { (try $0.decode(column: "id", as: String.self), try $0.decode(column: "status", caseOf: StandingOrderStatus.self)) }
        for (id, status) in running {
            _ = try await move(id: id, from: status, to: .stopped, stopReason: reason, actor: .system, at: now, on: db)
        }
    }

    /// Named rather than `*`: a SQLite connection that read the schema before a migration added a column
    /// prepares `*` as the columns it knew, and would leave the new ones out (a named one makes it read the
    /// schema again).
    static let columns = """
        id, user_id, recipient_id, bank_account_id, amount_minor, fee_minor, total_minor, currency, receive_currency, frequency,
        day_of_execution, start_date, end_date, message, status, stop_reason, replaces_id, idempotency_key, bank_id, bank_product,
        bank_request_id, bank_payment_id, sca_redirect, psu_ip_address, bank_cancelled_at, last_execution_date, created_at, updated_at,
        payee_name, payee_country, payee_currency, payee_iban, payee_account_number, payee_bic, payee_ifsc, payee_routing_number,
        payee_bank_name, payee_address_street, payee_address_post_code, payee_address_city, payee_address_country, request_hash, payee_since
        """

    private static func record(_ row: any SQLRow) throws -> StandingOrderRecord {
        var order = try row.decode(model: StandingOrderRecord.self, keyDecodingStrategy: .snakeCaseColumns)
        order.payee = try PayeeSnapshot(row: row)
        return order
    }
}

/// One payment a standing transfer made, as its order's page lists it.
public struct StandingOrderPayment: Sendable, Equatable {
    public let transactionId: String
    public let status: TransferStatus
    public let total: Money
    public let receive: Money?
    public let createdAt: Date
}

extension StandingOrderRepository {
    /// Ties a transfer to the bank's execution it carries on. The pair is unique: the second
    /// report of one execution can't make a second transfer. `arrivedAs` is the end-to-end id the bank
    /// paid the collection account under: a return names it (migration 20).
    public static func attach(transactionId: String, orderId: String, executionId: String, arrivedAs endToEndId: String,
                              on db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE transactions SET standing_order_id = \(bind: orderId), bank_execution_id = \(bind: executionId),
                funds_end_to_end_id = \(bind: endToEndId)
            WHERE id = \(bind: transactionId)
            """).run()
    }

    /// The transfer already made for this execution, if any.
    public static func transactionId(orderId: String, executionId: String, on db: any SQLDatabase) async throws -> String? {
        try await db.raw("""
            SELECT id FROM transactions WHERE standing_order_id = \(bind: orderId) AND bank_execution_id = \(bind: executionId)
            """).first()?.decode(column: "id", as: String.self)
    }

    /// The transfers an order made, newest first.
    public static func payments(orderId: String, limit: Int, on db: any SQLDatabase) async throws -> [StandingOrderPayment] {
        try await db.raw("""
            SELECT id, status, total_minor, currency, target_amount_minor, target_currency, created_at FROM transactions
            WHERE standing_order_id = \(bind: orderId) ORDER BY created_at DESC, id DESC LIMIT \(bind: limit)
            """).all().map { row in
                let target = try row.decode(column: "target_amount_minor", as: Int64?.self)
                let targetCurrency = try row.decode(column: "target_currency", as: String?.self).flatMap(Currency.init(rawValue:))
                return StandingOrderPayment(
                    transactionId: try row.decode(column: "id", as: String.self), status: try row.decode(column: "status", caseOf: TransferStatus.self),
                    total: Money(minorUnits: try row.decode(column: "total_minor", as: Int64.self),
                                 currency: Currency(rawValue: try row.decode(column: "currency", as: String.self)) ?? .nok),
                    receive: target.flatMap { minor in targetCurrency.map { Money(minorUnits: minor, currency: $0) } },
                    createdAt: try row.decode(column: "created_at", as: Date.self))
            }
    }
}

extension StandingOrderRepository {
    /// What `standing_order.created` records.
    struct Created: Encodable {
        let status: StandingOrderStatus
        let totalMinor: Int64
        let frequency: StandingOrderFrequency
    }
}
