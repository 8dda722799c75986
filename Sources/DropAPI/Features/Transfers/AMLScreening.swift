import DropCore
import DropStore
import Foundation
import SQLKit

/// Runs DropCore's AML rules on a transfer as it is created, on the creating DB transaction, and
/// records what they found for the compliance team (`aml_alerts`).
enum AMLScreening {
    static let configuration = AMLConfiguration()
    /// The history the rules look at: velocity, structuring and the customer's usual pattern.
    static let lookback: TimeInterval = 365 * 24 * 3600

    static func assess(transferId: String, user: UserRecord, recipient: RecipientRecord, amount: Money, at now: Date,
                       on db: any SQLDatabase) async throws -> AMLAssessment {
        let rows = try await db.raw("""
            SELECT t.id, t.amount_minor, t.recipient_id, t.status, t.created_at, t.payee_country AS country FROM transactions t
            WHERE t.payee_country IS NOT NULL AND t.user_id = \(bind: user.id) AND t.kind = 'remittance' AND t.created_at >= \(bind: now.addingTimeInterval(-lookback))
            """).all()
        var past: [AMLPastTransfer] = []
        for row in rows {
            guard let country = CountryCode(rawValue: try row.decode(column: "country", as: String.self)),
                  let status = TransferStatus(rawValue: try row.decode(column: "status", as: String.self)) else { continue }
            past.append(try AMLPastTransfer(
                transferId: try row.decode(column: "id", as: String.self),
                amount: Money(minorUnits: try row.decode(column: "amount_minor", as: Int64.self), currency: .nok),
                destination: country, recipientId: try row.decode(column: "recipient_id", as: String.self),
                time: try row.decode(column: "created_at", as: Date.self), status: status))
        }
        guard let destination = CountryCode(rawValue: recipient.country) else {
            throw AppError.validation("The recipient's country is not supported.", details: [ErrorDetail(field: "recipientId", issue: "corridor")])
        }
        let context = try AMLTransferContext(
            amount: amount, destination: destination, recipientId: recipient.id,
            isFirstTransferToRecipient: !past.contains { $0.recipientId == recipient.id && $0.transferId != transferId },
            recipientCreatedAt: recipient.createdAt, time: now, transferId: transferId)
        let history = AMLCustomerHistory(transfers: past, isPEP: user.isPep, isSanctioned: user.isSanctioned,
                                         riskLevel: CustomerRiskLevel(rawValue: user.riskLevel) ?? .low)
        return AMLEngine.evaluate(context, history: history, configuration: configuration)
    }

    /// One alert per assessment that raises one: the strongest rule, the total score, every finding.
    static func recordAlert(_ assessment: AMLAssessment, userId: String, transactionId: String?, at now: Date, on db: any SQLDatabase) async throws {
        guard assessment.decision.raisesAlert, let top = assessment.findings.first else { return }
        let findings = assessment.findings.map { #"{"rule":"\#($0.rule.rawValue)","score":\#($0.score),"reason":\#(jsonString($0.reason))}"# }
        let details = #"{"decision":"\#(assessment.decision.rawValue)","findings":[\#(findings.joined(separator: ","))]}"#
        let id = UUID().uuidString.lowercased()
        try await db.raw("""
            INSERT INTO aml_alerts (id, user_id, transaction_id, rule, score, status, details, created_at)
            VALUES (\(bind: id), \(bind: userId), \(bind: transactionId), \(bind: top.rule.rawValue), \(bind: assessment.totalScore), 'open',
                    \(bind: details), \(bind: now))
            """).run()
        try await AuditLog.append(AuditEntry(actorType: "system", actorId: nil, action: "aml_alert.raised", entityType: "aml_alert", entityId: id,
                                             data: #"{"decision":"\#(assessment.decision.rawValue)","score":\#(assessment.totalScore)}"#),
                                  at: now, on: db)
    }

    private static func jsonString(_ text: String) -> String {
        (try? String(decoding: JSONEncoder().encode(text), as: UTF8.self)) ?? "\"\""
    }
}
