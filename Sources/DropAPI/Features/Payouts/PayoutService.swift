import DropCore
import DropProviders
import DropStore
import Foundation
import Logging

/// Pays recipients through the payout partner. Transfers whose NOK the user's bank has paid
/// (`processing`) go out in a pain.001, one message per currency, to the payee as it was when the
/// transfer was made; the partner's pain.002 then completes them, or fails them, and the NOK is
/// asked back from the partner (`refunded` only once the partner confirms the return).
///
/// Safe with any number of workers: a transfer joins a message only while in none, and only the
/// worker holding a message's claim sends it.
struct PayoutService: Sendable {
    let database: Database
    let payoutPartner: Lazy<any PayoutPartner>
    let outcomes: PayoutOutcomes
    /// Where payouts are made from.
    let collectionAccount: CollectionAccount
    let clock: @Sendable () -> Date
    let logger: Logger
    /// Whose claim a message being sent is.
    let worker: String
    /// How long a claim holds; a message whose sender died is sent again after it (same bytes).
    /// Twice the job lease, so a live sender's job is always taken over before its message is.
    let claimLease: TimeInterval
    /// The most payouts one pain.001 carries (`PayoutBatch.maximumTransactions`; smaller in tests).
    var maximumPerMessage = PayoutBatch.maximumTransactions
    /// The largest pain.001 written (`PAYOUT_MAX_MESSAGE_BYTES`): a busy day goes out in several messages.
    var maximumMessageBytes = AppConfig.defaultPayoutMaximumMessageBytes

    /// Builds and sends a pain.001 for every currency with transfers waiting; sends messages not
    /// yet accepted (same message id, so it can't pay twice). - Returns: messages built.
    func submitDue() async throws -> Int {
        var built = 0
        var maximumBytes = maximumMessageBytes
        // A refusal naming some transactions frees the others for a new message: build again. A message
        // the partner found too large (413) frees its transfers too: rebuilt at half its size, until the
        // messages fit (`PAYOUT_MAX_MESSAGE_BYTES` is above the partner's cap; operations were told).
        for _ in 0..<4 {
            built += try await batchDue(maximumBytes: maximumBytes)
            let sent = try await sendUnsent()
            if let tooLarge = sent.smallestTooLarge { maximumBytes = min(maximumBytes, tooLarge / 2) }
            guard sent.freed > 0 else { break }
        }
        return built
    }

    /// One message per currency for what is due (more when over `maximumPerMessage` payouts or
    /// `maximumBytes`); an instruction that can't be built fails alone.
    private func batchDue(maximumBytes: Int, attempt: Int = 1) async throws -> Int {
        let now = clock()
        let due = try await database.withConnection { try await PayoutRepository.due(on: $0) }
        var byCurrency: [(currency: String, items: [(transactionId: String, instruction: PayoutInstruction)])] = []
        for item in due {
            do {
                let instruction = try Self.instruction(item)
                if let index = byCurrency.firstIndex(where: { $0.currency == item.currency }) {
                    byCurrency[index].items.append((item.transactionId, instruction))
                } else {
                    byCurrency.append((item.currency, [(item.transactionId, instruction)]))
                }
            } catch let issue as ValidationIssue {
                // Checked when the recipient was saved, so the rules changed since: this one alone fails, the rest go.
                let field = issue.field ?? "payee"
                try await outcomes.fail(
                    item.transactionId, reason: "payout:invalid:\(field)",
                    alert: (.payoutInstructionInvalid, OperationsAlertDetails.InvalidInstruction(field: field, issue: issue.issue)), at: now)
            }
        }
        var built = 0
        // A message holds at most `maximumPerMessage` payouts (9,999 in pain.001's NbOfTxs as Drop writes
        // it) and `maximumBytes`: a backlog or a busy day goes out in several. One batch for all of it
        // threw, or passed the partner's size cap (413), and no payout was sent again.
        guard !byCurrency.isEmpty else { return 0 }
        let debtor = try debtor()
        let messages = try byCurrency.flatMap { currency, items in
            try PayoutMessageSplit.messages(items, maximumCount: maximumPerMessage, maximumBytes: maximumBytes) { run in
                try PayoutBatch(
                    messageId: UUID().uuidString.replacingOccurrences(of: "-", with: "").uppercased(), creationTime: now,
                    initiatingPartyName: "Drop AS", debtor: debtor, requestedExecutionDate: OsloCalendar.today(now),
                    instructions: run.map(\.instruction))
            }.map { (currency, $0) }
        }
        for (currency, message) in messages {
            let (items, batch, xml) = (message.items, message.batch, message.xml)
            let payoutId = RecordID.make()
            let controlSum = items.reduce(Int64(0)) { $0 + $1.instruction.amount.minorUnits }
            do {
                try await database.transaction { db in
                    try await PayoutRepository.insertBatch(
                        id: payoutId, messageId: batch.messageId, currency: currency, transactionIds: items.map(\.transactionId),
                        controlSumMinor: controlSum, pain001: xml, at: now, on: db)
                    try await AuditLog.append(AuditEntry(actor: .system, action: "payout.created", entityType: "payout",
                                                         entityId: payoutId, data: Batched(currency: "\(currency)", transactions: items.count)),
                                              at: now, on: db)
                }
            } catch is PayoutRepository.TransferTaken where attempt < 5 {
                // Another worker batched one of these meanwhile, or its payer lost their standing since
                // `due` read it; nothing of this message was kept. Start over.
                return built + (try await batchDue(maximumBytes: maximumBytes, attempt: attempt + 1))
            }
            built += 1
        }
        return built
    }

