import DropCore
import DropProviders
import DropStore
import Foundation

/// What the bank reports about a standing order: its approval or end, and each payment it made.
/// Reports arrive by webhook and by the reconciler's poll, in any order and more than once; each
/// execution makes exactly one transfer (the pair order + execution id is unique), written in one
/// DB transaction with its history, audit row and notification.
extension StandingOrderService {
    public enum ReportOutcome: Sendable, Equatable {
        case applied
        case duplicate
        case unknownOrder
        /// A payment the bank reports as neither made nor refused yet (e.g. `ACSP`, `PDNG`): nothing is
        /// written, and its final report (webhook or the reconciler's read) makes the transfer.
        case notFinal
        /// A payment reported for another amount than the order's: no transfer, no return, an alert.
        case amountMismatch
    }

    /// `stop_reason` of an order the person cancelled at their own bank.
    static let stoppedByTheBank = "bank"

    /// Why a payment the bank already made is not sent on (its NOK goes back to the person).
    enum Refusal: String {
        case orderNotRunning = "order_not_running"
        case customerNotEligible = "customer_not_eligible"
        case recipientRemoved = "recipient_removed"
        case amountMismatch = "amount_mismatch"
        case noPrice = "no_price"
        case overLimit = "over_limit"
        case compliance
    }

    // MARK: The order's own status

    /// A report on the order itself: approved (`ACTC`), refused or cancelled.
    func applyBankStatus(_ order: StandingOrderRecord, code: String, eventId: String?, rawBodyHash: String?) async throws -> ReportOutcome {
        let now = clock()
        var predecessor: StandingOrderRecord?
        let outcome = try await database.transaction { db -> ReportOutcome in
            if let eventId, let rawBodyHash,
               !(try await WebhookEventRepository.recordFirst(provider: "open-banking", eventId: eventId, payloadSHA256: rawBodyHash, at: now, on: db)) {
                return .duplicate
            }
            guard let current = try await StandingOrderRepository.find(id: order.id, on: db) else { return .unknownOrder }
            let change: StandingOrderStatus.Change? = switch (current.status, code) {
            case (.pendingSCA, "ACTC"), (.pendingSCA, "ACCP"), (.pendingSCA, "ACSC"): .approvedAtBank
            case (.pendingSCA, "RJCT"), (.pendingSCA, "CANC"): .refusedAtBank
            // The person cancelled the standing order at their own bank.
            case (.active, "CANC"), (.active, "RJCT"): .stop
            default: nil
            }
            guard let change, let next = current.status.applying(change) else { return .applied }
            guard try await StandingOrderRepository.move(id: current.id, from: current.status, to: next,
                                                         stopReason: change == .stop ? Self.stoppedByTheBank : nil,
                                                         actor: .provider("open-banking"), at: now, on: db) else {
                throw AppError.conflict("The standing transfer changed meanwhile; deliver again.")
            }
            // A bank's cancellation is not noted here: a payment it made that day may not have been heard
            // (its webhook lost, or still in progress). Left unnoted, the reconciler reads the order's
            // payments (`cancelAtBank`) and notes it once every one is an outcome, as for Drop's own stop.
            if next == .active, let replacedId = current.replacesId, let old = try await StandingOrderRepository.find(id: replacedId, on: db),
               old.status.canBeReplaced,
               try await StandingOrderRepository.move(id: old.id, from: old.status, to: .replaced, actor: .system, at: now, on: db) {
                predecessor = old
            }
            try await NotificationRepository.insert(Self.notification(for: current, now: next, at: now), on: db)
            return .applied
        }
        // The order it replaces stops at the bank only once the new one is live: no gap, and
        // a payment the old one makes meanwhile is returned (it is no longer running at Drop).
        if let predecessor { await cancelAtBank(predecessor) }
        return outcome
    }

