import DropCore
import DropProviders
import DropStore
import Foundation
import Logging
import NIOCore

/// Reading, cancelling and following up transactions of every kind.
public struct TransactionService: Sendable {
    let bankPayments: BankPayments
    let database: Database
    let listCache: AnswerCache<ListKey, Page<TransactionView>>?
    /// Keeps the newest pages read from their rows in the database, with `listCache` (ADR 0023).
    let pageKeeper: NewestPageKeeper?
    let metrics: AppMetrics
    let clock: @Sendable () -> Date
    let logger: Logger
    let returnPageAsks: ReturnPageAsks

    /// The newest page of a customer's list, at one page size: what `listCache` keeps.
    struct ListKey: Hashable, Sendable {
        let userId: String
        let limit: Int
    }

    public struct Filter: Sendable {
        public var status: TransferStatus?
        public var kind: TransactionKind?
        public var from: Date?
        public var to: Date?

        public init(status: TransferStatus? = nil, kind: TransactionKind? = nil, from: Date? = nil, to: Date? = nil) {
            self.status = status
            self.kind = kind
            self.from = from
            self.to = to
        }

        /// Every transaction: no status, kind or dates asked for.
        var isEverything: Bool { status == nil && kind == nil && from == nil && to == nil }
    }

    /// A page of the user's transactions, newest first, for `page.cursor` as a previous page gave it out.
    public func list(userId: String, filter: Filter, page: PageRequest) async throws -> Page<TransactionView> {
        try await list(userId: userId, filter: filter, limit: page.limit, cursor: try page.cursor.map { try TimeOrderedCursor(decoding: $0) })
    }

    /// Newest first; `cursor` is the (created_at, id) of the last item of the previous page.
    func list(userId: String, filter: Filter, limit: Int, cursor: TimeOrderedCursor?) async throws -> Page<TransactionView> {
        let records = try await database.withConnection {
            try await CustomerTransactionRepository.list(userId: userId, status: filter.status, kind: filter.kind, from: filter.from, to: filter.to,
                                                         after: cursor?.position, limit: limit, on: $0)
        }
        return Self.page(records, limit: limit)
    }

    /// The first `limit` records as a page, with a cursor when `records` holds one more.
    private static func page(_ records: [TransactionRecord], limit: Int) -> Page<TransactionView> {
        let views = records.prefix(limit).map { TransactionView(record: $0) }
        let next = records.count > limit ? views.last.map { TimeOrderedCursor(createdAt: $0.createdAt, id: $0.id).encoded } : nil
        return Page(items: views, nextCursor: next)
    }

    /// The page as the API sends it. The newest page of the whole list comes from memory while the
    /// customer's `TransactionListVersion` stands still; that number is read first, so a page read
    /// while a write commits is kept under the number from before it and never served.
    ///
    /// At the default size the page is also kept in the database beside that number (ADR 0023): a process
    /// that holds nothing of the customer (just started, or another instance served them) reads the number
    /// and that page in one statement and sends the page as it is.
    func listJSON(userId: String, filter: Filter, limit: Int, cursor: TimeOrderedCursor?) async throws -> ByteBuffer {
        guard let listCache, filter.isEverything, cursor == nil else {
            return Self.encode(try await list(userId: userId, filter: filter, limit: limit, cursor: cursor))
        }
        let key = ListKey(userId: userId, limit: limit)
        let keptInDatabase = limit == Self.keptPageSize
        let version: Int64
        if keptInDatabase, !listCache.holds(key) {
            let kept = try await KeptNewestPage.read(userId: userId, format: Self.keptPageFormat, in: database)
            if let json = kept.json {
                metrics.countKeptRead(of: .transactionList)
                let page = ByteBuffer(string: json)
                listCache.store(.init(json: page), for: key, version: kept.version)
                return page
            }
            version = kept.version
        } else {
            version = try await TransactionListVersion.current(userId: userId, in: database)
        }
        var read: ByteBuffer?
        let answer = try await newest(in: listCache, limit, userId: userId, version: version, withJSON: true) { read = $0 }
        let page = try answer.encoded(Self.encode)
        // Read from its rows just now: kept for the next process too. A customer with no transaction has no number to keep it under.
        if keptInDatabase, let read, version > 0 { pageKeeper?.keep(read, userId: userId, version: version) }
        return page
    }

    /// The page size kept in the database: the API's default, what the app asks for.
    static let keptPageSize = PageRequest.defaultLimit

