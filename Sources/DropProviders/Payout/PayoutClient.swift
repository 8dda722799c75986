import AsyncHTTPClient
import DropCore
import Foundation
import Logging

/// Instructs the payout partner with ISO 20022 pain.001 and reads its pain.002 status reports
/// (docs/flows.md), through `ResilientHTTPClient` (timeout, breaker, retries).
///
/// - `submit(_:)`: `POST {base}/v1/pain001`, `Content-Type: application/xml`, HTTP Basic, and
///   `Idempotency-Key` = the batch's message id. The key makes the POST safe to repeat (the
///   partner answers a repeat with its first answer instead of paying twice), so it is retried
///   after timeouts and 5xx like a GET.
/// - `report(messageId:)`: `GET {base}/v1/pain001/{msgId}/pain002`.
///
/// Refusals are `PayoutError` (with the partner's reasons); transport trouble, 5xx and an open
/// breaker are `ProviderError`.
public struct PayoutClient: Sendable {
    public static let providerName = "payout-partner"
    /// Rejections can list many reasons; keep all of them (`ResilientHTTPClient` keeps 2 KiB by default).
    public static let errorBodyLimit = 256 * 1024
    /// The largest answer read: a pain.002 about a full message (`PayoutBatch.maximumTransactions`)
    /// that repeats each transaction's original details (`OrgnlTxRef`: amount, debtor, creditor,
    /// their accounts and agents, remittance text; some 3 KB once escaped) with its status and
    /// reasons, indented: 6 KiB a transaction and 1 MiB for the rest, about 60 MiB. Any lower cap
    /// (`ResilientHTTPClient`'s default is 4 MiB) could leave such a report unreadable for good.
    public static let maxResponseBytes = PayoutBatch.maximumTransactions * 6 * 1024 + 1024 * 1024

    public let configuration: PayoutConfiguration
    private let http: ResilientHTTPClient
    private let writer = Pain001Writer()
    private let reader = Pain002Reader()
    private let logger: Logger

    /// Over a resilient client you built; give it `errorBodyLimit: PayoutClient.errorBodyLimit`
    /// and `maxResponseBytes: PayoutClient.maxResponseBytes` so long reports arrive whole.
    public init(configuration: PayoutConfiguration, http: ResilientHTTPClient, logger: Logger = Logger(label: "drop.providers.payout")) {
        self.configuration = configuration
        self.http = http
        self.logger = logger
    }

    /// With its own breaker (docs/architecture.md, "Outbound calls", unless given) and the configured timeout.
    public init(
        configuration: PayoutConfiguration,
        httpClient: HTTPClient,
        breaker: CircuitBreaker? = nil,
        retryPolicy: RetryPolicy = RetryPolicy(),
        logger: Logger = Logger(label: "drop.providers.payout")
    ) {
        let http = ResilientHTTPClient(
            provider: Self.providerName, httpClient: httpClient,
            breaker: breaker ?? CircuitBreaker(provider: Self.providerName, logger: logger),
            retryPolicy: retryPolicy, timeout: configuration.timeout, maxResponseBytes: Self.maxResponseBytes,
            errorBodyLimit: Self.errorBodyLimit, logger: logger
        )
        self.init(configuration: configuration, http: http, logger: logger)
    }

    /// The breaker guarding the partner, for health endpoints and metrics.
    public var breaker: CircuitBreaker { http.breaker }

    /// Sends `batch` as pain.001 and returns the partner's first pain.002.
    ///
    /// - Throws: `PayoutError.rejected` (with reasons), `.idempotencyConflict`, `.messageTooLarge` or
    ///   `.requestRefused` (any other 4xx but 408/429) when the partner refuses; `ProviderError` when
    ///   it cannot be reached (already retried) or answers nonsense.
    public func submit(_ batch: PayoutBatch) async throws -> PayoutSubmission {
        let submission = try await submit(pain001: writer.xml(for: batch), messageId: batch.messageId)
        logger.info("payout batch submitted", metadata: [
            "message_id": "\(batch.messageId)", "transactions": "\(batch.numberOfTransactions)",
            "group_status": "\(submission.report.groupStatus?.rawValue ?? "-")", "replayed": "\(submission.replayed)",
        ])
        return submission
    }