    static func notification(for order: StandingOrderRecord, now status: StandingOrderStatus, at date: Date) -> NotificationRecord {
        let (title, body): (String, String) = switch status {
        case .active: ("Standing transfer approved", "Your bank will pay it on each payment day. We tell you each time the money is sent.")
        case .rejected: ("Standing transfer not approved", "The bank did not approve the standing transfer. Nothing will be paid.")
        case .stopped: ("Standing transfer stopped", "No more payments will be made.")
        default: ("Standing transfer", "Your standing transfer is \(status.rawValue).")
        }
        return NotificationRecord(userId: order.userId, kind: .standingOrder(status), title: title, body: body,
                                  link: NotificationLink(standingOrderId: order.id), createdAt: date)
    }

    // MARK: Each payment

    /// One payment the bank made (or could not make) under the order.
    func applyExecution(_ order: StandingOrderRecord, _ execution: OpenBankingExecution, eventId: String?, rawBodyHash: String?) async throws -> ReportOutcome {
        // Only a debit or a refusal is an outcome. Recording a payment still in progress as "not paid"
        // would make its later settlement a duplicate, and the money taken would have no transfer.
        guard execution.isSettled || execution.isRefused else { return .notFinal }
        var order = order
        if order.status == .pendingSCA, execution.isSettled {
            // The bank paid, so it had the approval whose report Drop hasn't heard yet: take it as heard.
            _ = try await applyBankStatus(order, code: "ACTC", eventId: nil, rawBodyHash: nil)
            order = try await database.withConnection { try await StandingOrderRepository.find(id: order.id, on: $0) } ?? order
        }
        if let made = try await database.withConnection({
            try await StandingOrderRepository.transactionId(orderId: order.id, executionId: execution.id, on: $0)
        }) {
            // The reconciler reads every payment again each round: only one the bank now reports otherwise is
            // worth a DB transaction (decided again there, on the locked row).
            let fundsReceived = try await database.withConnection { try await TransactionRepository.bankPayment(id: made, on: $0)?.fundsReceivedAt != nil }
            guard execution.isSettled != fundsReceived else { return .duplicate }
            let now = clock()
            return try await database.transaction { db -> ReportOutcome in
                if let eventId, let rawBodyHash,
                   !(try await WebhookEventRepository.recordFirst(provider: "open-banking", eventId: eventId, payloadSHA256: rawBodyHash, at: now, on: db)) {
                    return .duplicate
                }
                return try await reportedAgain(made, order: order, execution, at: now, on: db)
            }
        }
        // The bank was asked for the order's total in NOK, fixed at approval, and takes that each time.
        // A payment reported as anything else is not taken at its word: a transfer of it would ask the
        // partner to return (or pay out) the claimed amount from an account that holds everyone's NOK.
        let instructed = Money(minorUnits: order.totalMinor, currency: .nok)
        if execution.isSettled, execution.amount != instructed {
            return try await reportAmountMismatch(order, execution, instructed: instructed, eventId: eventId, rawBodyHash: rawBodyHash)
        }
        let now = clock()
        // Priced at this day's rate before the DB transaction (the rate may need the feed). A feed
        // that is down is retried by the bank's redelivery and the reconciler; a corridor that no
        // longer prices this amount is a refusal.
        var quote: Quote?
        var refusal: Refusal?
        var priceUnavailable: (any Error)?
        let recipient = try await database.withConnection {
            try await RecipientRepository.find(id: order.recipientId, userId: order.userId, on: $0)
        }
        // Priced for the payee the order was approved for, whatever the recipient reads today.
        if recipient != nil, let payee = order.payee, execution.isSettled {
            do {
                quote = try await quotes.priced(
                    QuoteInput(country: payee.country, currency: payee.currency, sendAmountMinor: order.amountMinor), now: now).quote
            } catch let error as AppError where error.status.code < 500 {
                refusal = .noPrice
            } catch {
                priceUnavailable = error
            }
        }
        var endedOrder: StandingOrderRecord?
        let outcome = try await database.transaction { db -> ReportOutcome in
            if let eventId, let rawBodyHash,
               !(try await WebhookEventRepository.recordFirst(provider: "open-banking", eventId: eventId, payloadSHA256: rawBodyHash, at: now, on: db)) {
                return .duplicate
            }
            if let made = try await StandingOrderRepository.transactionId(orderId: order.id, executionId: execution.id, on: db) {
                return try await reportedAgain(made, order: order, execution, at: now, on: db)
            }
            guard let current = try await StandingOrderRepository.find(id: order.id, on: db),
                  let user = try await UserRepository.find(id: order.userId, on: db) else { return .unknownOrder }
            let id = RecordID.make()
            // What the bank was asked for: a settled payment reported for anything else never gets here,
            // and a refused one moved nothing.
            let total = instructed
            if execution.isSettled {
                // A replaced order's payment for a day before its replacement's first is still its own to send on.
                let keptDay = current.status == .replaced
                    ? (try await StandingOrderRepository.successorStart(of: current.id, on: db)).map { execution.executionDate < $0 } ?? false : false
                refusal = refusal ?? Self.refusal(order: current, user: user, recipient: recipient, executed: total, quote: quote, keptDay: keptDay)
                // Sending it on needs today's price: with the feed down, the bank's redelivery and the
                // reconciler bring it again. A payment that goes back needs none.
                if let priceUnavailable, refusal == nil || refusal == .noPrice { throw priceUnavailable }
                // Checked before this payment's own row is written: the sums count every transfer not
                // ended, so checked after, the payment would count against its own limit twice.
                if refusal == nil, let quote {
                    do {
                        try await spendingLimits.check(userId: current.userId, amount: quote.send, on: db, now: now)
                    } catch is AppError {
                        refusal = .overLimit
                    }
                }
            }
            let amount = quote?.send ?? Money(minorUnits: current.amountMinor, currency: .nok)
            let fee = quote?.fee ?? Money(minorUnits: current.feeMinor, currency: .nok)
            try await TransactionRepository.open(NewTransaction(
                id: id, userId: current.userId, kind: .remittance, amount: amount, fee: fee, total: total, target: quote?.receive,
                rate: quote?.rate.description, recipientId: current.recipientId, payee: current.payee,
                bankAccountId: current.bankAccountId, idempotencyKey: "standing-order:\(current.id):\(execution.id)", message: current.message,
                // Drop's own, as every transfer's: the payout partner is told it, and it is unique. A bank may
                // stamp each payment of an order with one id, or with NOTPROVIDED; the bank's is kept for a
                // return (`funds_end_to_end_id`), the payment is its execution id (`bank_execution_id`).
                endToEndId: try EndToEndId.make(from: id).value, bankRequestId: RecordID.make(), bankProduct: current.bankProduct,
                psuIPAddress: current.psuIpAddress, scaExpiresAt: now),
                standingOrderId: current.id,
                at: now, on: db)
            try await StandingOrderRepository.attach(transactionId: id, orderId: current.id, executionId: execution.id,
                                                   arrivedAs: execution.endToEndIdentification, on: db)
            try await StandingOrderRepository.recordExecution(id: current.id, on: execution.executionDate, at: now, on: db)
            let record = TransactionStatusRecord(id: id, userId: current.userId, kind: .remittance, status: .pendingSCA)
            // Its last payment day has passed, paid or not: the order ends, and the bank's order is cancelled.
            // (Left running, it would show no next payment and be read at the bank for ever.)
            func endIfLastPayment() async throws {
                if current.status == .active, let next = try? execution.executionDate.adding(days: 1),
                   current.schedule?.nextExecution(onOrAfter: next) == nil,
                   try await StandingOrderRepository.move(id: current.id, from: .active, to: .ended, actor: .system, at: now, on: db) {
                    endedOrder = current
                }
            }

            guard execution.isSettled else {
                // The bank had no money to take: nothing moved, and the person hears why.
                try await move(record, on: .insufficientFunds, failureReason: "bank:RJCT:\(execution.statusReason ?? "AM04")", at: now, on: db)
                try await NotificationRepository.insert(NotificationRecord(
                    userId: current.userId, kind: .transaction(.failed), title: "Standing transfer not paid",
                    body: "There was not enough money in the account on \(execution.executionDate.iso). Nothing was sent; the next payment day is unchanged.",
                    link: NotificationLink(transactionId: id, standingOrderId: current.id), createdAt: now), on: db)
                try await endIfLastPayment()
                return .applied
            }
            try await TransactionRepository.markFundsReceived(id: id, at: now, on: db)

            var decision = AMLDecision.clear
            if refusal == nil, let recipient, let payee = current.payee {
                let screened = try AMLScreening.Payee.recipient(recipient, paidTo: payee, since: current.payeeSince ?? current.createdAt)
                let assessment = try await AMLScreening.assess(transferId: id, user: user, payee: screened, amount: amount, at: now, on: db)
                try await AMLScreening.recordAlert(assessment, userId: current.userId, transactionId: id, at: now, on: db)
                decision = assessment.decision
                if decision == .block { refusal = .compliance }
            }
            if let refusal {
                try await self.refuse(record, order: current, because: refusal, at: now, on: db)
                try await endIfLastPayment()
                return .applied
            }
            if decision == .hold {
                // Compliance decides; releasing it sends it on with no second approval (the money has left).
                try await move(record, on: .amlHeld, at: now, on: db)
                try await NotificationRepository.insert(PaymentNotifications.statusChanged(record, to: .held, at: now), on: db)
            } else {
                try await move(record, on: .scaApproved, at: now, on: db)
                var notification = PaymentNotifications.statusChanged(record, to: .processing, at: now)
                notification.title = "Standing transfer sent"
                notification.body = "Today's payment has left your account. We'll tell you when it has arrived."
                try await NotificationRepository.insert(notification, on: db)
            }
            try await endIfLastPayment()
            return .applied
        }
        if let endedOrder { await cancelAtBank(endedOrder) }
        return outcome
    }

