import DropCore
import DropStore
import Foundation
import Logging

/// Keeps Drop's record of every payment in step with the bank's (see docs/money-integrity.md).
///
/// `reconcile` is the job that talks to the banks: it learns payments whose initiation answer was
/// lost (same request id, so never a second payment) and reads the status of payments no webhook
/// has settled. `report` is the invariant checker: every transaction that still breaks a rule of
/// the money flow, plus the open operations alerts; zero findings on a healthy system.
public struct ReconciliationService: Sendable {
    let bankPayments: BankPayments
    let database: Database
    let metrics: AppMetrics
    let clock: @Sendable () -> Date
    let logger: Logger

    /// A request still running holds its idempotency lease this long; only older payments are recovered.
    static let recoveryDelay: TimeInterval = 60
    /// How long a payment may go without a webhook before the bank is asked.
    static let quietPeriod: TimeInterval = 2 * 60
    /// The bank is asked about one payment at most this often.
    static let checkInterval: TimeInterval = 5 * 60

    public struct Report: Encodable, Sendable {
        public let checkedAt: Date
        public let count: Int
        public let findings: [ReconciliationFinding]
        public let alerts: [OperationsAlert]
    }

    /// One pass over what the banks may know that Drop doesn't. Returns how many payments it
    /// asked about; a bank that can't be reached is simply asked again next run.
    @discardableResult
    func reconcile() async throws -> Int {
        let now = clock()
        let banks = bankPayments
        let (unanswered, quiet) = try await database.withConnection { db in
            (try await TransactionRepository.awaitingBankAnswer(askedBefore: now.addingTimeInterval(-Self.recoveryDelay), on: db),
             try await TransactionRepository.needingBankCheck(updatedBefore: now.addingTimeInterval(-Self.quietPeriod),
                                                              checkedBefore: now.addingTimeInterval(-Self.checkInterval), on: db))
        }
        var asked = 0
        for payment in unanswered {
            asked += 1
            // Stamped whatever comes of it: one that can't be asked again goes behind the others next run.
            try await database.transaction { try await TransactionRepository.markBankChecked(id: payment.id, at: now, on: $0) }
            do { _ = try await banks.recover(payment) } catch { log(error, payment, "recovering a payment's initiation") }
        }
        for payment in quiet {
            asked += 1
            do { try await banks.refreshStatus(payment) } catch { log(error, payment, "reading a payment's status") }
        }
        return asked
    }

    /// The invariant checker, as `GET /v1/admin/reconciliation` shows it; also sets the gauge.
    public func report() async throws -> Report {
        let now = clock()
        let (findings, alerts) = try await database.withConnection { db in
            (try await ReconciliationRepository.findings(now: now, on: db), try await OperationsAlertRepository.open(on: db))
        }
        metrics.setReconciliationFindings(findings.count)
        metrics.setOpenOperationsAlerts(alerts.count)
        return Report(checkedAt: now, count: findings.count, findings: findings, alerts: alerts)
    }

    /// An officer handled an operations alert (the runbook's step for its kind): it leaves the open
    /// list and the gauge, with who resolved it and how on the alert and an audit row. 404 for no
    /// such alert, 409 when someone resolved it first, 403 `OWN_CASE` for an alert about the officer's own
    /// transfer, standing transfer or business (`OwnCase`): another officer resolves it.
    public func resolve(alertId: String, resolution: String, by actor: AdminActor) async throws {
        try await ownCase.operationsAlert(alertId, "resolve", by: actor)
        let now = clock()
        try await database.transaction { db in
            guard try await OperationsAlertRepository.resolve(id: alertId, by: actor.userId, resolution: resolution, at: now, on: db) else {
                guard try await OperationsAlertRepository.exists(id: alertId, on: db) else { throw AppError.notFound("There is no such alert.") }
                throw AppError.conflict("This alert was resolved already.")
            }
            try await AuditLog.append(actor.audit("operations_alert.resolved", "operations_alert", alertId), at: now, on: db)
        }
        _ = try await report()
    }

    private func log(_ error: any Error, _ payment: BankPaymentRecord, _ what: String) {
        logger.notice("reconciliation: \(what) failed; next run tries again", metadata: [
            "transaction_id": .string(payment.id), "error_type": .string(String(describing: type(of: error))),
        ])
    }
}