    /// Claims and sends every message not yet accepted. - Returns: transfers freed for a new message,
    /// and the size of the smallest message the partner refused as too large.
    private func sendUnsent() async throws -> (freed: Int, smallestTooLarge: Int?) {
        let now = clock()
        let claimed = try await database.transaction { db in
            try await PayoutRepository.claimUnsent(worker: worker, until: now.addingTimeInterval(claimLease), at: now, on: db)
        }
        var freed = 0
        var smallestTooLarge: Int?
        for message in claimed {
            do {
                freed += try await send(message)
            } catch let tooLarge as TooLarge {
                freed += tooLarge.freed
                smallestTooLarge = min(smallestTooLarge ?? .max, message.pain001.utf8.count)
            }
        }
        return (freed, smallestTooLarge)
    }

    /// `send` found the message too large for the partner; `freed` transfers go in smaller ones.
    private struct TooLarge: Error {
        let freed: Int
    }

    private func send(_ message: ClaimedPayout) async throws -> Int {
        let now = clock()
        let payoutId = message.id
        switch try await checkStanding(message, at: now) {
        case .send: break
        case .done(let freed): return freed
        case .alreadyThere(let document):
            try await adopt(document, of: message, at: now)
            return 0
        }
        do {
            let submission = try await payoutPartner.wrapped.submit(pain001: message.pain001, messageId: message.messageId)
            let stillMine = try await database.transaction { db in
                try await PayoutRepository.markSubmitted(id: payoutId, worker: worker, pain002: submission.pain002, at: now, on: db)
            }
            if stillMine { try await apply(submission.report, payoutId: payoutId, pain002: submission.pain002) }
            return 0
        } catch let error as PayoutError {
            switch error {
            case .unauthorized, .idempotencyConflict:
                // Drop itself is refused, no customer's doing: a person looks, the message waits unchanged. Held like
                // any refused request (`refusedRequestRecheck`): put back, it went again every run, the customers'
                // payees and accounts to a partner refusing Drop's credentials, until it locked Drop out.
                let status = if case .unauthorized(let status) = error { status } else { 409 }
                try await database.transaction { db in
                    try await PayoutRepository.holdClaim(id: payoutId, worker: worker, until: now.addingTimeInterval(Self.refusedRequestRecheck), at: now, on: db)
                    try await Self.partnerRefused(httpStatus: status, entity: ("payout", payoutId), dedupe: payoutId, at: now, on: db)
                }
                logger.error("payout partner refused Drop", metadata: ["payout_id": .string(payoutId), "http_status": .stringConvertible(status)])
                return 0
            case .rejectedInstructions(_, _, _, let named):
                return try await refused(payoutId, named: named, codes: error.reasonCodes, at: now)
            case .rejected(_, _, let reasons) where !reasons.isEmpty && reasons.allSatisfy({ $0.code == Self.pastDateReason }):
                // Refused for its date alone (written before midnight, arriving after): nothing of the
                // customers' is wrong. Taken back and its transfers sent in a new message dated today.
                return try await rebuild(message, because: "the partner refused its past date", at: now)
            case .rejected:
                return try await refused(payoutId, named: [], codes: error.reasonCodes, at: now)
            case .messageTooLarge:
                // The partner doesn't have it and will never take these bytes: resent as they were, every
                // run, its customers' NOK waited at the partner for good. Withdrawn, its transfers go in
                // smaller messages, and operations lower `PAYOUT_MAX_MESSAGE_BYTES` under the partner's cap.
                throw TooLarge(freed: try await rebuild(message, because: "the partner found it too large", at: now) { db in
                    try await Self.partnerRefused(httpStatus: 413, entity: ("payout", payoutId), dedupe: "message_size", at: now, on: db)
                })
            case .requestRefused(_, let status):
                // The partner refuses the request itself (an endpoint gone, a media type or jurisdiction it
                // won't serve), not the customers' payouts: none fails, and resending every run changes
                // nothing. Held for `refusedRequestRecheck` with one open alert per status; then the partner is
                // asked whether it has it and, if not, its transfers go in a new message dated that day.
                try await database.transaction { db in
                    try await PayoutRepository.holdClaim(id: payoutId, worker: worker, until: now.addingTimeInterval(Self.refusedRequestRecheck), at: now, on: db)
                    try await Self.partnerRefused(httpStatus: status, entity: ("payout", payoutId), dedupe: "send", at: now, on: db)
                }
                logger.error("payout partner refused the request sending a message", metadata: [
                    "payout_id": .string(payoutId), "http_status": .stringConvertible(status),
                ])
                return 0
            case .unknownMessage, .returnRefused, .returnAnswerInvalid, .reportAboutAnotherMessage:
                try await database.transaction { try await PayoutRepository.releaseClaim(id: payoutId, worker: worker, at: now, on: $0) }
                return 0
            }
        } catch is ProviderError {
            // Down or breaker open: the message goes back to `created` and is resent next run.
            try await database.transaction { try await PayoutRepository.releaseClaim(id: payoutId, worker: worker, at: now, on: $0) }
            return 0
        }
    }