    /// A settled payment whose reported amount is not the order's instructed total: nothing is written
    /// but an operations alert (once per payment), and a person looks at what reached the collection
    /// account (docs/money-integrity.md, "Standing transfers").
    private func reportAmountMismatch(_ order: StandingOrderRecord, _ execution: OpenBankingExecution, instructed: Money,
                                      eventId: String?, rawBodyHash: String?) async throws -> ReportOutcome {
        let now = clock()
        // The alert is the signal (raised once: the reconciler reads the payment again each round).
        return try await database.transaction { db -> ReportOutcome in
            if let eventId, let rawBodyHash,
               !(try await WebhookEventRepository.recordFirst(provider: "open-banking", eventId: eventId, payloadSHA256: rawBodyHash, at: now, on: db)) {
                return .duplicate
            }
            return try await Self.raiseAmountMismatch(order, execution, instructed: instructed, at: now, on: db)
        }
    }

    private static func raiseAmountMismatch(_ order: StandingOrderRecord, _ execution: OpenBankingExecution, instructed: Money, at now: Date,
                                            on db: DatabaseConnection) async throws -> ReportOutcome {
        try await OperationsAlertRepository.raise(
            .reconciliationMismatch, entityType: "standing_order", entityId: order.id,
            details: OperationsAlertDetails.ExecutionAmountMismatch(
                executionId: execution.id, reportedMinor: execution.amount.minorUnits, reportedCurrency: execution.amount.currency.code,
                instructedMinor: instructed.minorUnits),
            dedupeKey: "execution_amount_mismatch:\(order.id):\(execution.id)", at: now, on: db)
        return .amountMismatch
    }