    /// Names what a kept page's JSON looks like; a page kept in another format is read from its rows again.
    /// Change the number with anything that changes a page's JSON (`TransactionView+JSON`): pages kept by the
    /// build before would otherwise be sent by the build after. `JSONWriterTests` pins a page's bytes to it.
    static let keptPageFormat = "3/\(keptPageSize)"

    /// A customer's newest transactions and what pages made from them while they are kept.
    public struct Newest: Sendable {
        public let items: [TransactionView]
        /// Made afresh when the list isn't kept (`TRANSACTION_LIST_CACHE=off`).
        public let renderings: KeptRenderings
    }

    /// The customer's newest `limit` transactions, from the same memory as the API's first page, for
    /// a caller that read their `TransactionListVersion` itself (the dashboard, in one statement).
    public func newest(_ limit: Int, userId: String, version: Int64) async throws -> Newest {
        guard let listCache else {
            return Newest(items: try await list(userId: userId, filter: .init(), limit: limit, cursor: nil).items, renderings: KeptRenderings())
        }
        let answer = try await newest(in: listCache, limit, userId: userId, version: version, withJSON: false)
        return Newest(items: try answer.typed().items, renderings: answer.renderings)
    }

    /// Whether this process holds nothing of the customer's newest `limit`, so that `newestOnFirstVisit` reads them
    /// without waiting for their number (never, with `TRANSACTION_LIST_CACHE=off`).
    public func isFirstVisit(newest limit: Int, userId: String) -> Bool {
        listCache.map { !$0.holds(ListKey(userId: userId, limit: limit)) } ?? false
    }

    /// For a caller that holds nothing of the customer: their newest `limit` read with their `TransactionListVersion`
    /// in one statement and kept under it, without the number read first (ADR 0024). Nil when something is held
    /// (ask `newest(_:userId:version:)` with the number) or the customer has no transaction.
    public func newestOnFirstVisit(_ limit: Int, userId: String) async throws -> Newest? {
        guard let listCache, !listCache.holds(ListKey(userId: userId, limit: limit)),
              let read = try await CustomerTransactionRepository.newestNumbered(limit, userId: userId, in: database) else { return nil }
        let answer = try await newest(in: listCache, limit, userId: userId, version: read.version, withJSON: false, read: read.value)
        return Newest(items: try answer.typed().items, renderings: answer.renderings)
    }

    /// The newest page from memory or read and kept; `withJSON: false` (a page) keeps it without the JSON it
    /// doesn't send, and an API read of it later reads it again with its JSON. `read` is the page's rows when the
    /// caller read them with `version`; `readJSON` hears the JSON of a page read from its rows.
    private func newest(in cache: AnswerCache<ListKey, Page<TransactionView>>, _ limit: Int, userId: String,
                        version: Int64, withJSON: Bool, read: [TransactionRecord]? = nil,
                        readJSON: (ByteBuffer) -> Void = { _ in }) async throws -> AnswerCache<ListKey, Page<TransactionView>>.Answer {
        try await cache.answer(for: ListKey(userId: userId, limit: limit), version: version, now: clock(), withJSON: withJSON,
                               counted: { metrics.countRead(of: .transactionList, hit: $0) }) {
            // Read with the other customers' pages asked for meanwhile: a restart's first visits.
            let records = if let read { read } else { try await CustomerTransactionRepository.newest(limit, userId: userId, in: database) }
            let page = Self.page(records, limit: limit)
            guard withJSON else { return (.init(value: page, bytes: Self.estimatedJSONBytes(page)), .distantFuture) }
            let json = Self.encode(page)
            readJSON(json)
            return (.init(value: page, json: json), .distantFuture)
        }
    }

    /// A page's size as its JSON would be, for the cache's budget: a transaction is about 620 bytes of JSON
    /// (a full page of 20 is about 12.4 KB; ADR 0012), counted twice as a JSON-bearing entry is.
    static func estimatedJSONBytes(_ page: Page<TransactionView>) -> Int {
        2 * (64 + 620 * page.items.count)
    }

    private static func encode(_ page: Page<TransactionView>) -> ByteBuffer {
        JSONWriter.encode(page, capacity: estimatedJSONBytes(page) / 2)
    }

    public func find(id: String, userId: String) async throws -> TransactionView {
        guard let view = try await database.withConnection({ try await TransactionView.find(id: id, userId: userId, on: $0) }) else {
            throw AppError.notFound("There is no such transaction.")
        }
        return view
    }

