/// What Drop asks of its payout partner, the licensed institution that receives the NOK the
/// person's bank sends and pays the recipient abroad: take a pain.001, report on it with pain.002,
/// and return the NOK of a transfer Drop could not send on.
///
/// `PayoutClient` is the live one (ISO 20022 over HTTP, the payout sandbox in development). It has no
/// in-memory fake yet: the payout tests drive the sandbox, which writes the pain.002 reports.
/// Refusals are `PayoutError`; a partner that can't be reached is `ProviderError`.
public protocol PayoutPartner: Sendable {
    /// Sends a stored pain.001. The message id is the idempotency key: the same bytes again get
    /// the first answer (`replayed`), different bytes under the same id are refused.
    func submit(pain001 xml: String, messageId: String) async throws -> PayoutSubmission
    /// The partner's current pain.002 for a message Drop sent, parsed and as received.
    func statusDocument(messageId: String) async throws -> PayoutStatusDocument
    /// Asks for the NOK that arrived under `endToEndId` to go back to `account`. `returnId` is
    /// the idempotency key: one return per transfer, however often it is asked.
    func requestReturn(returnId: String, endToEndId: String, amountMinor: Int64, toAccount account: String) async throws -> PayoutReturn
    func returnStatus(id: String) async throws -> PayoutReturn
}

extension PayoutClient: PayoutPartner {}