    /// A payment reported again after its transfer was made (a redelivered webhook, the reconciler's
    /// every read): the same outcome changes nothing. The opposite one is the bank contradicting itself,
    /// handled as for a single payment (`SettlementContradictions`), on the transfer's locked row so a
    /// webhook and the reconciler's read at once are applied one after the other. Settled after it was
    /// refused (the bank retried the debit): the NOK is at the partner for a transfer that failed, so it
    /// is recorded and returned. Refused after it settled: the transfer stays as it is, and operations hear.
    private func reportedAgain(_ transactionId: String, order: StandingOrderRecord, _ execution: OpenBankingExecution, at now: Date,
                               on db: DatabaseConnection) async throws -> ReportOutcome {
        guard let transfer = try await TransactionStatusRepository.lockForReport(id: transactionId, on: db),
              let code = PaymentStatusCode(rawValue: execution.transactionStatus) else { return .duplicate }
        let fundsReceived = try await TransactionRepository.bankPayment(id: transactionId, on: db)?.fundsReceivedAt != nil
        if execution.isSettled, !fundsReceived, transfer.status == .failed {
            let instructed = Money(minorUnits: order.totalMinor, currency: .nok)
            // As for a first report: a claimed amount is not returned on the bank's word.
            guard execution.amount == instructed else { return try await Self.raiseAmountMismatch(order, execution, instructed: instructed, at: now, on: db) }
            logger.error("bank settled a standing order's payment it had refused", metadata: [
                "transaction_id": .string(transactionId), "standing_order_id": .string(order.id)])
            try await TransactionRepository.markFundsReceived(id: transactionId, at: now, on: db)
            try await SettlementContradictions.settledAfterEnd(transfer, code: code, standingOrderId: order.id, at: now, on: db)
            return .applied
        }
        if execution.isRefused, fundsReceived {
            return try await SettlementContradictions.refusedAfterSettlement(transfer, code: code, at: now, on: db) ? .applied : .duplicate
        }
        return .duplicate
    }

