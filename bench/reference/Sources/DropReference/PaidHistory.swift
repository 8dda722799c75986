import DropCore
import Foundation
import SQLKit

/// A seeded customer's paid transfers as Drop leaves them: the customer's NOK received from their bank,
/// then the transfers paid out in one pain.001 message the partner settled. Without the message the
/// reconciliation job would report every one of them as completed without a payout, and a bench run's
/// worker would be reading findings that a real Drop never has.
struct PaidHistory {
    /// Drop's collection account at the partner, as `drop serve` defaults it (`PAYOUT_COLLECTION_*`, `PAYOUT_PARTNER_BIC`).
    let debtor: PayoutDebtor
    let recipient: RecipientDetails
    let corridor: Corridor
    /// What each transfer pays out, in the corridor's currency.
    let payoutMinor: Int64

    init(recipient: RecipientDetails, payoutMinor: Int64) throws {
        debtor = PayoutDebtor(name: "Drop Payout Partner AS", iban: try NorwegianAccountNumber("15030010008").iban, bic: try BIC("PARTNOKK"))
        guard let corridor = Corridors.find(country: recipient.country, currency: recipient.currency) else {
            throw ValidationIssue(field: "corridor", issue: ValidationIssue.Code.unsupported, message: "Drop doesn't pay out there.")
        }
        self.recipient = recipient
        self.corridor = corridor
        self.payoutMinor = payoutMinor
    }

    /// Writes the message that paid `endToEndIds` out, settled at `settledAt`, and returns its id
    /// for the transfers' `payout_id`.
    func insertPayout(endToEndIds: [String], createdAt: Date, settledAt: Date, on db: any SQLDatabase) async throws -> String {
        let instructions = try endToEndIds.map {
            try PayoutInstruction(endToEndId: try EndToEndId($0), amount: Money(minorUnits: payoutMinor, currency: recipient.currency),
                                  recipient: recipient, corridor: corridor, remittanceInformation: "Drop")
        }
        let batch = try PayoutBatch(
            messageId: UUID().uuidString.replacingOccurrences(of: "-", with: "").uppercased(), creationTime: createdAt,
            initiatingPartyName: "Drop AS", debtor: debtor, requestedExecutionDate: OsloCalendar.today(createdAt), instructions: instructions)
        let id = RecordID.make()
        try await db.raw("""
            INSERT INTO payouts (id, message_id, status, currency, transaction_count, control_sum_minor, pain001, created_at, sent_at, updated_at)
            VALUES (\(bind: id), \(bind: batch.messageId), \(bind: PayoutMessageStatus.completed.rawValue), \(bind: recipient.currency.code),
                    \(bind: instructions.count), \(bind: payoutMinor * Int64(instructions.count)), \(bind: Pain001Writer().xml(for: batch)),
                    \(bind: createdAt), \(bind: createdAt), \(bind: settledAt))
            """).run()
        return id
    }
}