    private enum Readiness {
        case send
        /// Not sent: withdrawn (with the transfers freed for a new message), or left for a later run.
        case done(freed: Int)
        /// Not sent again: the partner has it from an earlier try, and this is its status.
        case alreadyThere(PayoutStatusDocument)
    }

    /// How long a message whose sending the partner refused (`PayoutError.requestRefused`) waits before
    /// it is tried again: a person was told, and a request refused for its form isn't taken the next run.
    static let refusedRequestRecheck: TimeInterval = 15 * 60

    /// The reason a partner gives for a requested execution date already past.
    static let pastDateReason = "DT01"

    /// Whether the message asks for a day before today in Oslo: the partner, on today's business
    /// date, may refuse it (`DT01`). Drop's own bytes; were they unreadable, it is sent as it is.
    static func isDatedBefore(today now: Date, _ pain001: String) -> Bool {
        guard let date = try? Pain001Writer.requestedExecutionDate(in: pain001) else { return false }
        return date < OsloCalendar.today(now)
    }

    /// The partner refused the message for something not the customers' (its date, its size): it doesn't
    /// have it from this send. An earlier try may have reached it, so the partner is asked first (a new
    /// message would then pay twice); otherwise the message is withdrawn and its transfers go in a new
    /// one, with `alongside` on the same DB transaction. - Returns: transfers freed.
    private func rebuild(_ message: ClaimedPayout, because why: String, at now: Date,
                         alongside: (@Sendable (DatabaseConnection) async throws -> Void)? = nil) async throws -> Int {
        if message.sendAttempted {
            switch try await partnerHas(message, at: now) {
            case .alreadyThere(let document):
                try await adopt(document, of: message, at: now)
                return 0
            case .done(let freed):
                return freed
            case .send:
                break
            }
        }
        let freed = try await database.transaction { db in
            let freed = try await withdraw(message.id, withoutStanding: [], at: now, on: db)
            if let alongside { try await alongside(db) }
            return freed
        }
        logger.notice("payout message withdrawn: \(why); its transfers go in a new one", metadata: [
            "payout_id": .string(message.id), "transactions": .stringConvertible(freed),
        ])
        return freed
    }

    /// Asks the partner whether it has the message. `.alreadyThere` when it has; `.send` when it
    /// doesn't (404); `.done(0)` when it can't say (down, or refusing Drop: the claim is released).
    private func partnerHas(_ message: ClaimedPayout, at now: Date) async throws -> Readiness {
        do {
            return .alreadyThere(try await payoutPartner.wrapped.statusDocument(messageId: message.messageId))
        } catch PayoutError.unknownMessage {
            return .send
        } catch let error as PayoutError {
            try await database.transaction { db in
                try await PayoutRepository.releaseClaim(id: message.id, worker: worker, at: now, on: db)
                try await Self.raiseAboutStatusRead(error, payoutId: message.id, at: now, on: db)
            }
            return .done(freed: 0)
        } catch is ProviderError {
            try await database.transaction { try await PayoutRepository.releaseClaim(id: message.id, worker: worker, at: now, on: $0) }
            return .done(freed: 0)
        }
    }

    /// The partner has the message from an earlier try whose answer was lost: submitted, with its status now.
    private func adopt(_ document: PayoutStatusDocument, of message: ClaimedPayout, at now: Date) async throws {
        let stillMine = try await database.transaction { db in
            try await PayoutRepository.markSubmitted(id: message.id, worker: worker, pain002: document.pain002, at: now, on: db)
        }
        if stillMine { try await apply(document.report, payoutId: message.id, pain002: document.pain002) }
    }

