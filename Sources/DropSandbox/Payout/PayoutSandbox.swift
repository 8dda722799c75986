import Crypto
import DropCore
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Simulates Drop's payout partner: a bank that takes ISO 20022 pain.001.001.09 credit transfer
/// initiations and reports on them with pain.002.001.10 (docs/protocols.md §6, docs/decisions/0003).
///
/// - `POST {mount}/v1/pain001` (`Content-Type: application/xml`, HTTP Basic, `Idempotency-Key`):
///   validates like a bank — well-formed XML, the pain.001.001.09 namespace, the schema's
///   elements in order, NbOfTxs and CtrlSum, currencies and decimals, IBAN check digits, BIC
///   shapes, unique EndToEndIds, a MsgId not seen before — and answers 400 with a pain.002
///   (`GrpSts` RJCT, one `StsRsnInf` per problem) or 202 with a pain.002 (`GrpSts` ACTC, each
///   transaction PDNG). A repeated key with the same body gets the first answer again
///   (`Idempotent-Replayed: true`); the same key with another body gets 409.
/// - `GET {mount}/v1/pain001/{msgId}/pain002`: the message's current statuses.
/// - `POST {mount}/v1/returns` (JSON `returnId`, `endToEndId`, `amountMinor`, `currency` NOK,
///   `account`; `returnId` is the idempotency key): pays NOK the partner collected for a payout
///   it did not make back to the account it came from, `returnDelay` later. Refused (422
///   `FUNDS_NOT_HELD`, `ALREADY_RETURNED`, `PAYOUT_NOT_REJECTED`) unless the collection account
///   received that much from that account for that end-to-end id and the payout was rejected or
///   never sent. `GET {mount}/v1/returns/{id}`: `pending`, `completed`, or `failed` with a `reason`
///   (`AC04`) when the account it came from no longer takes the NOK (the bank refuses the credit).
///
/// A refusal names the transactions it is about (`TxInfAndSts` RJCT with the reasons), so the
/// client can send the others again in a new message.
///
/// Each transaction settles `settlementDelay` after acceptance (on the injected clock) and is
/// credited `creditDelay` later: `ACSC` → `ACCC`. Test rules: a creditor account (IBAN or other
/// id) ending in `0000` does not exist → `RJCT AC01`; a creditor name containing `SANCTIONED`
/// → `RJCT RR04`; a creditor name containing `UNREADABLE` makes the whole message refused
/// (`FF01`, naming that transaction); a `ReqdExctnDt` before the partner's Oslo date → the message refused
/// (`DT01`). Statuses move when reports are read or `settleDue()` is called, so tests move
/// the clock instead of sleeping.
///
/// Mount: `sandbox.addRoutes(to: router.group("sandbox/payout"))`.
/// Misbehave: `faults.fault = .unavailable`, `faults.failNext(2, with: .serverError)`; report less
/// detail, as some partners do: `.groupStatusOnly` (`GrpSts` alone), `.paymentGroupStatusOnly`
/// (`PmtInfSts` alone); or give the message's Verification of Payee outcome as its status:
/// `.payeeVerificationGroupStatus` (`GrpSts` `RCVC`).
public final class PayoutSandbox: Sendable {
    public let configuration: PayoutSandboxConfiguration
    public let faults: SandboxFaultControl
    let store: PayoutSandboxStore
    let collection: (any PayoutSandboxCollectionAccount)?
    let now: @Sendable () -> Date
    let logger: Logger
    private let schema = Pain001Schema()

    /// Creditor accounts ending in this do not exist at the creditor's bank (`RJCT AC01`).
    public static let nonexistentAccountSuffix = "0000"
    /// Creditor names containing this (any case) are on a sanctions list (`RJCT RR04`).
    public static let sanctionedNameMarker = "SANCTIONED"
    /// Creditor names containing this (any case) make the partner refuse the whole message (`FF01`).
    public static let unreadableNameMarker = "UNREADABLE"
    /// A failed return's reason: the account the NOK came from is closed.
    static let closedAccountReason = "AC04"

    /// - Parameter collection: where users' NOK arrives, to check and pay returns (none: every return is refused).
    /// - Throws: when the state file exists but cannot be read.
    public init(
        configuration: PayoutSandboxConfiguration,
        faults: SandboxFaultControl = SandboxFaultControl(),
        collection: (any PayoutSandboxCollectionAccount)? = nil,
        now: @escaping @Sendable () -> Date = { Date() },
        logger: Logger = Logger(label: "drop.sandbox.payout")
    ) throws {
        self.configuration = configuration
        self.faults = faults
        self.collection = collection
        self.now = now
        self.logger = logger
        self.store = try PayoutSandboxStore(stateFilePath: configuration.stateFilePath, logger: logger)
    }

