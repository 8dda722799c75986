import DropCore
import DropProviders
import DropStore
import Foundation
import SQLKit

/// Pays recipients through the payout partner. Transfers whose NOK the user's bank has paid
/// (`processing`) go out in a pain.001, one message per currency; the partner's pain.002 then
/// completes them, or fails them with the partner returning the money (`refunded`).
struct PayoutService: Sendable {
    let services: AppServices

    /// Builds and sends a pain.001 for every currency with transfers waiting; resends messages
    /// the partner has not confirmed (same message id, so it can't pay twice).
    func submitDue() async throws -> Int {
        let now = services.clock()
        let waiting = try await services.database.read { db in
            try await db.raw("""
                SELECT t.id, t.user_id, t.target_amount_minor, t.target_currency, t.end_to_end_id, t.payee_name AS name,
                       t.payee_country AS country, t.payee_currency AS currency, t.payee_iban AS iban, t.payee_account_number AS account_number,
                       t.payee_bic AS bic, t.payee_ifsc AS ifsc, t.payee_routing_number AS routing_number, t.payee_bank_name AS bank_name,
                       t.payee_address_street AS address_street, t.payee_address_post_code AS address_post_code,
                       t.payee_address_city AS address_city, t.payee_address_country AS address_country
                FROM transactions t
                WHERE t.payee_name IS NOT NULL AND t.kind = 'remittance' AND t.status = 'processing' AND t.funds_received_at IS NOT NULL AND t.payout_id IS NULL
                ORDER BY t.created_at
                """).all()
        }
        var sent = 0
        for (currency, rows) in Dictionary(grouping: waiting, by: { (try? $0.decode(column: "target_currency", as: String.self)) ?? "" }) {
            var instructions: [(transactionId: String, instruction: PayoutInstruction)] = []
            for row in rows {
                let id = try row.decode(column: "id", as: String.self)
                do {
                    instructions.append((id, try Self.instruction(row)))
                } catch let issue as ValidationIssue {
                    // Validated when saved, so this means the corridor's rules changed since.
                    try await PayoutOutcomes(services: services).fail(id, reason: "payout:invalid:\(issue.field ?? "recipient")", at: now)
                }
            }
            guard !instructions.isEmpty else { continue }
            let batch = try PayoutBatch(
                messageId: UUID().uuidString.replacingOccurrences(of: "-", with: "").uppercased(), creationTime: now,
                initiatingPartyName: "Drop AS", debtor: try collectionAccount(), requestedExecutionDate: OsloCalendar.today(now),
                instructions: instructions.map(\.instruction))
            let xml = Pain001Writer().xml(for: batch)
            let payoutId = UUID().uuidString.lowercased()
            let controlSum = instructions.reduce(Int64(0)) { $0 + $1.instruction.amount.minorUnits }
            try await services.database.transaction { db in
                try await db.raw("""
                    INSERT INTO payouts (id, message_id, status, currency, transaction_count, control_sum_minor, pain001, created_at, updated_at)
                    VALUES (\(bind: payoutId), \(bind: batch.messageId), 'created', \(bind: currency), \(bind: instructions.count),
                            \(bind: controlSum), \(bind: xml), \(bind: now), \(bind: now))
                    """).run()
                for (id, _) in instructions {
                    try await db.raw("UPDATE transactions SET payout_id = \(bind: payoutId), updated_at = \(bind: now) WHERE id = \(bind: id)").run()
                }
                try await AuditLog.append(AuditEntry(actorType: "system", actorId: nil, action: "payout.created", entityType: "payout",
                                                     entityId: payoutId, data: #"{"currency":"\#(currency)","transactions":\#(instructions.count)}"#),
                                          at: now, on: db)
            }
            sent += 1
        }
        // Send what is created but unconfirmed: just now, or left over when the partner was down.
        let unsent = try await services.database.read { db in
            try await db.raw("SELECT id, message_id, pain001 FROM payouts WHERE status = 'created' ORDER BY created_at").all()
        }
        for row in unsent {
            try await send(payoutId: try row.decode(column: "id", as: String.self), messageId: try row.decode(column: "message_id", as: String.self),
                           xml: try row.decode(column: "pain001", as: String.self))
        }
        return sent
    }

    private func send(payoutId: String, messageId: String, xml: String) async throws {
        let now = services.clock()
        do {
            let submission = try await services.payout.wrapped.submit(pain001: xml, messageId: messageId)
            try await services.database.transaction { db in
                try await db.raw("""
                    UPDATE payouts SET status = 'submitted', pain002 = \(bind: submission.pain002), sent_at = \(bind: now), updated_at = \(bind: now)
                    WHERE id = \(bind: payoutId)
                    """).run()
            }
            try await apply(submission.report, payoutId: payoutId, pain002: submission.pain002)
        } catch let error as PayoutError {
            // The partner refused the whole message: nothing will be paid from it.
            let reason = "payout:" + (error.reasonCodes.first ?? "rejected")
            let ids = try await services.database.transaction { db -> [String] in
                try await db.raw("UPDATE payouts SET status = 'rejected', updated_at = \(bind: now) WHERE id = \(bind: payoutId)").run()
                return try await db.raw("SELECT id FROM transactions WHERE payout_id = \(bind: payoutId)").all().map { try $0.decode(column: "id", as: String.self) }
            }
            services.logger.error("payout partner rejected a message", metadata: ["payout_id": .string(payoutId), "reason": .string(reason)])
            for id in ids { try await PayoutOutcomes(services: services).fail(id, reason: reason, at: now) }
        } catch is ProviderError {
            // Down or breaker open: the message stays `created` and is resent next run.
        }
    }

    /// Reads the partner's pain.002 for every message not yet final and applies it.
    func pollReports() async throws -> Int {
        let open = try await services.database.read { db in
            try await db.raw("SELECT id, message_id FROM payouts WHERE status = 'submitted' ORDER BY created_at").all()
        }
        var changed = 0
        for row in open {
            let payoutId = try row.decode(column: "id", as: String.self)
            let document: PayoutStatusDocument
            do {
                document = try await services.payout.wrapped.statusDocument(messageId: try row.decode(column: "message_id", as: String.self))
            } catch is ProviderError {
                continue
            }
            changed += try await apply(document.report, payoutId: payoutId, pain002: document.pain002)
        }
        return changed
    }

    /// Moves each transfer the report settles or rejects; the payout is `completed` when none is left open.
    @discardableResult
    private func apply(_ report: PaymentStatusReport, payoutId: String, pain002: String) async throws -> Int {
        let now = services.clock()
        let outcomes = PayoutOutcomes(services: services)
        var changed = 0
        let members = try await services.database.read { db in
            try await db.raw("SELECT id, end_to_end_id, status FROM transactions WHERE payout_id = \(bind: payoutId)").all()
        }
        for row in members {
            let id = try row.decode(column: "id", as: String.self)
            guard try row.decode(column: "status", as: String.self) == TransferStatus.processing.rawValue,
                  let verdict = report.transaction(endToEndId: try row.decode(column: "end_to_end_id", as: String.self)) else { continue }
            switch verdict.status.payoutEvent {
            case .payoutSettled?:
                try await outcomes.complete(id, at: now)
                changed += 1
            case .payoutFailed?:
                try await outcomes.fail(id, reason: "payout:\(verdict.reasonCode ?? verdict.status.rawValue)", at: now)
                changed += 1
            default:
                break
            }
        }
        try await services.database.transaction { db in
            let stillOpen = try await db.raw("""
                SELECT COUNT(*) AS n FROM transactions WHERE payout_id = \(bind: payoutId) AND status = 'processing'
                """).first()?.decode(column: "n", as: Int.self) ?? 0
            try await db.raw("""
                UPDATE payouts SET pain002 = \(bind: pain002), status = \(bind: stillOpen == 0 ? "completed" : "submitted"), updated_at = \(bind: now)
                WHERE id = \(bind: payoutId)
                """).run()
        }
        return changed
    }

    /// Drop's account at the partner, which users' banks pay into and payouts are made from.
    private func collectionAccount() throws -> PayoutDebtor {
        let providers = services.config.providers
        let number = try NorwegianAccountNumber(providers.payoutCollectionAccount)
        return PayoutDebtor(name: providers.payoutCollectionName, iban: number.iban, bic: try BIC(providers.payoutPartnerBIC))
    }

    static func instruction(_ row: any SQLRow) throws -> PayoutInstruction {
        func text(_ column: String) throws -> String? { try row.decode(column: column, as: String?.self) }
        guard let country = CountryCode(rawValue: try row.decode(column: "country", as: String.self)),
              let currency = Currency(rawValue: try row.decode(column: "currency", as: String.self)),
              let corridor = Corridors.find(country: country, currency: currency) else {
            throw ValidationIssue(field: "corridor", issue: ValidationIssue.Code.unsupported, message: "Drop no longer pays out there.")
        }
        let address = RecipientDetails.Address(street: try text("address_street"), postCode: try text("address_post_code"),
                                               city: try text("address_city"), country: try text("address_country").flatMap(CountryCode.init(rawValue:)))
        let recipient = RecipientDetails(
            name: try row.decode(column: "name", as: String.self), country: country, currency: currency, iban: try text("iban"),
            accountNumber: try text("account_number"), bic: try text("bic"), ifsc: try text("ifsc"), routingNumber: try text("routing_number"),
            bankName: try text("bank_name"), address: address, relationship: nil)
        return try PayoutInstruction(
            endToEndId: try EndToEndId(try row.decode(column: "end_to_end_id", as: String.self)),
            amount: Money(minorUnits: try row.decode(column: "target_amount_minor", as: Int64.self), currency: currency),
            recipient: recipient, corridor: corridor, remittanceInformation: "Drop")
    }
}

/// What a payout's outcome does to a transfer, each in one DB transaction with its history,
/// audit row and notification.
struct PayoutOutcomes: Sendable {
    let services: AppServices

    func complete(_ id: String, at now: Date) async throws {
        try await move(id, through: [.payoutSettled], reason: nil, at: now)
    }

    /// The recipient's side refused: the transfer fails and the partner returns the NOK to the
    /// sender's account, which the history records as a refund.
    func fail(_ id: String, reason: String, at now: Date) async throws {
        try await move(id, through: [.payoutFailed, .refundedByPartner], reason: reason, at: now)
    }

    private func move(_ id: String, through events: [TransferEvent], reason: String?, at now: Date) async throws {
        try await services.database.transaction { db in
            guard let record = try await TransactionStatusRepository.find(id: id, on: db) else { return }
            var status = record.status
            for event in events {
                guard case .success(let transition) = TransferStatus.transition(from: status, on: event) else { return }
                guard try await TransactionStatusRepository.apply(transition, to: id, actor: ("provider", "payout-partner"),
                                                                  failureReason: reason, at: now, on: db) else { return }
                status = transition.to
            }
            try await NotificationRepository.insert(PaymentNotifications.statusChanged(record, to: status, at: now), on: db)
        }
    }
}
