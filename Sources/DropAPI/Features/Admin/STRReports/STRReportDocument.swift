import DropCore
import DropStore
import Foundation

/// Assembles the pure `SuspiciousTransactionReport` from the database: the customer, the officer,
/// the transactions with both ends (read by `STRReportContentRepository`).
enum STRReportDocument {
    /// `entity`: Drop as the FIU knows it (`AppConfig.reportingEntity`).
    static func build(_ report: STRReportView, entity: SuspiciousTransactionReport.ReportingEntity, at now: Date,
                      on db: DatabaseConnection) async throws -> SuspiciousTransactionReport {
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
            reference: report.id, entity: entity, submissionDate: report.filedAt ?? now, reportingPerson: officer,
            subject: subject, reason: report.reason, action: report.action, indicators: indicators, transactions: transactions)
    }
}