    public func addRoutes<Context: RequestContext>(to group: RouterGroup<Context>) {
        group.post("v1/pain001") { request, _ in
            await self.api(request) { fault in
                if case .refusedSubmission(let status)? = fault {
                    throw PayoutSandboxHTTPError(HTTPResponse.Status(code: status), "The payment hub does not take this request.")
                }
                return try await self.submit(request)
            }
        }
        group.get("v1/pain001/:messageId/pain002") { request, context in
            await self.api(request) { fault in
                let detail: PayoutSandboxReport.Detail = switch fault {
                case .groupStatusOnly?: .group
                case .paymentGroupStatusOnly?: .paymentGroups
                case .payeeVerificationGroupStatus?: .transactionsAfterPayeeVerification
                default: .transactions
                }
                let misreport: PayoutMisreport? = if case .misreport(let way)? = fault { way } else { nil }
                if case .refused(let status)? = misreport {
                    throw PayoutSandboxHTTPError(HTTPResponse.Status(code: status), "The payment hub does not take this request.")
                }
                return try await self.statusReport(messageId: context.parameters.get("messageId") ?? "", detail: detail, misreport: misreport)
            }
        }
        group.post("v1/returns") { request, _ in
            await self.api(request) { _ in try await self.requestReturn(request) }
        }
        group.get("v1/returns/:id") { request, context in
            await self.api(request) { _ in try await self.returnStatus(id: context.parameters.get("id") ?? "") }
        }
    }

    /// Settles or rejects every transaction whose time has come and completes due returns.
    /// - Returns: how many transactions changed.
    @discardableResult
    public func settleDue() async throws -> Int {
        try await completeDueReturns()
        return try await store.settleDue(at: now())
    }

    /// Every end-to-end id the partner was ever asked to pay, in a message it accepted.
    public func acceptedEndToEndIds() async -> Set<String> {
        await store.acceptedEndToEndIds()
    }

    // MARK: Handlers

    private func submit(_ request: Request) async throws -> Response {
        let mediaType = (request.headers[.contentType] ?? "").split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard mediaType == "application/xml" || mediaType == "text/xml" else {
            throw PayoutSandboxHTTPError(.unsupportedMediaType, "Send the pain.001 as application/xml.")
        }
        let body: [UInt8]
        do {
            let buffer = try await request.body.collect(upTo: configuration.maximumMessageBytes)
            body = Array(buffer.readableBytesView)
        } catch {
            throw PayoutSandboxHTTPError(.contentTooLarge, "A pain.001 may be at most \(configuration.maximumMessageBytes) bytes.")
        }
        guard let key = request.headers[HTTPField.Name("Idempotency-Key")!], (1...255).contains(key.utf8.count) else {
            return rejection(nil, [Pain001Reason(code: "FF01", text: "The Idempotency-Key header is required (1 to 255 characters).")])
        }
        let digest = Hex.sha256(of: body)

        // A repeated key is answered before any validation, as the first time.
        if let record = await store.idempotencyRecord(for: key) {
            guard record.bodySHA256 == digest, let first = await store.acceptanceReport(for: record) else {
                return conflict(record.messageId)
            }
            return xmlResponse(.accepted, first, replayed: true, location: record.messageId)
        }

        let document: XMLTree.Element
        do {
            document = try XMLTree.parse(body)
        } catch {
            return rejection(nil, [Pain001Reason(code: "FF01", text: "Not well-formed XML: \(error.description)")])
        }
        let messageId = document.descendant("CstmrCdtTrfInitn", "GrpHdr")?.value("MsgId")
        let violations = schema.violations(in: document)
        guard violations.isEmpty else { return rejection(messageId, violations, in: document) }
        let inspection: Pain001Inspection
        switch Pain001Inspection.inspect(document) {
        case .success(let inspected): inspection = inspected
        case .failure(let refusal): return rejection(refusal.messageId, refusal.reasons, in: document)
        }
        let unreadable = Self.unreadableCreditors(inspection)
        guard unreadable.isEmpty else { return rejection(inspection.messageId, unreadable, in: document) }
        let pastDates = Self.pastExecutionDates(document, today: OsloCalendar.today(now()))
        guard pastDates.isEmpty else { return rejection(inspection.messageId, pastDates, in: document) }
        if await store.hasMessage(id: inspection.messageId) {
            return rejection(inspection.messageId, [Pain001Reason(code: "DU01", text: "GrpHdr/MsgId: a message with this id was already received.")])
        }

        let message = accepted(inspection, at: now())
        switch try await store.admit(message, key: key, bodySHA256: digest) {
        case .accepted:
            return xmlResponse(.accepted, message.acceptanceReport, replayed: false, location: message.messageId)
        case .replay(let first):
            return xmlResponse(.accepted, first, replayed: true, location: message.messageId)
        case .conflict:
            return conflict(message.messageId)
        case .duplicateMessageId:
            return rejection(inspection.messageId, [Pain001Reason(code: "DU01", text: "GrpHdr/MsgId: a message with this id was already received.")])
        }
    }