    /// A payer in the message may have lost their standing (sanctioned, rejected, erased) after it was
    /// written, while the partner was down: their transfer must not be paid as stored. A message never
    /// tried is withdrawn and its transfers freed (`payments.withdraw-unavailable` holds the payer's;
    /// the others go in the next message), on the DB transaction that found it. One tried before may
    /// be at the partner: it is asked, and withdrawn only when it doesn't know the message; otherwise
    /// it goes (the same bytes get the partner's first answer) and operations are told which transfer.
    /// The message is stamped as tried on the DB transaction that found every payer in good standing,
    /// which shares their rows with the verdicts (`PayoutRepository.lockPayers`): one strictly precedes the other.
    private func checkStanding(_ message: ClaimedPayout, at now: Date) async throws -> Readiness {
        let payoutId = message.id
        // Written on an earlier Oslo day (the partner was down, or its answer lost, until after midnight):
        // sent as it is, a partner on today's date may refuse it (`DT01`) and every transfer in it fail.
        let stale = Self.isDatedBefore(today: now, message.pain001)
        let (readiness, withoutStanding) = try await database.transaction { db -> (Readiness?, [String]) in
            // The payers' rows first: a verdict on one of them is then either read here or made after the stamp.
            try await PayoutRepository.lockPayers(ofPayout: payoutId, on: db)
            let withoutStanding = try await PayoutRepository.membersWithoutStanding(ofPayout: payoutId, on: db)
            if !withoutStanding.isEmpty || stale, !message.sendAttempted {
                return (.done(freed: try await withdraw(payoutId, withoutStanding: withoutStanding, at: now, on: db)), withoutStanding)
            }
            guard try await PayoutRepository.markSendAttempted(id: payoutId, worker: worker, at: now, on: db) else { return (.done(freed: 0), []) }
            return (withoutStanding.isEmpty && !stale ? .send : nil, withoutStanding)
        }
        if let readiness {
            if case .done = readiness, !withoutStanding.isEmpty { logWithdrawn(payoutId, withoutStanding) }
            return readiness
        }
        let document: PayoutStatusDocument
        do {
            document = try await payoutPartner.wrapped.statusDocument(messageId: message.messageId)
        } catch PayoutError.unknownMessage {
            // Tried before, but the partner never had it: withdrawn as if never tried.
            let freed = try await database.transaction { try await withdraw(payoutId, withoutStanding: withoutStanding, at: now, on: $0) }
            logWithdrawn(payoutId, withoutStanding)
            return .done(freed: freed)
        } catch let error as PayoutError {
            try await database.transaction { db in
                try await PayoutRepository.releaseClaim(id: payoutId, worker: worker, at: now, on: db)
                try await Self.raiseAboutStatusRead(error, payoutId: payoutId, at: now, on: db)
            }
            return .done(freed: 0)
        } catch is ProviderError {
            // Unknown whether the partner has it: asked again next run, never sent meanwhile.
            try await database.transaction { try await PayoutRepository.releaseClaim(id: payoutId, worker: worker, at: now, on: $0) }
            return .done(freed: 0)
        }
        // The partner has it: Drop can't take it back. A person asks the partner to stop these.
        guard !withoutStanding.isEmpty else { return .alreadyThere(document) }
        try await database.transaction { db in
            for transactionId in withoutStanding {
                try await OperationsAlertRepository.raise(
                    .payoutWithoutStanding, entityType: "transaction", entityId: transactionId,
                    details: OperationsAlertDetails.PayoutWithoutStanding(payoutId: payoutId, messageId: message.messageId),
                    dedupeKey: "payout_without_standing:\(transactionId)", at: now, on: db)
            }
        }
        logger.error("payout partner already had a message with a transfer whose payer lost their standing", metadata: [
            "payout_id": .string(payoutId), "transactions": .stringConvertible(withoutStanding.count),
        ])
        // Its date passed: not sent again (a partner on today's date may refuse the bytes); its status is taken.
        return stale ? .alreadyThere(document) : .send
    }

    /// `PayoutRepository.withdraw`; 0 when another worker took the message over.
    private func withdraw(_ payoutId: String, withoutStanding: [String], at now: Date, on db: DatabaseConnection) async throws -> Int {
        try await PayoutRepository.withdraw(id: payoutId, worker: worker, withoutStanding: withoutStanding, at: now, on: db) ?? 0
    }

    private func logWithdrawn(_ payoutId: String, _ withoutStanding: [String]) {
        logger.notice("payout message withdrawn before sending: a payer in it lost their standing", metadata: [
            "payout_id": .string(payoutId), "transactions": .stringConvertible(withoutStanding.count),
        ])
    }

    /// The partner refused the whole message. The transactions it names fail; the others are
    /// freed for a new message. When it names none, the message as a whole was bad: all fail.
    /// - Returns: transfers freed.
    private func refused(_ payoutId: String, named: [PaymentTransactionStatus], codes: [String], at now: Date) async throws -> Int {
        let freed = try await database.transaction { db -> Int in
            guard try await PayoutRepository.markRejected(id: payoutId, worker: worker, pain002: nil, at: now, on: db) else { return 0 }
            let members = try await PayoutRepository.members(ofPayout: payoutId, on: db)
            var innocent: [String] = []
            for member in members where member.status == .processing {
                if let verdict = named.first(where: { $0.originalEndToEndId == member.endToEndId }) {
                    try await outcomes.fail(member.transactionId, reason: "payout:\(verdict.reasonCode ?? "RJCT")", at: now, on: db)
                } else if named.isEmpty {
                    try await outcomes.fail(member.transactionId, reason: "payout:\(codes.first ?? "rejected")", at: now, on: db)
                } else {
                    innocent.append(member.transactionId)
                }
            }
            try await PayoutRepository.release(transactionIds: innocent, fromPayout: payoutId, at: now, on: db)
            try await OperationsAlertRepository.raise(
                .payoutInstructionInvalid, entityType: "payout", entityId: payoutId,
                details: OperationsAlertDetails.RejectedMessage(reasons: codes.joined(separator: ","), named: named.count), dedupeKey: "payout_rejected:\(payoutId)", at: now, on: db)
            return innocent.count
        }
        logger.error("payout partner rejected a message", metadata: [
            "payout_id": .string(payoutId), "reasons": .string(codes.joined(separator: ",")), "resent": .stringConvertible(freed),
        ])
        return freed
    }