    /// Sends a pain.001 exactly as given, e.g. the one stored when the batch was first sent.
    ///
    /// Resending after a crash must use the stored bytes: the partner replays its first answer
    /// only for an identical body under the same key, and answers 409 to anything else.
    /// - Parameter messageId: the document's `MsgId`, sent as `Idempotency-Key`.
    public func submit(pain001 xml: String, messageId: String) async throws -> PayoutSubmission {
        guard Self.isMessageId(messageId) else {
            throw ProviderError.invalidRequest(provider: Self.providerName, reason: "not a message id")
        }
        var request = authorised(HTTPClientRequest(url: "\(configuration.baseURL)/v1/pain001"))
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/xml; charset=utf-8")
        request.headers.add(name: "Accept", value: "application/xml")
        request.headers.add(name: "Idempotency-Key", value: messageId)
        request.body = .bytes(Array(xml.utf8))
        let response: ProviderResponse
        do {
            response = try await http.execute(request, idempotent: true)
        } catch let error as ProviderError {
            throw submissionRefusal(error, messageId: messageId)
        }
        let report = try parse(response.body)
        guard report.originalMessageId == messageId else {
            throw ProviderError.decoding(provider: Self.providerName, reason: "the pain.002 is about another message")
        }
        let replayed = response.header("Idempotent-Replayed")?.lowercased() == "true"
        return PayoutSubmission(messageId: messageId, pain001: xml, pain002: response.text, report: report, replayed: replayed)
    }

    /// The partner's current pain.002 for a message Drop sent.
    public func report(messageId: String) async throws -> PaymentStatusReport {
        try await statusDocument(messageId: messageId).report
    }

    /// The current pain.002, parsed and as received.
    /// - Throws: `PayoutError.unknownMessage` for an id the partner never accepted, `.reportAboutAnotherMessage`
    ///   for a pain.002 whose `OrgnlMsgId` is not `messageId`; `ProviderError` otherwise.
    public func statusDocument(messageId: String) async throws -> PayoutStatusDocument {
        guard Self.isMessageId(messageId) else {
            throw ProviderError.invalidRequest(provider: Self.providerName, reason: "not a message id")
        }
        var request = authorised(HTTPClientRequest(url: "\(configuration.baseURL)/v1/pain001/\(messageId)/pain002"))
        request.headers.add(name: "Accept", value: "application/xml")
        let response: ProviderResponse
        do {
            response = try await http.execute(request)
        } catch let error as ProviderError {
            throw refusal(error, messageId: messageId)
        }
        let report = try parse(response.body)
        guard report.originalMessageId == messageId else { throw PayoutError.reportAboutAnotherMessage(messageId: messageId) }
        return PayoutStatusDocument(report: report, pain002: response.text)
    }

    // MARK: Returns