    private func statusReport(messageId: String, detail: PayoutSandboxReport.Detail, misreport: PayoutMisreport?) async throws -> Response {
        guard var message = try await store.message(id: messageId, at: now()) else {
            throw PayoutSandboxHTTPError(.notFound, "No message with this id was received.")
        }
        if misreport == .anotherMessage, let other = try await store.message(otherThan: messageId, at: now()) { message = other }
        return xmlResponse(.ok, PayoutSandboxReport.status(of: message, at: now(), detail: detail, reportedAs: messageId, misreport: misreport),
                           replayed: false, location: nil)
    }

    /// The accepted message with every transaction pending and its fate planned.
    private func accepted(_ inspection: Pain001Inspection, at date: Date) -> PayoutSandboxMessage {
        let settlesAt = date.addingTimeInterval(Self.seconds(configuration.settlementDelay))
        let creditedAt = settlesAt.addingTimeInterval(Self.seconds(configuration.creditDelay))
        var message = PayoutSandboxMessage(
            messageId: inspection.messageId, receivedAt: date, numberOfTransactions: inspection.numberOfTransactions,
            controlSum: inspection.controlSum, acceptanceReport: "",
            paymentGroups: inspection.paymentGroups.map { group in
                PayoutSandboxPaymentGroup(
                    id: group.id, numberOfTransactions: group.transactions.count, controlSum: group.controlSum,
                    transactions: group.transactions.map { transaction in
                        PayoutSandboxTransaction(
                            endToEndId: transaction.endToEndId, amount: transaction.amount, currency: transaction.currency,
                            status: .pending, reasonCode: nil, reasonText: nil,
                            settlesAt: settlesAt, creditedAt: creditedAt, plannedRejection: Self.plannedRejection(transaction), acceptedAt: nil
                        )
                    }
                )
            }
        )
        message.acceptanceReport = PayoutSandboxReport.status(of: message, at: date)
        return message
    }

    /// The sandbox's test rules for the creditor's side.
    static func plannedRejection(_ transaction: Pain001Inspection.Transaction) -> PayoutSandboxRejection? {
        if transaction.creditorName.uppercased().contains(sanctionedNameMarker) {
            return PayoutSandboxRejection(code: "RR04", text: "Regulatory reason: the creditor is subject to sanctions.")
        }
        if transaction.account.hasSuffix(nonexistentAccountSuffix) {
            return PayoutSandboxRejection(code: "AC01", text: "The creditor account does not exist at the creditor's bank.")
        }
        return nil
    }

    private static func seconds(_ duration: Duration) -> TimeInterval {
        let (seconds, attoseconds) = duration.components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }

    // MARK: Returns

    private struct ReturnRequest: Decodable {
        let returnId: String
        let endToEndId: String
        let amountMinor: Int64
        let currency: String
        let account: String
    }

    private func requestReturn(_ request: Request) async throws -> Response {
        let buffer = try await request.body.collect(upTo: 64 * 1024)
        guard let body = try? JSONDecoder().decode(ReturnRequest.self, from: Data(buffer.readableBytesView)) else {
            throw PayoutSandboxHTTPError(.badRequest, "Send returnId, endToEndId, amountMinor, currency and account as JSON.")
        }
        guard Self.isReference(body.returnId), Self.isReference(body.endToEndId), body.amountMinor > 0, body.currency == "NOK",
              body.account.count == 11, body.account.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else {
            throw PayoutSandboxHTTPError(.badRequest, "returnId and endToEndId are 1 to 35 letters, digits or -; a positive NOK amount; an 11-digit account.")
        }
        let date = now()
        let candidate = PayoutSandboxReturn(
            id: "RTN" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(24), returnId: body.returnId, endToEndId: body.endToEndId,
            amountMinor: body.amountMinor, currency: body.currency, account: body.account, requestedAt: date,
            completesAt: date.addingTimeInterval(Self.seconds(configuration.returnDelay)), completedAt: nil)
        let received = await collection?.incoming(endToEndId: body.endToEndId)
        switch try await store.admitReturn(candidate, received: received) {
        case .created(let entry):
            logger.info("payout sandbox accepted a return", metadata: ["return_id": "\(entry.id)"])
            return try returnResponse(.created, entry, replayed: false)
        case .replay(let entry):
            return try returnResponse(.ok, entry, replayed: true)
        case .conflict:
            throw PayoutSandboxHTTPError(.conflict, "This returnId was used for a different return.")
        case .refused(let code):
            return PayoutSandboxHTTPError(.unprocessableContent, "The return can't be made: \(code).", code: code).response
        }
    }