    /// Reads the partner's pain.002 for every message not yet final and applies it.
    func pollReports() async throws -> Int {
        let open = try await database.withConnection { try await PayoutRepository.submitted(on: $0) }
        var changed = 0
        for (payoutId, messageId) in open {
            let document: PayoutStatusDocument
            do {
                document = try await payoutPartner.wrapped.statusDocument(messageId: messageId)
            } catch let error as ProviderError {
                // Down: asked again next run. Any other answer (a 4xx the client has no name for, a body that
                // isn't a pain.002) won't change by itself: skipped silently, the message was asked about every
                // run for good, its transfers `processing`, and nobody told.
                guard !Self.partnerIsDown(error) else { continue }
                let now = clock()
                if case .http(_, let status, _) = error {
                    try await database.transaction { db in
                        try await Self.partnerRefused(httpStatus: status, entity: ("payout", payoutId), dedupe: payoutId, at: now, on: db)
                    }
                } else {
                    try await reportMismatch(payoutId, OperationsAlertDetails.PayoutReportMismatch(issue: "unreadable"), at: now)
                }
                continue
            } catch let error as PayoutError {
                // Credentials refused, or an answer about this one message (the partner doesn't know it:
                // 404; a report about another message): operations hear of it, and the other messages are
                // still read. Thrown, it stopped every run at the same oldest message, and no later one was ever read.
                let now = clock()
                try await database.transaction { try await Self.raiseAboutStatusRead(error, payoutId: payoutId, at: now, on: $0) }
                continue
            }
            changed += try await apply(document.report, payoutId: payoutId, pain002: document.pain002)
        }
        return changed
    }

    /// Moves each transfer the report settles or rejects; the payout is `completed` when none is left open.
    ///
    /// A partner may report a whole message (`GrpSts`) or a payment group (`PmtInfSts`) without
    /// naming each transaction: that status is each member's unless the member has one of its own
    /// (`PaymentStatusReport.verdict(on:inPaymentGroup:)`). Otherwise a rejected message would never
    /// be returned and an accepted one never completed, and the message would be asked about forever.
    ///
    /// Only what matches the pain.001 Drop sent is taken (`PayoutReportCheck`, read from the stored
    /// bytes): a report describing another message (its count or control sum differ) moves no transfer,
    /// nor does a transaction named wrongly; operations hear of each (`payout_report_mismatch`). Taken,
    /// a partner's mix-up failed transfers it was paying (their NOK returned: paid twice) or completed
    /// ones it never paid.
    @discardableResult
    private func apply(_ report: PaymentStatusReport, payoutId: String, pain002: String) async throws -> Int {
        let now = clock()
        var changed = 0
        let (open, pain001) = try await database.withConnection { db in
            (try await PayoutRepository.members(ofPayout: payoutId, on: db).filter { $0.status == .processing },
             try await PayoutRepository.pain001(idOrMessageId: payoutId, on: db))
        }
        // Drop's own bytes, kept while the message is open; were they unreadable, nothing could be checked.
        guard let sent = pain001.flatMap({ try? SentPayoutMessage(pain001: $0) }) else {
            try await reportMismatch(payoutId, OperationsAlertDetails.PayoutReportMismatch(issue: "sent_message_unreadable"), at: now)
            return 0
        }
        let check = PayoutReportCheck(report, against: sent)
        if let issue = check.messageIssue {
            try await reportMismatch(payoutId, OperationsAlertDetails.PayoutReportMismatch(issue: issue.rawValue), at: now)
            return 0
        }
        if !check.transactionIssues.isEmpty {
            let issues = Set(check.transactionIssues.values).sorted()
            try await reportMismatch(payoutId, OperationsAlertDetails.PayoutReportMismatch(
                issue: issues.map(\.rawValue).joined(separator: ","),
                endToEndIds: check.transactionIssues.keys.sorted().prefix(OperationsAlertDetails.PayoutReportMismatch.maximumNamed).map { $0 },
                named: check.transactionIssues.count), at: now)
        }
        for member in open {
            let verdict = check.verdict(on: member.endToEndId)
            guard let status = verdict.status else { continue }
            switch status.payoutEvent {
            case .payoutSettled?:
                if try await outcomes.complete(member.transactionId, at: now) { changed += 1 }
            case .payoutFailed?:
                let reason = verdict.reasons.lazy.compactMap(\.code).first ?? status.rawValue
                if try await outcomes.fail(member.transactionId, reason: "payout:\(reason)", at: now) { changed += 1 }
            default:
                break
            }
        }
        try await database.transaction { db in
            try await PayoutRepository.recordReport(payoutId: payoutId, pain002: pain002, at: now, on: db)
        }
        return changed
    }

