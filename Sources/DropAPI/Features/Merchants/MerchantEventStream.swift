import DropCore
import DropStore
import Foundation
import HTTPTypes
import Hummingbird
import ServiceLifecycle

/// `GET /v1/merchants/me/events`: server-sent events, one per status change of a payment to the
/// merchant. The events are rows in `merchant_events` numbered per merchant, polled every 250 ms,
/// so a change written by any server instance arrives within a second, and each event's `id:` is
/// its number: a reconnect with `Last-Event-ID` replays exactly what was missed.
struct MerchantEventStream: Sendable {
    let services: AppServices
    var pollInterval: Duration = .milliseconds(250)
    /// A comment line this often keeps proxies from closing an idle stream, and finds out when
    /// the client has gone (the write fails) so the loop ends.
    var heartbeatInterval: Duration = .seconds(5)
    /// The client reconnects (with `Last-Event-ID`) after this; it spreads long streams across instances.
    var lifetime: Duration = .seconds(300)

    static let lastEventIDHeader = HTTPField.Name("Last-Event-ID")!

    /// Where to resume: the client's `Last-Event-ID` (or `lastEventId` query, for a page that
    /// knows what it rendered), else from now on.
    func startSeq(_ request: Request, merchantId: String) async throws -> Int64 {
        let given = request.headers[Self.lastEventIDHeader] ?? request.uri.queryParameters.get("lastEventId")
        if let given, let seq = Int64(given), seq >= 0 { return seq }
        return try await services.database.read { try await MerchantRepository.lastEventSeq(merchantId: merchantId, on: $0) }
    }

    func response(merchantId: String, after start: Int64) -> Response {
        let database = services.database
        let (poll, heartbeat, lifetime) = (pollInterval, heartbeatInterval, lifetime)
        let body = ResponseBody { writer in
            var last = start
            let clock = ContinuousClock()
            let end = clock.now.advanced(by: lifetime)
            var lastWrite = clock.now
            do {
                try await writer.write(ByteBuffer(string: ": stream of payments\nretry: 2000\n\n"))
                while clock.now < end, !Task.isCancelled, !Task.isShuttingDownGracefully {
                    let events = try await database.read { try await MerchantRepository.events(merchantId: merchantId, after: last, limit: 100, on: $0) }
                    if let newest = events.last {
                        try await writer.write(ByteBuffer(string: events.map(Self.format).joined()))
                        last = newest.seq
                        lastWrite = clock.now
                    } else if clock.now - lastWrite >= heartbeat {
                        try await writer.write(ByteBuffer(string: ": heartbeat\n\n"))
                        lastWrite = clock.now
                    }
                    try await Task.sleep(for: poll)
                }
            } catch {
                // The client went away (or the server is stopping): nothing more to say to it.
                return
            }
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
        let status: String
        let amount: Money
        /// The signed order reference; a static payer's text is `payerMessage`, never this.
        let reference: String?
        let payerMessage: String?
        let at: Date
    }

    static func format(_ event: MerchantEventRecord) -> String {
        let payload = Payload(seq: event.seq, transactionId: event.transactionId, status: event.status,
                              amount: Money(minorUnits: event.amountMinor, currency: Currency(rawValue: event.currency) ?? .nok),
                              reference: event.reference, payerMessage: event.payerMessage, at: event.at)
        // JSON from our encoder has no raw newlines, so one `data:` line carries it.
        let json = (try? JSON.encoder.encode(payload)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return "id: \(event.seq)\nevent: payment\ndata: \(json)\n\n"
    }
}