    private func returnStatus(id: String) async throws -> Response {
        try await completeDueReturns()
        guard let entry = await store.paymentReturn(id: id) else { throw PayoutSandboxHTTPError(.notFound, "No return with this id.") }
        return try returnResponse(.ok, entry, replayed: false)
    }

    /// Completes due returns and pays each one back exactly once; one the sender's bank doesn't
    /// take fails (`AC04`), as a real partner's return to a closed account does.
    private func completeDueReturns() async throws {
        for entry in try await store.completeDueReturns(at: now()) {
            do {
                try await collection?.pay(entry.amountMinor, to: entry.account)
            } catch {
                logger.notice("payout sandbox could not pay a return", metadata: ["return_id": "\(entry.id)"])
                try await store.failReturn(id: entry.id, reason: Self.closedAccountReason)
            }
        }
    }

    private func returnResponse(_ status: HTTPResponse.Status, _ entry: PayoutSandboxReturn, replayed: Bool) throws -> Response {
        var object: [String: Any] = ["id": entry.id, "returnId": entry.returnId, "endToEndId": entry.endToEndId, "amountMinor": entry.amountMinor,
                                     "currency": entry.currency, "status": entry.status]
        if let completed = entry.completedAt, entry.failureReason == nil { object["completedAt"] = PayoutSandboxReport.timestamp(completed) }
        if let reason = entry.failureReason { object["reason"] = reason }
        var headers: HTTPFields = [.contentType: "application/json"]
        if replayed { headers[HTTPField.Name("Idempotent-Replayed")!] = "true" }
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// 1–35 of `[A-Za-z0-9-]`.
    private static func isReference(_ text: String) -> Bool {
        (1...35).contains(text.utf8.count) && text.utf8.allSatisfy {
            (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) || $0 == 0x2D
        }
    }

    // MARK: Request checks and answers

    /// Faults, then the client's credentials, then the handler (told the fault, for the ones that
    /// change what a correct answer says).
    private func api(_ request: Request, _ handler: (SandboxFault?) async throws -> Response) async -> Response {
        let fault = faults.nextFault()
        switch fault {
        case .unavailable?:
            var response = PayoutSandboxHTTPError(.serviceUnavailable, "The payment hub is unavailable. Try again later.").response
            response.headers[.retryAfter] = "1"
            return response
        case .serverError?:
            return PayoutSandboxHTTPError(.internalServerError, "Internal error.").response
        case .delay(let duration)?:
            try? await Task.sleep(for: duration)
        case .unauthorized?:
            return PayoutSandboxHTTPError(.unauthorized, "The client credentials are not accepted.").response
        case .conflict?:
            return conflict("NOTPROVIDED")
        case .garbage?:
            return Response(status: .ok, headers: [.contentType: "application/xml"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: "<Document xmlns=\"\(PayoutSandboxReport.namespace)\"><CstmrPmtStsRpt>")))
        case nil, .lostAnswer?, .lateAnswer?, .groupStatusOnly?, .paymentGroupStatusOnly?, .payeeVerificationGroupStatus?, .cancellationNeedsAuthorisation?,
             .refusedSubmission?, .misreport?:
            break
        }
        do {
            try authenticate(request)
            let response = try await handler(fault)
            // The partner did the work; the answer never reaches Drop, or reaches it late.
            if fault == .lostAnswer { return PayoutSandboxHTTPError(.internalServerError, "Internal error.").response }
            if case .lateAnswer(let duration)? = fault { try? await Task.sleep(for: duration) }
            return response
        } catch let error as PayoutSandboxHTTPError {
            return error.response
        } catch {
            logger.error("payout sandbox failed", metadata: ["error_type": "\(String(describing: type(of: error)))"])
            return PayoutSandboxHTTPError(.internalServerError, "Internal error.").response
        }
    }

