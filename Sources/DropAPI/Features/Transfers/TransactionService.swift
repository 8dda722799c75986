import DropCore
import DropProviders
import DropStore
import Foundation
import SQLKit

/// Reading, cancelling and following up transactions of every kind.
public struct TransactionService: Sendable {
    let services: AppServices

    public init(services: AppServices) {
        self.services = services
    }

    public struct Filter: Sendable {
        public var status: String?
        public var kind: String?
        public var from: Date?
        public var to: Date?

        public init(status: String? = nil, kind: String? = nil, from: Date? = nil, to: Date? = nil) {
            self.status = status
            self.kind = kind
            self.from = from
            self.to = to
        }
    }

    /// A page of the user's transactions, newest first, for `page.cursor` as a previous page gave it out.
    public func list(userId: String, filter: Filter, page: PageRequest) async throws -> Page<TransactionView> {
        try await list(userId: userId, filter: filter, limit: page.limit, cursor: try page.cursor.map { try TimeOrderedCursor(decoding: $0) })
    }

    /// Newest first; `cursor` is the (created_at, id) of the last item of the previous page.
    func list(userId: String, filter: Filter, limit: Int, cursor: TimeOrderedCursor?) async throws -> Page<TransactionView> {
        let rows = try await services.database.read { db in
            var query = SQLQueryString("SELECT \(unsafeRaw: TransactionView.columns) FROM \(unsafeRaw: TransactionView.tables) WHERE t.user_id = \(bind: userId)")
            if let status = filter.status { query.appendInterpolation(unsafeRaw: " AND t.status = "); query.appendInterpolation(bind: status) }
            if let kind = filter.kind { query.appendInterpolation(unsafeRaw: " AND t.kind = "); query.appendInterpolation(bind: kind) }
            if let from = filter.from { query.appendInterpolation(unsafeRaw: " AND t.created_at >= "); query.appendInterpolation(bind: from) }
            if let to = filter.to { query.appendInterpolation(unsafeRaw: " AND t.created_at < "); query.appendInterpolation(bind: to) }
            if let cursor {
                query.appendInterpolation(unsafeRaw: " AND (t.created_at < ")
                query.appendInterpolation(bind: cursor.createdAt)
                query.appendInterpolation(unsafeRaw: " OR (t.created_at = ")
                query.appendInterpolation(bind: cursor.createdAt)
                query.appendInterpolation(unsafeRaw: " AND t.id < ")
                query.appendInterpolation(bind: cursor.id)
                query.appendInterpolation(unsafeRaw: "))")
            }
            query.appendInterpolation(unsafeRaw: " ORDER BY t.created_at DESC, t.id DESC LIMIT ")
            query.appendInterpolation(bind: limit + 1)
            return try await db.raw(query).all()
        }
        let views = try rows.prefix(limit).map { try TransactionView(row: $0) }
        let next = rows.count > limit ? views.last.map { TimeOrderedCursor(createdAt: $0.createdAt, id: $0.id).encoded } : nil
        return Page(items: views, nextCursor: next)
    }

    public func find(id: String, userId: String) async throws -> TransactionView {
        guard let view = try await services.database.read({ try await TransactionView.find(id: id, userId: userId, on: $0) }) else {
            throw AppError.notFound("There is no such transaction.")
        }
        return view
    }

