import DropCore
import DropStore
import Foundation
import HTTPTypes
import Hummingbird
import ServiceLifecycle

/// `GET /v1/merchants/me/events`: server-sent events, one per status change of a payment to the
/// merchant (`event: payment`), and one when the bank reports a completed payment reversed
/// (`event: reversal_reported`, with the payment as it stands) or pays one Drop had ended (`event: settled_after_end`,
/// the status unchanged: the shop has the money). The events are rows in `merchant_events` numbered per merchant; this process's
/// `MerchantEventHub` polls them every 250 ms for all its streams, so a change written by any
/// server instance arrives within a second, and each event's `id:` is its number: a reconnect
/// with `Last-Event-ID` replays exactly what was missed.
struct MerchantEventStream: Sendable {
    let database: Database
    let clock: @Sendable () -> Date
    let hub: MerchantEventHub
    /// A comment line this often keeps proxies from closing an idle stream, and finds out when
    /// the client has gone (the write fails) so the loop ends. The session is checked as often:
    /// a stream ends within this long of a logout.
    var heartbeatInterval: Duration = .seconds(5)
    /// The client reconnects (with `Last-Event-ID`) after this; it spreads long streams across instances.
    var lifetime: Duration = .seconds(300)

    static let lastEventIDHeader = HTTPField.Name("Last-Event-ID")!

    /// Where to resume: the client's `Last-Event-ID` (or `lastEventId` query, for a page that
    /// knows what it rendered), else from now on.
    func startSeq(_ request: Request, merchantId: String) async throws -> Int64 {
        let given = request.headers[Self.lastEventIDHeader] ?? request.uri.queryParameters.get("lastEventId")
        if let given, let seq = Int64(given), seq >= 0 { return seq }
        return try await database.withConnection { try await MerchantRepository.lastEventSeq(merchantId: merchantId, on: $0) }
    }

    func response(merchantId: String, after start: Int64, identity: Identity) async -> Response {
        let (database, clockNow, hub) = (database, clock, hub)
        let (heartbeat, lifetime) = (heartbeatInterval, lifetime)
        let subscription = await hub.subscribe(userId: identity.userId, merchantId: merchantId, after: start)
        let body = ResponseBody { writer in
            var last = start
            let clock = ContinuousClock()
            let end = clock.now.advanced(by: lifetime)
            var lastBeat = clock.now
            do {
                try await writer.write(ByteBuffer(string: ": stream of payments\nretry: 2000\n\n"))
                stream: for await signal in subscription.signals {
                    guard clock.now < end, !Task.isCancelled, !Task.isShuttingDownGracefully else { break stream }
                    switch signal {
                    case .events(let events):
                        let fresh = events.filter { $0.seq > last }
                        guard let newest = fresh.last else { continue }
                        try await writer.write(ByteBuffer(string: fresh.map(Self.format).joined()))
                        last = newest.seq
                    case .tick:
                        guard clock.now - lastBeat >= heartbeat else { continue }
                        lastBeat = clock.now
                        // Logged out (or erased, or expired) since the stream began: it ends with the session.
                        let active = try await database.withConnection { try await SessionRepository.find(id: identity.sessionId, on: $0) }?
                            .isActive(at: clockNow()) ?? false
                        guard active else { break stream }
                        try await writer.write(ByteBuffer(string: ": heartbeat\n\n"))
                    case .displaced:
                        break stream
                    }
                }
            } catch {
                // The client went away (or the server is stopping): nothing more to say to it.
                await hub.unsubscribe(subscription.id)
                return
            }
            await hub.unsubscribe(subscription.id)
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [
            .contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-store",
            // Asks proxies such as nginx not to buffer the stream.
            HTTPField.Name("X-Accel-Buffering")!: "no",
        ], body: body)
    }

    struct Payload: Encodable {
        let seq: Int64
        let transactionId: String
        let status: TransferStatus
        let amount: Money
        /// The signed order reference; a static payer's text is `payerMessage`, never this.
        let reference: String?
        let payerMessage: String?
        let at: Date
        /// When the payment was made: a board adds to a day's total only the events of that day's payments,
        /// as the dashboard counts them (the bank may pay or reverse one days later).
        let createdAt: Date
    }

    static func format(_ event: MerchantEventRecord) -> String {
        // The payer's words only with a payment they approved at the bank (`PayerMessageVisibility`).
        let shown = PayerMessageVisibility.shown(status: event.status, settledAfterEnd: event.kind == .settledAfterEnd)
        let payload = Payload(seq: event.seq, transactionId: event.transactionId, status: event.status,
                              amount: Money(minorUnits: event.amountMinor, currency: Currency(rawValue: event.currency) ?? .nok),
                              reference: event.reference, payerMessage: shown ? event.payerMessage : nil, at: event.at,
                              createdAt: event.createdAt)
        // JSON from our encoder has no raw newlines, so one `data:` line carries it.
        let json = (try? JSON.encoder.encode(payload)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return "id: \(event.seq)\nevent: \(event.kind.rawValue)\ndata: \(json)\n\n"
    }
}