    private func authenticate(_ request: Request) throws(PayoutSandboxHTTPError) {
        guard let header = request.headers[.authorization], header.hasPrefix("Basic "),
              let data = Data(base64Encoded: String(header.dropFirst(6))) else {
            throw PayoutSandboxHTTPError(.unauthorized, "Client credentials are required (HTTP Basic).")
        }
        let expected = Data((configuration.credentials.clientId + ":" + configuration.credentials.clientSecret).utf8)
        // Compare digests, so the time taken says nothing about how much of the secret matched.
        guard SHA256.hash(data: data) == SHA256.hash(data: expected) else {
            throw PayoutSandboxHTTPError(.unauthorized, "The client credentials are not accepted.")
        }
    }

    private func rejection(_ messageId: String?, _ reasons: [Pain001Reason], in document: XMLTree.Element? = nil) -> Response {
        logger.info("payout sandbox rejected a message", metadata: [
            "message_id": "\(messageId ?? "-")", "reasons": "\(reasons.map(\.code).joined(separator: ","))",
        ])
        let named = document.map { PayoutSandboxReport.transactionsNamed(by: reasons, in: $0) } ?? []
        return xmlResponse(.badRequest, PayoutSandboxReport.rejection(originalMessageId: messageId, reasons: reasons, transactions: named, at: now()),
                           replayed: false, location: nil)
    }

    /// The test rule for a whole message refused because of one transaction.
    static func unreadableCreditors(_ inspection: Pain001Inspection) -> [Pain001Reason] {
        inspection.paymentGroups.enumerated().flatMap { groupIndex, group in
            group.transactions.enumerated().compactMap { index, transaction in
                guard transaction.creditorName.uppercased().contains(unreadableNameMarker) else { return nil }
                return Pain001Reason(code: "FF01", text: "PmtInf[\(groupIndex + 1)]/CdtTrfTxInf[\(index + 1)]/Cdtr/Nm: not readable by the creditor's bank.")
            }
        }
    }

    /// A bank executes on its own business date: a requested execution date already past is refused
    /// (`DT01`), as strict partners do; a future date, or today after the cut-off or on a day without
    /// settlement, is taken and executed on the next banking day. A repeat of a message it accepted is
    /// answered from its idempotency record before this, whatever the date says.
    static func pastExecutionDates(_ document: XMLTree.Element, today: CalendarDate) -> [Pain001Reason] {
        let groups = document.child("CstmrCdtTrfInitn")?.children(named: "PmtInf") ?? []
        return groups.enumerated().compactMap { index, group in
            guard let text = group.value("ReqdExctnDt", "Dt") ?? group.value("ReqdExctnDt", "DtTm"),
                  let date = try? CalendarDate(iso: String(text.trimmingCharacters(in: .whitespaces).prefix(10))), date < today else { return nil }
            return Pain001Reason(code: "DT01", text: "PmtInf[\(index + 1)]/ReqdExctnDt: \(date.iso) is before today's business date \(today.iso).")
        }
    }

    private func conflict(_ messageId: String) -> Response {
        let reason = Pain001Reason(code: "DU01", text: "Idempotency-Key already used for a different message.")
        return xmlResponse(.conflict, PayoutSandboxReport.rejection(originalMessageId: messageId, reasons: [reason], at: now()), replayed: false, location: nil)
    }

    private func xmlResponse(_ status: HTTPResponse.Status, _ xml: String, replayed: Bool, location messageId: String?) -> Response {
        var headers: HTTPFields = [.contentType: "application/xml; charset=utf-8"]
        if replayed { headers[HTTPField.Name("Idempotent-Replayed")!] = "true" }
        if let messageId { headers[.location] = "\(configuration.mountPath)/v1/pain001/\(messageId)/pain002" }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: xml)))
    }
}

/// A plain JSON error for answers that are about HTTP rather than the message (401, 404, 413, 415, 5xx).
struct PayoutSandboxHTTPError: Error, Sendable {
    let status: HTTPResponse.Status
    let message: String
    let code: String?

    init(_ status: HTTPResponse.Status, _ message: String, code: String? = nil) {
        self.status = status
        self.message = message
        self.code = code
    }

    var response: Response {
        var error: [String: Any] = ["status": status.code, "message": message]
        if let code { error["code"] = code }
        let body = (try? JSONSerialization.data(withJSONObject: ["error": error], options: [.sortedKeys])) ?? Data()
        var headers: HTTPFields = [.contentType: "application/json"]
        if status == .unauthorized { headers[.wwwAuthenticate] = "Basic realm=\"payout\"" }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }
}