    /// `payout_report_mismatch` about a message, once per message and issue: a partner that keeps
    /// answering so is told of once, and the message is asked about again each run.
    private func reportMismatch(_ payoutId: String, _ details: OperationsAlertDetails.PayoutReportMismatch, at now: Date) async throws {
        let raised = try await database.transaction { db in
            try await OperationsAlertRepository.raise(.payoutReportMismatch, entityType: "payout", entityId: payoutId, details: details,
                                                      dedupeKey: "payout_report_mismatch:\(payoutId):\(details.issue)", at: now, on: db)
        }
        guard raised else { return }
        logger.error("payout partner's status report does not match the message sent", metadata: [
            "payout_id": .string(payoutId), "issue": .string(details.issue),
        ])
    }

    // MARK: Returns

    /// Asks the partner to return the NOK of every transfer that needs it, and moves those whose
    /// return the partner has completed, for the amount asked, to `refunded`. Safe to run twice and
    /// from two workers: the return id is the transfer's own, so the partner makes one return per
    /// transfer. Only a partner that is down stops the run; anything about one return (a refusal,
    /// an answer Drop can't read or that isn't the return asked for, a failed return) is raised
    /// for operations and the returns after it are still asked about. Each return is stamped as it
    /// is asked, and those asked least recently go first, so every open return gets its turn however
    /// many can't finish; a failed or refused one (a person was told) is asked again after a day.
    /// - Returns: transfers refunded.
    func processReturns() async throws -> Int {
        let client = payoutPartner.wrapped
        let open = try await database.withConnection { [clock] in try await PayoutRepository.openReturns(now: clock(), on: $0) }
        var refunded = 0
        for entry in open {
            let now = clock()
            let returnId = Self.returnId(forTransaction: entry.transactionId)
            try await database.transaction { try await PayoutRepository.scheduleReturnCheck(transactionId: entry.transactionId, at: now, on: $0) }
            do {
                var partnerReturnId = entry.partnerReturnId
                if partnerReturnId == nil {
                    guard let account = entry.debtorAccount else {
                        // No Norwegian number to send the NOK back to (the account is gone, or foreign): a
                        // person settles it; skipped silently it waited for `return_overdue`, asked every run.
                        try await raiseAboutReturn(entry.transactionId, OperationsAlertDetails.ReturnAccountUnknown(),
                                                   dedupe: "return_account_unknown:\(entry.transactionId)", askAgainLater: true, at: now)
                        continue
                    }
                    let accepted = try await client.requestReturn(
                        returnId: returnId, endToEndId: entry.endToEndId, amountMinor: entry.amountMinor, toAccount: account)
                    try Self.check(accepted, isReturnOf: entry, returnId: returnId)
                    try await database.transaction { db in
                        try await PayoutRepository.recordReturnId(transactionId: entry.transactionId, partnerReturnId: accepted.id, at: now, on: db)
                    }
                    partnerReturnId = accepted.id
                }
                guard let partnerReturnId else { continue }
                let answer = try await client.returnStatus(id: partnerReturnId)
                // Refunded only for the return asked for, to the øre: another amount is not this transfer's money back.
                guard answer.id == partnerReturnId else { throw PayoutError.returnAnswerInvalid(returnId: returnId, issue: "id") }
                try Self.check(answer, isReturnOf: entry, returnId: returnId)
                switch answer.status {
                case .pending:
                    continue
                case .failed:
                    // The NOK stays with the partner: a person settles the customer's return by hand.
                    try await raiseAboutReturn(entry.transactionId, OperationsAlertDetails.ReturnFailed(reason: answer.reason ?? "UNKNOWN"),
                                               dedupe: "return_failed:\(entry.transactionId)", askAgainLater: true, at: now)
                case .completed:
                    if try await outcomes.refund(entry.transactionId, at: now) { refunded += 1 }
                }
            } catch PayoutError.returnRefused(let code) {
                // The partner says it holds no such NOK: Drop's records and the partner's disagree.
                try await database.transaction { db in
                    try await OperationsAlertRepository.raise(
                        .reconciliationMismatch, entityType: "transaction", entityId: entry.transactionId, details: OperationsAlertDetails.ReturnRefused(returnRefused: code),
                        dedupeKey: "return_refused:\(entry.transactionId)", at: now, on: db)
                    try await Self.askAgainLater(entry.transactionId, from: now, on: db)
                }
            } catch PayoutError.unauthorized(let status) {
                try await database.transaction { db in
                    try await Self.partnerRefused(httpStatus: status, entity: ("transaction", entry.transactionId), dedupe: "returns", at: now, on: db)
                }
                break
            } catch PayoutError.returnAnswerInvalid(_, let issue) {
                try await raiseAboutReturn(entry.transactionId, OperationsAlertDetails.ReturnAnswerInvalid(issue: issue),
                                           dedupe: "return_answer_invalid:\(entry.transactionId):\(issue)", at: now)
            } catch let error as PayoutError {
                // Any other refusal is this return's (a malformed account, a clash): raised, and the
                // returns after it are still asked for.
                try await database.transaction { db in
                    try await Self.partnerRefused(httpStatus: error.httpStatus, entity: ("transaction", entry.transactionId),
                                                  dedupe: "return:\(entry.transactionId)", at: now, on: db)
                    try await Self.askAgainLater(entry.transactionId, from: now, on: db)
                }
            } catch let error as ProviderError {
                if Self.partnerIsDown(error) { break }  // next run
                // Something about this return alone (an answer Drop can't read, a stored partner id it
                // won't send): stopping here stopped every later return too, run after run.
                let issue = switch error {
                case .invalidRequest: "id"
                case .http(_, let status, _): "http_\(status)"
                default: "unreadable"
                }
                try await raiseAboutReturn(entry.transactionId, OperationsAlertDetails.ReturnAnswerInvalid(issue: issue),
                                           dedupe: "return_answer_invalid:\(entry.transactionId):\(issue)", at: now)
            }
        }
        return refunded
    }

