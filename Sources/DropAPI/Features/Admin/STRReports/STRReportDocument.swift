import DropCore
import DropStore
import Foundation

/// Assembles the pure `SuspiciousTransactionReport` from the database: the customer, the officer,
/// the transactions with both ends (read by `STRReportContentRepository`).
enum STRReportDocument {
    /// Drop as a reporting entity. The FIU assigns `id` at registration; until Drop is registered
    /// it is a placeholder, to be moved into configuration with the real value.
    static let reportingEntity = SuspiciousTransactionReport.ReportingEntity(id: "0", name: "Drop AS", organisationNumber: "000000000")

    static func build(_ report: STRReportView, at now: Date, on db: DatabaseConnection) async throws -> SuspiciousTransactionReport {
        guard let subject = try await STRReportContentRepository.person(userId: report.userId, withContact: false, on: db),
              let officer = try await STRReportContentRepository.person(userId: report.filedBy ?? report.createdBy, withContact: true, on: db) else {
            throw AppError.internalError
        }
        var indicators: [String] = []
        if let alertId = report.alertId, let alert = try await AMLAlertService.find(id: alertId, on: db) {
            indicators = Array(Set(alert.findings.map(\.rule) + [alert.rule])).sorted()
        }
        var transactions: [SuspiciousTransactionReport.Transaction] = []
        for id in report.transactionIds {
            let transaction = try await STRReportContentRepository.transaction(id: id, senderBank: {
                (BankDirectory.norway.name(of: $0), BankDirectory.norway.find($0)?.bic)
            }, on: db)
            if let transaction { transactions.append(transaction) }
        }
        return SuspiciousTransactionReport(
            reference: report.id, entity: reportingEntity, submissionDate: report.filedAt ?? now, reportingPerson: officer,
            subject: subject, reason: report.reason, action: report.action, indicators: indicators, transactions: transactions)
    }
}