    /// Asks the partner to pay NOK it holds for a payout back to the account it came from:
    /// `POST {base}/v1/returns`. `returnId` is the idempotency key: the same one again gets the
    /// same return, so a retry or a second worker never returns twice.
    /// - Throws: `PayoutError.returnRefused` (422), `.unauthorized`, `.idempotencyConflict`,
    ///   `.returnAnswerInvalid` for an answer about another return (or amount) or with an id Drop
    ///   can't ask about later; `ProviderError` otherwise.
    public func requestReturn(returnId: String, endToEndId: String, amountMinor: Int64, toAccount account: String) async throws -> PayoutReturn {
        var request = authorised(HTTPClientRequest(url: "\(configuration.baseURL)/v1/returns"))
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Idempotency-Key", value: returnId)
        let body: [String: Any] = ["returnId": returnId, "endToEndId": endToEndId, "amountMinor": amountMinor, "currency": "NOK", "account": account]
        request.body = .bytes(Array(try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])))
        let answer = try await returnAnswer(request, idempotent: true, about: returnId)
        if let issue = answer.mismatch(returnId: returnId, endToEndId: endToEndId, amountMinor: amountMinor) {
            throw PayoutError.returnAnswerInvalid(returnId: returnId, issue: issue)
        }
        return answer
    }

    /// Where a return stands: `GET {base}/v1/returns/{id}` with the partner's id.
    /// - Throws: `PayoutError.returnAnswerInvalid` for an answer about another return or not in NOK
    ///   (the caller checks its amount against the one asked for).
    public func returnStatus(id: String) async throws -> PayoutReturn {
        guard Self.isMessageId(id) else { throw ProviderError.invalidRequest(provider: Self.providerName, reason: "not a return id") }
        let answer = try await returnAnswer(authorised(HTTPClientRequest(url: "\(configuration.baseURL)/v1/returns/\(id)")), idempotent: nil, about: id)
        guard answer.id == id else { throw PayoutError.returnAnswerInvalid(returnId: id, issue: "id") }
        guard answer.currency == "NOK" else { throw PayoutError.returnAnswerInvalid(returnId: id, issue: "currency") }
        return answer
    }

    private func returnAnswer(_ request: HTTPClientRequest, idempotent: Bool?, about id: String) async throws -> PayoutReturn {
        let response: ProviderResponse
        do {
            response = try await http.execute(request, idempotent: idempotent)
        } catch let error as ProviderError {
            if case .http(_, 422, let body) = error {
                let code = ((try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any]).flatMap { ($0["error"] as? [String: Any])?["code"] as? String }
                throw PayoutError.returnRefused(code: code ?? "UNKNOWN")
            }
            throw refusal(error, messageId: id)
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do {
            return try decoder.decode(PayoutReturn.self, from: Data(response.body))
        } catch {
            // Unreadable, or a status Drop doesn't know: about this one return, not the partner as a whole.
            throw PayoutError.returnAnswerInvalid(returnId: id, issue: "unreadable")
        }
    }

    // MARK: Helpers

    /// What `PayoutBatch` accepts as a message id: 1–35 of `[A-Za-z0-9-]`, safe in a URL path.
    static func isMessageId(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return (1...PayoutBatch.maximumMessageIdLength).contains(bytes.count) && bytes.allSatisfy {
            (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) || $0 == 0x2D
        }
    }

    private func authorised(_ request: HTTPClientRequest) -> HTTPClientRequest {
        var request = request
        let credentials = Data("\(configuration.clientId):\(configuration.clientSecret)".utf8).base64EncodedString()
        request.headers.add(name: "Authorization", value: "Basic \(credentials)")
        return request
    }

    private func parse(_ body: [UInt8]) throws(ProviderError) -> PaymentStatusReport {
        do {
            return try reader.read(body)
        } catch {
            throw .decoding(provider: Self.providerName, reason: error.description)
        }
    }

    /// The partner's 4xx answers as `PayoutError`; everything else unchanged.
    private func refusal(_ error: ProviderError, messageId: String) -> any Error {
        guard case .http(_, let status, let body) = error else { return error }
        switch status {
        case 400, 422:
            let named = (try? reader.read(body))?.transactions.filter { $0.status == .rejected } ?? []
            guard named.isEmpty else {
                return PayoutError.rejectedInstructions(messageId: messageId, status: status, reasons: reasons(in: body), instructions: named)
            }
            return PayoutError.rejected(messageId: messageId, status: status, reasons: reasons(in: body))
        case 409:
            return PayoutError.idempotencyConflict(messageId: messageId, reasons: reasons(in: body))
        case 401, 403:
            return PayoutError.unauthorized(status: status)
        case 404:
            return PayoutError.unknownMessage(messageId: messageId)
        case 413:
            return PayoutError.messageTooLarge(messageId: messageId)
        default:
            return error
        }
    }

    /// `refusal`, for a submission: a 404 there is the endpoint's (no message is asked about), and any
    /// other 4xx but 408/429 refuses the request itself. Left as `ProviderError`, Drop took either for
    /// transport trouble and sent the message again every run, and nobody was told.
    private func submissionRefusal(_ error: ProviderError, messageId: String) -> any Error {
        let refused = refusal(error, messageId: messageId)
        if case PayoutError.unknownMessage = refused { return PayoutError.requestRefused(messageId: messageId, status: 404) }
        if case ProviderError.http(_, let status, _) = refused, (400..<500).contains(status), !error.isTransient {
            return PayoutError.requestRefused(messageId: messageId, status: status)
        }
        return refused
    }

    /// Every reason in a rejection's pain.002: the message's, or when it gives none, its payment
    /// groups' and transactions' (a partner naming transactions repeats the message's reasons there).
    private func reasons(in body: String) -> [PaymentStatusReason] {
        guard let report = try? reader.read(body) else {
            logger.notice("payout rejection without a readable pain.002", metadata: ["bytes": "\(body.utf8.count)"])
            return []
        }
        guard report.groupReasons.isEmpty else { return report.groupReasons }
        return report.paymentInformation.flatMap { $0.reasons + $0.transactions.flatMap(\.reasons) }
    }
}