    /// The user's transaction as a receipt in `language`; others' transactions are 404.
    func receipt(id: String, userId: String, language: ReceiptLanguage) async throws -> Receipt {
        let view = try await find(id: id, userId: userId)
        guard let facts = try await database.withConnection({ try await ReceiptFacts.find(transactionId: id, userId: userId, on: $0) }) else {
            throw AppError.notFound("There is no such transaction.")
        }
        return Receipt(view, facts: facts, language: language, banks: .norway)
    }

    /// Cancels a payment the user has not approved yet: at the bank first, so it can no longer be approved there.
    public func cancel(id: String, userId: String) async throws -> TransactionView {
        guard var payment = try await database.withConnection({ try await TransactionRepository.bankPayment(id: id, on: $0) }),
              payment.userId == userId else { throw AppError.notFound("There is no such transaction.") }
        // Asked again after a cancel whose answer never came (its write committed and answered with an
        // error, or the bank's report of the cancellation was applied first): the first cancel's answer.
        if Self.endedUnpaid(payment) { return try await find(id: id, userId: userId) }
        guard case .success(let transition) = TransferStatus.transition(from: payment.status, on: .cancelledByUser) else {
            throw AppError.conflict("Only a payment that has not been approved yet can be cancelled.")
        }
        let banks = bankPayments
        if payment.paymentId == nil, payment.bankRequestId != nil {
            // The bank's answer to the initiation was lost: learn the payment (same request id) so it can be cancelled.
            payment = try await banks.recover(payment)
        }
        if payment.paymentId != nil {
            guard try await banks.cancel(payment) else { return try await cancellationRefused(payment, userId: userId) }
        }
        let now = clock()
        let applied = try await database.transaction { db in
            guard try await TransactionStatusRepository.apply(transition, to: id, actor: .user(id: userId), at: now, on: db) else { return false }
            try await NotificationRepository.insert(PaymentNotifications.statusChanged(payment.statusRecord, to: transition.to, at: now), on: db)
            return true
        }
        let view = try await find(id: id, userId: userId)
        // The bank reports the cancellation it just accepted (webhook or status poll), and that
        // report may be applied first: the payment is cancelled either way, which is what was asked
        // (or expired, when the approval window had closed: nothing will be paid).
        guard applied || view.status == .cancelled || view.status == .expired else {
            throw AppError.conflict("The payment changed meanwhile; look at it again.")
        }
        return view
    }

    /// Cancelled or expired, and no money left the account: nothing will be paid, which is what a cancel asks.
    private static func endedUnpaid(_ payment: BankPaymentRecord) -> Bool {
        [.cancelled, .expired].contains(payment.status) && payment.fundsReceivedAt == nil
    }

    /// The bank refused the cancellation: it has made the payment, or it has ended it already (an earlier
    /// cancel whose write was lost, the payer refusing it at the bank, the bank's own deadline). Its status
    /// says which, applied as its webhook would be, and the customer is told that, never that the bank
    /// processed a payment it cancelled. A bank that can't be asked now leaves the answer unknown (503).
    private func cancellationRefused(_ payment: BankPaymentRecord, userId: String) async throws -> TransactionView {
        try await bankPayments.refreshStatus(payment)
        guard let now = try await database.withConnection({ try await TransactionRepository.bankPayment(id: payment.id, on: $0) }) else {
            throw AppError.notFound("There is no such transaction.")
        }
        if Self.endedUnpaid(now) { return try await find(id: payment.id, userId: userId) }
        if now.status == .failed, now.fundsReceivedAt == nil {
            throw AppError.conflict("The payment has already ended at the bank; no money was taken.")
        }
        throw AppError.conflict("The bank has already processed this payment.")
    }

    /// The bank sent the user back: ask it where the payment stands (the redirect proves nothing)
    /// and apply that the same way as its webhook would. Only while the bank's part is open: the
    /// page is public (the id is the key), and reloading it for a payment the bank has settled or
    /// Drop has ended must not spend Drop's access to the bank (the reconciler reads those).
    ///
    /// And at most once every few seconds per payment from this page (`ReturnPageAsks`): a loop on an open
    /// payment's id, from however many addresses, costs the bank one question a few seconds, not one per hit.
    func followUp(transactionId: String) async throws {
        guard let payment = try await database.withConnection({ try await TransactionRepository.bankPayment(id: transactionId, on: $0) }),
              payment.fundsReceivedAt == nil, [.pendingSCA, .processing, .held].contains(payment.status),
              returnPageAsks.mayAsk(payment.id, now: clock()) else { return }
        _ = try await bankPayments.refreshStatus(payment)
    }