    /// Throws `returnAnswerInvalid` unless `answer` is the return asked for `entry`.
    private static func check(_ answer: PayoutReturn, isReturnOf entry: DueReturn, returnId: String) throws {
        if let issue = answer.mismatch(returnId: returnId, endToEndId: entry.endToEndId, amountMinor: entry.amountMinor) {
            throw PayoutError.returnAnswerInvalid(returnId: returnId, issue: issue)
        }
    }

    /// Unreachable, timing out, failing (5xx, 408, 429) or behind an open breaker: no later call would fare better.
    static func partnerIsDown(_ error: ProviderError) -> Bool {
        if case .circuitOpen = error { return true }
        return error.isTransient
    }

    /// `reconciliation_mismatch` about one transfer's return, once per problem; `askAgainLater` for
    /// an answer that won't change by itself.
    private func raiseAboutReturn(_ transactionId: String, _ details: some Encodable & Sendable, dedupe: String, askAgainLater: Bool = false,
                                  at now: Date) async throws {
        try await database.transaction { db in
            try await OperationsAlertRepository.raise(.reconciliationMismatch, entityType: "transaction", entityId: transactionId, details: details,
                                                      dedupeKey: dedupe, at: now, on: db)
            if askAgainLater { try await Self.askAgainLater(transactionId, from: now, on: db) }
        }
        logger.error("payout partner's answer about a return needs a person", metadata: ["transaction_id": .string(transactionId)])
    }

    /// How long a return whose failure or refusal was raised for a person waits before it is asked about again.
    static let raisedReturnRecheck: TimeInterval = 24 * 3600

    /// A failed or refused return won't change by itself, and a person was told: asked about again after a day.
    private static func askAgainLater(_ transactionId: String, from now: Date, on db: DatabaseConnection) async throws {
        try await PayoutRepository.scheduleReturnCheck(transactionId: transactionId, at: now.addingTimeInterval(raisedReturnRecheck), on: db)
    }

    /// A status read about a message refused or answered about another message: `payout_report_mismatch`
    /// for the latter (it is no refusal), `payout_partner_refused` otherwise; once per message and problem.
    private static func raiseAboutStatusRead(_ error: PayoutError, payoutId: String, at now: Date, on db: DatabaseConnection) async throws {
        guard case .reportAboutAnotherMessage = error else {
            try await partnerRefused(httpStatus: error.httpStatus, entity: ("payout", payoutId), dedupe: payoutId, at: now, on: db)
            return
        }
        let issue = PayoutReportCheck.MessageIssue.messageId.rawValue
        try await OperationsAlertRepository.raise(.payoutReportMismatch, entityType: "payout", entityId: payoutId,
                                                  details: OperationsAlertDetails.PayoutReportMismatch(issue: issue),
                                                  dedupeKey: "payout_report_mismatch:\(payoutId):\(issue)", at: now, on: db)
    }

    /// The partner refuses Drop itself (credentials, message id clash): one open alert per thing and status.
    private static func partnerRefused(httpStatus: Int, entity: (type: String, id: String), dedupe: String, at now: Date, on db: DatabaseConnection) async throws {
        try await OperationsAlertRepository.raise(
            .payoutPartnerRefused, entityType: entity.type, entityId: entity.id, details: OperationsAlertDetails.PartnerRefused(httpStatus: httpStatus),
            dedupeKey: "payout_partner_refused:\(dedupe):\(httpStatus)", at: now, on: db)
    }

    /// Drop's id for the return of a transfer's NOK: one per transfer, 1–35 letters and digits.
    static func returnId(forTransaction id: String) -> String {
        "R" + id.replacingOccurrences(of: "-", with: "").prefix(34)
    }

    // MARK: Instructions

    /// The message's debtor: the collection account, which payouts are made from.
    private func debtor() throws -> PayoutDebtor {
        let number = try NorwegianAccountNumber(collectionAccount.number)
        return PayoutDebtor(name: collectionAccount.name, iban: number.iban, bic: try BIC(collectionAccount.bic))
    }