    /// Cancels a payment the user has not approved yet: at the bank first, so it can no longer be approved there.
    public func cancel(id: String, userId: String) async throws -> TransactionView {
        let found = try await services.database.read { db -> (TransactionStatusRecord, String?, String?)? in
            guard let record = try await TransactionStatusRepository.find(id: id, on: db), record.userId == userId else { return nil }
            let row = try await db.raw("""
                SELECT t.pisp_payment_id, a.bank_id FROM transactions t LEFT JOIN bank_accounts a ON a.id = t.bank_account_id WHERE t.id = \(bind: id)
                """).first()
            return (record, try row?.decode(column: "pisp_payment_id", as: String?.self), try row?.decode(column: "bank_id", as: String?.self))
        }
        guard let (record, paymentId, bankId) = found else { throw AppError.notFound("There is no such transaction.") }
        guard case .success(let transition) = TransferStatus.transition(from: record.status, on: .cancelledByUser) else {
            throw AppError.conflict("Only a payment that has not been approved yet can be cancelled.")
        }
        if let paymentId, let bankId {
            do {
                try await services.openBanking.wrapped.cancelPayment(bank: bankId, product: .norwegianDomesticCreditTransfers, paymentId: paymentId)
            } catch let error as OpenBankingError {
                services.logger.notice("bank refused to cancel", metadata: ["transaction_id": .string(id), "error": .string("\(error)")])
                throw AppError.conflict("The bank has already processed this payment.")
            }
        }
        let now = services.clock()
        try await services.database.transaction { db in
            guard try await TransactionStatusRepository.apply(transition, to: id, actor: ("user", userId), at: now, on: db) else {
                throw AppError.conflict("The payment changed meanwhile; look at it again.")
            }
            try await NotificationRepository.insert(PaymentNotifications.statusChanged(record, to: transition.to, at: now), on: db)
        }
        return try await find(id: id, userId: userId)
    }

    /// The bank sent the user back: ask it where the payment stands (the redirect proves nothing)
    /// and apply that the same way as its webhook would.
    func followUp(transactionId: String) async throws {
        let row = try await services.database.read { db in
            try await db.raw("""
                SELECT t.pisp_payment_id, a.bank_id FROM transactions t JOIN bank_accounts a ON a.id = t.bank_account_id WHERE t.id = \(bind: transactionId)
                """).first()
        }
        guard let row, let paymentId = try row.decode(column: "pisp_payment_id", as: String?.self) else { return }
        let bankId = try row.decode(column: "bank_id", as: String.self)
        let status = try await services.openBanking.wrapped.paymentStatus(bank: bankId, product: .norwegianDomesticCreditTransfers, paymentId: paymentId)
        guard let code = PaymentStatusCode(rawValue: status.transactionStatus) else { return }
        _ = try await PaymentStatusService(services: services).apply(
            eventId: "poll:\(paymentId):\(code.rawValue)", paymentId: paymentId, code: code, rawBodyHash: "", source: "open-banking")
    }

    /// Payments nobody approved within the SCA window expire, and are cancelled at the bank.
    func expireOverdue() async throws -> Int {
        let now = services.clock()
        let overdue = try await services.database.read { db in
            try await db.raw("""
                SELECT t.id, t.user_id, t.kind, t.pisp_payment_id, a.bank_id FROM transactions t LEFT JOIN bank_accounts a ON a.id = t.bank_account_id
                WHERE t.status = 'pending_sca' AND t.sca_expires_at < \(bind: now)
                """).all()
        }
        var expired = 0
        for row in overdue {
            let id = try row.decode(column: "id", as: String.self)
            if let paymentId = try row.decode(column: "pisp_payment_id", as: String?.self), let bank = try row.decode(column: "bank_id", as: String?.self) {
                try? await services.openBanking.wrapped.cancelPayment(bank: bank, product: .norwegianDomesticCreditTransfers, paymentId: paymentId)
            }
            guard case .success(let transition) = TransferStatus.transition(from: .pendingSCA, on: .scaTimedOut) else { continue }
            let record = TransactionStatusRecord(id: id, userId: try row.decode(column: "user_id", as: String.self),
                                                 kind: try row.decode(column: "kind", as: String.self), status: .pendingSCA)
            try await services.database.transaction { db in
                guard try await TransactionStatusRepository.apply(transition, to: id, actor: ("system", nil), at: now, on: db) else { return }
                try await NotificationRepository.insert(PaymentNotifications.statusChanged(record, to: .expired, at: now), on: db)
                expired += 1
            }
        }
        return expired
    }
}