    /// Payments nobody approved within the SCA window expire, but only once the bank confirms
    /// it won't make them (it accepted the cancellation, or reports them rejected or cancelled).
    /// Until then they stay `pending_sca` and are asked about again on the next run: a user who
    /// approved at 14:59 whose webhook is late must not end `expired` with the money gone.
    func expireOverdue() async throws -> Int {
        let overdue = try await database.withConnection { [clock] in try await TransactionRepository.overdue(now: clock(), on: $0) }
        return try await end(overdue, on: .scaTimedOut)
    }

    /// Payments under way when one side lost their standing (identity check no longer approved,
    /// sanctioned, erased). Waiting for the payer's approval: cancelled at the bank, so it can no
    /// longer be approved (the payer's, or a QR payment's shop owner's). A remittance whose NOK
    /// already arrived and is not yet in a payout message: held for compliance to release or
    /// reject (the payout job skips such a payer's transfers meanwhile). New payments are refused
    /// already (`KYC_REQUIRED`, `MERCHANT_UNAVAILABLE`).
    func withdrawWithoutStanding() async throws -> Int {
        let (waiting, approved) = try await database.withConnection { db in
            (try await TransactionRepository.awaitingApprovalWithoutStanding(on: db), try await TransactionRepository.approvedWithoutStanding(on: db))
        }
        // One whose initiation answer was lost is learnt by the reconciler first (which would tell
        // the payer where to approve it), and is cancelled on the next run.
        let known = waiting.filter { $0.payment.paymentId != nil }
        var withdrawn = try await end(known.filter(\.payerUnavailable).map(\.payment), on: .payerUnavailable)
        withdrawn += try await end(known.filter { !$0.payerUnavailable }.map(\.payment), on: .payeeUnavailable)
        return withdrawn + (try await hold(approved))
    }

    /// Holds approved remittances before their payout, each only while no payout message has taken it.
    private func hold(_ approved: [TransactionStatusRecord]) async throws -> Int {
        guard case .success(let held) = TransferStatus.transition(from: .processing, on: .amlHeld) else { return 0 }
        let now = clock()
        var count = 0
        for transfer in approved {
            try await database.transaction { db in
                guard try await TransactionRepository.lockBeforePayout(id: transfer.id, on: db),
                      try await TransactionStatusRepository.apply(held, to: transfer.id, actor: .system, at: now, on: db) else { return }
                try await NotificationRepository.insert(PaymentNotifications.statusChanged(transfer, to: .held, at: now), on: db)
                count += 1
            }
        }
        return count
    }

    /// Ends payments still waiting for approval with `event`, each once the bank confirms it won't
    /// make it; one the bank can't confirm yet (or reports approved meanwhile) is left for the next run.
    private func end(_ payments: [BankPaymentRecord], on event: TransferEvent) async throws -> Int {
        let now = clock()
        let banks = bankPayments
        var ended = 0
        for var payment in payments {
            // Stamped whatever comes of it: one the bank can't settle goes behind the others next run.
            try await database.transaction { try await TransactionRepository.markBankChecked(id: payment.id, at: now, on: $0) }
            do {
                if payment.paymentId == nil, payment.bankRequestId != nil { payment = try await banks.recover(payment) }
                guard payment.status == .pendingSCA else { continue }
                if payment.paymentId != nil, !(try await banks.confirmWontExecute(payment)) { continue }
            } catch {
                logger.notice("payment waiting for approval not settled with the bank yet", metadata: [
                    "transaction_id": .string(payment.id), "event": .string(event.rawValue), "error_type": .string(String(describing: type(of: error))),
                ])
                continue
            }
            guard case .success(let transition) = TransferStatus.transition(from: .pendingSCA, on: event) else { continue }
            try await database.transaction { db in
                guard try await TransactionStatusRepository.apply(transition, to: payment.id, actor: .system, at: now, on: db) else { return }
                try await NotificationRepository.insert(PaymentNotifications.statusChanged(payment.statusRecord, to: transition.to, at: now), on: db)
                ended += 1
            }
        }
        return ended
    }
}