    /// The instruction for a due transfer, to the payee as it was when the transfer was made.
    static func instruction(_ due: DuePayout) throws -> PayoutInstruction {
        guard let payee = due.payee else {
            throw ValidationIssue(field: "payee", issue: ValidationIssue.Code.unsupported, message: "The transfer has no payee.")
        }
        // The amount is the transfer's, in the currency it was priced in: a payee snapshot in another currency
        // would have the partner pay that many units of the wrong money (and the message is per currency).
        guard payee.currency.rawValue == due.currency else {
            throw ValidationIssue(field: "currency", issue: ValidationIssue.Code.unsupported, message: "The payee's currency is not the transfer's.")
        }
        guard let corridor = Corridors.find(country: payee.country, currency: payee.currency) else {
            throw ValidationIssue(field: "corridor", issue: ValidationIssue.Code.unsupported, message: "Drop no longer pays out there.")
        }
        return try PayoutInstruction(
            endToEndId: try EndToEndId(due.endToEndId), amount: Money(minorUnits: due.amountMinor, currency: payee.currency),
            recipient: payee, corridor: corridor, remittanceInformation: "Drop")
    }
}

/// What a payout's outcome does to a transfer, each in one DB transaction with its history,
/// audit row and notification.
struct PayoutOutcomes: Sendable {
    let database: Database

    @discardableResult
    func complete(_ id: String, at now: Date) async throws -> Bool {
        try await database.transaction { db in
            guard let record = try await TransactionStatusRepository.find(id: id, on: db),
                  case .success(let transition) = TransferStatus.transition(from: record.status, on: .payoutSettled),
                  try await TransactionStatusRepository.apply(transition, to: id, actor: .provider("payout-partner"), at: now, on: db) else { return false }
            try await NotificationRepository.insert(PaymentNotifications.statusChanged(record, to: transition.to, at: now), on: db)
            return true
        }
    }

    /// The payout can't be made: the transfer fails and its NOK is asked back from the partner.
    /// With `alert`, operations hear of it too.
    @discardableResult
    func fail(_ id: String, reason: String, alert: (kind: OperationsAlert.Kind, details: any Encodable & Sendable)? = nil, at now: Date) async throws -> Bool {
        try await database.transaction { db in
            guard try await fail(id, reason: reason, at: now, on: db) else { return false }
            if let alert {
                try await OperationsAlertRepository.raise(alert.kind, entityType: "transaction", entityId: id, details: alert.details,
                                                          dedupeKey: "\(alert.kind.rawValue):\(id)", at: now, on: db)
            }
            return true
        }
    }

    /// `fail` on the caller's DB transaction. - Returns: false when the transfer was no longer `processing`.
    @discardableResult
    func fail(_ id: String, reason: String, at now: Date, on db: DatabaseConnection) async throws -> Bool {
        guard let record = try await TransactionStatusRepository.find(id: id, on: db),
              case .success(let transition) = TransferStatus.transition(from: record.status, on: .payoutFailed),
              try await TransactionStatusRepository.apply(transition, to: id, actor: .provider("payout-partner"), failureReason: reason, at: now, on: db)
        else { return false }
        try await TransactionRepository.requestReturn(id: id, reason: reason, at: now, on: db)
        try await NotificationRepository.insert(Self.returning(record, at: now), on: db)
        return true
    }

    /// The partner confirmed the return: `refunded` (from `failed`, `expired` or `cancelled`), once.
    func refund(_ id: String, at now: Date) async throws -> Bool {
        try await database.transaction { db in
            guard let record = try await TransactionStatusRepository.find(id: id, on: db),
                  case .success(let transition) = TransferStatus.transition(from: record.status, on: .refundedByPartner),
                  try await PayoutRepository.markReturned(transactionId: id, at: now, on: db),
                  try await TransactionStatusRepository.apply(transition, to: id, actor: .provider("payout-partner"), at: now, on: db)
            else { return false }
            try await NotificationRepository.insert(Self.returned(record, at: now), on: db)
            return true
        }
    }

    /// Says what is true while the return is under way: the money has left the account and is coming back.
    /// Its own kind, since `transaction.failed` says no money has left the account.
    static func returning(_ record: TransactionStatusRecord, at now: Date) -> NotificationRecord {
        NotificationRecord(userId: record.userId, kind: .transactionReturning, title: "Payment failed",
                           body: "The payment could not be made. The money is being returned to your account; we'll tell you when it has arrived.",
                           link: NotificationLink(transactionId: record.id), createdAt: now)
    }

    static func returned(_ record: TransactionStatusRecord, at now: Date) -> NotificationRecord {
        NotificationRecord(userId: record.userId, kind: .transaction(.refunded), title: "Money returned",
                           body: "The money from the payment has been returned to your account.",
                           link: NotificationLink(transactionId: record.id), createdAt: now)
    }
}

extension PayoutService {
    /// What `payout.created` records.
    struct Batched: Encodable {
        let currency: String
        let transactions: Int
    }
}