    /// `keptDay`: the order was replaced, and this payment is for a day before its replacement's first, which
    /// the order kept (`StandingOrderSchedule.owesPaymentDay`).
    static func refusal(order: StandingOrderRecord, user: UserRecord, recipient: RecipientRecord?, executed: Money, quote: Quote?,
                        keptDay: Bool = false) -> Refusal? {
        // An order the bank stopped ran until the bank stopped it, and the bank pays only while it runs:
        // a payment it reports was made under the person's approval, whichever report came first.
        if order.status != .active, !(order.status == .stopped && order.stopReason == stoppedByTheBank), !(order.status == .replaced && keptDay) {
            return .orderNotRunning
        }
        if user.deletedAt != nil || user.kycStatus != .approved { return .customerNotEligible }
        // A recipient the person removed is no longer paid; the payee is the one they approved.
        guard let recipient, recipient.deletedAt == nil, let payee = order.payee else { return .recipientRemoved }
        guard let quote else { return .noPrice }
        // The bank took what it was asked for; today's price must come to the same NOK, in the currency
        // approved, or Drop would pay out something else than the person agreed to.
        guard executed == quote.total, payee.currency == quote.receive.currency.code, payee.currency == order.receiveCurrency else { return .amountMismatch }
        return nil
    }

    /// A payment Drop won't send on: failed, its NOK returned through the partner (the returns
    /// job; `refunded` when the partner confirms). A compliance refusal stops the order too.
    private func refuse(_ record: TransactionStatusRecord, order: StandingOrderRecord, because refusal: Refusal, at now: Date,
                        on db: DatabaseConnection) async throws {
        try await move(record, on: .executionRefused, failureReason: "standing_order:\(refusal.rawValue)", at: now, on: db)
        try await TransactionRepository.requestReturn(id: record.id, reason: "standing_order:\(refusal.rawValue)", at: now, on: db)
        if refusal == .compliance, order.status.applying(.stop) != nil,
           try await StandingOrderRepository.move(id: order.id, from: order.status, to: .stopped, stopReason: "compliance",
                                                  actor: .rule("aml"), at: now, on: db) {
            try await NotificationRepository.insert(Self.notification(for: order, now: .stopped, at: now), on: db)
        }
        try await NotificationRepository.insert(NotificationRecord(
            userId: order.userId, kind: .transactionReturnPending, title: "Money on its way back",
            body: "Your bank paid a standing transfer we could not send on. We are returning the money to your account and will tell you when it has arrived.",
            link: NotificationLink(transactionId: record.id, standingOrderId: order.id), createdAt: now), on: db)
    }

    private func move(_ record: TransactionStatusRecord, on event: TransferEvent, failureReason: String? = nil, at now: Date,
                      on db: DatabaseConnection) async throws {
        guard case .success(let transition) = TransferStatus.transition(from: .pendingSCA, on: event),
              try await TransactionStatusRepository.apply(transition, to: record.id, actor: .provider("open-banking"),
                                                          failureReason: failureReason, at: now, on: db) else {
            throw AppError.internalError
        }
    }

    // MARK: Reconciler

    /// Catches up with the banks whatever webhooks were lost: cancels at the bank what Drop has
    /// ended, and reads every waiting or live order's status and payments.
    /// - Returns: how many orders were read.
    @discardableResult
    public func reconcile(limit: Int = 200) async throws -> Int {
        let cutoff = clock().addingTimeInterval(-60)
        let (unanswered, toCancel) = try await database.withConnection { db in
            (try await StandingOrderRepository.unanswered(before: cutoff, limit: limit, on: db),
             try await StandingOrderRepository.awaitingBankCancellation(limit: limit, on: db))
        }
        for order in unanswered {
            do {
                _ = try await askBank(order, client: .web, reasking: true)
            } catch {
                logger.notice("standing order's initiation not yet known", metadata: [
                    "standing_order_id": .string(order.id), "error_type": .string(String(describing: type(of: error)))])
            }
        }
        for order in toCancel { await cancelAtBank(order) }
        let watched = try await database.withConnection { try await StandingOrderRepository.watched(limit: limit, on: $0) }
        for order in watched {
            guard let paymentId = order.bankPaymentId, let product = OpenBankingPaymentProduct(rawValue: order.bankProduct) else { continue }
            do {
                let report = try await openBanking.wrapped.periodicPayment(bank: order.bankId, product: product, paymentId: paymentId)
                // The payments first: each was made while the order ran, and is sent on as such before a
                // cancellation in the same read stops the order.
                try await applyExecutions(of: order, report)
                _ = try await applyBankStatus(order, code: report.transactionStatus, eventId: nil, rawBodyHash: nil)
            } catch {
                logger.notice("standing order not read at the bank", metadata: [
                    "standing_order_id": .string(order.id), "error_type": .string(String(describing: type(of: error)))])
            }
            // Marked read whatever happened: an order its bank can't answer for waits its turn again
            // instead of standing first in every round, ahead of the rest. (A failed stamp only leaves it
            // first for the next round.)
            try? await database.withConnection { try await StandingOrderRepository.markChecked(id: order.id, at: clock(), on: $0) }
        }
        return watched.count
    }
}

extension StandingOrderService {
    /// Every payment the bank reports for the order, each made into its transfer once (a payment
    /// already heard is a duplicate). - Returns: false when one is still in progress at the bank
    /// (not final yet: it must be read again).
    @discardableResult
    func applyExecutions(of order: StandingOrderRecord, _ report: OpenBankingPeriodicPaymentReport) async throws -> Bool {
        var allFinal = true
        for execution in report.executions {
            guard let current = try await database.withConnection({ try await StandingOrderRepository.find(id: order.id, on: $0) }) else { break }
            if try await applyExecution(current, execution, eventId: nil, rawBodyHash: nil) == .notFinal { allFinal = false }
        }
        return allFinal
    }

    /// A verified bank webhook about a standing order (`paymentService: periodic-payments`).
    func applyWebhook(_ raw: [UInt8], eventId: String, paymentId: String, status: String, isExecution: Bool) async throws -> ReportOutcome {
        guard let order = try await database.withConnection({ try await StandingOrderRepository.find(bankPaymentId: paymentId, on: $0) }) else {
            return .unknownOrder
        }
        let hash = Hex.sha256(of: raw)
        guard isExecution else { return try await applyBankStatus(order, code: status, eventId: eventId, rawBodyHash: hash) }
        guard let json = (try? JSONSerialization.jsonObject(with: Data(raw))) as? [String: Any], let execution = OpenBankingExecution(json: json) else {
            throw AppError.validation("The execution in the webhook is incomplete.", details: [ErrorDetail(field: "executionId", issue: "format")])
        }
        return try await applyExecution(order, execution, eventId: eventId, rawBodyHash: hash)
    }
}
