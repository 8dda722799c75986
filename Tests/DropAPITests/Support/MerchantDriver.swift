import AsyncHTTPClient
import DropKit
import Foundation
import NIOCore
import NIOHTTP1

/// Merchant steps the tests share: registering a business, and reading its server-sent events
/// over real HTTP the way a browser's EventSource does.
extension LiveServer {
    static let mona = "30098010021"

    /// Mona's café, settled to `settlement`: a JSON field (`"settlementBankAccountId":"…"` or
    /// `"settlementAccount":"…"`).
    static func monasCafe(_ settlement: String) -> String {
        #"{"organisationNumber":"923 456 783","name":"Monas Kaffebar","mcc":"5814","city":"Oslo",\#(settlement)}"#
    }

    /// The signed-in user's linked accounts as the API lists them.
    func linkedAccounts(_ auth: (String, String)) async throws -> [BankAccount] {
        try await get("/v1/bank-accounts", headers: [auth]).decode(DropKit.Page<BankAccount>.self).items
    }

    /// `nationalId` KYC-approved with DNB linked: their auth and their first DNB account (id, 11-digit number).
    func verifiedOwner(_ nationalId: String) async throws -> (auth: (String, String), accountId: String, accountNumber: String) {
        let auth = try await KYCTests.onboardAndVerify(self, nationalId).auth
        _ = try await connectBank("dnb", auth: auth, as: nationalId)
        guard let account = try await linkedAccounts(auth).first, let number = account.bban else {
            throw DriverError("no linked account for the owner")
        }
        return (auth, account.id, number)
    }

    /// Mona signed in (bearer), KYC-approved, DNB linked, with her café registered to her own
    /// account; returns her auth, the code and the settlement account number.
    func registeredMona() async throws -> (auth: (String, String), code: String, settlementAccount: String) {
        let owner = try await verifiedOwner(Self.mona)
        let created = try await postJSON("/v1/merchants", Self.monasCafe(#""settlementBankAccountId":"\#(owner.accountId)""#), headers: [owner.auth])
        guard created.status == 201, let code = (try? created.decode(DropKit.Merchant.self))?.code else {
            throw DriverError("registration answered \(created.status): \(created.body)")
        }
        return (owner.auth, code, owner.accountNumber)
    }

    /// The payments the bank sandbox has been asked for, from its state file: creditor account,
    /// amount, end-to-end id and the text it carries.
    func bankSandboxPayments() throws -> [(creditor: String, amountMinor: Int64, endToEndId: String?, text: String?)] {
        let path = services.config.dataDirectory + "/sandbox/sandbox-bank.json"
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        return try JSONDecoder().decode(BankSandboxFile.self, from: data).payments.values.map {
            ($0.creditorAccount, $0.amountMinorUnits, $0.endToEndIdentification, $0.remittanceInformationUnstructured)
        }
    }

    /// The part of the bank sandbox's state file these tests read: each payment it was asked for,
    /// by id, under the names the file keeps them.
    private struct BankSandboxFile: Decodable {
        struct Payment: Decodable {
            let creditorAccount: String
            let amountMinorUnits: Int64
            let endToEndIdentification: String?
            let remittanceInformationUnstructured: String?
        }

        let payments: [String: Payment]
    }

    struct ServerSentEvent: Sendable {
        let id: String?
        let event: String?
        let data: String

        /// The event's data as the app reads it (a `payment` event is DropKit's `MerchantEvent`).
        func decode<Value: Decodable>(_ type: Value.Type) throws -> Value { try DropClient.decoder.decode(type, from: Data(data.utf8)) }
        /// A `payment` event's data; nil when the data is not one.
        var payment: MerchantEvent? { try? decode(MerchantEvent.self) }
        var status: TransferStatus? { payment?.status }
    }

    /// An open event stream: its answer's head, and the events as they arrive.
    struct EventStream: Sendable {
        let status: Int
        let contentType: String?
        let events: AsyncThrowingStream<ServerSentEvent, any Error>
        let reader: Task<Void, Never>

        /// Collects events until one satisfies `done`, failing after `seconds`.
        func collect(until done: @escaping @Sendable (ServerSentEvent) -> Bool, within seconds: Int = 30) async throws -> [ServerSentEvent] {
            let events = self.events
            return try await withThrowingTaskGroup(of: [ServerSentEvent]?.self) { group in
                group.addTask {
                    var seen: [ServerSentEvent] = []
                    for try await event in events {
                        seen.append(event)
                        if done(event) { return seen }
                    }
                    throw DriverError("the stream ended after \(seen.map { $0.data })")
                }
                group.addTask {
                    try await Task.sleep(for: .seconds(seconds))
                    return nil
                }
                let first = try await group.next() ?? nil
                group.cancelAll()
                guard let first else { throw DriverError("no matching event within \(seconds) s") }
                return first
            }
        }

        /// Whether the server ends the stream within `seconds` (events meanwhile are skipped).
        func ends(within seconds: Double) async -> Bool {
            let events = self.events
            return await withTaskGroup(of: Bool.self) { group in
                group.addTask {
                    do { for try await _ in events {} } catch { return true }
                    return true
                }
                group.addTask {
                    try? await Task.sleep(for: .seconds(seconds))
                    return false
                }
                let first = await group.next() ?? false
                group.cancelAll()
                return first
            }
        }

        /// Hangs up, as a closed browser tab does.
        func close() { reader.cancel() }
    }

    /// Opens `GET /v1/merchants/me/events`; returns once the answer's head has arrived.
    func openEventStream(auth: (String, String), lastEventId: String? = nil) async throws -> EventStream {
        var request = HTTPClientRequest(url: baseURL + "/v1/merchants/me/events")
        request.headers.add(name: auth.0, value: auth.1)
        request.headers.add(name: "accept", value: "text/event-stream")
        if let lastEventId { request.headers.add(name: "Last-Event-ID", value: lastEventId) }
        let response = try await http.execute(request, timeout: .seconds(120))
        let (events, continuation) = AsyncThrowingStream.makeStream(of: ServerSentEvent.self)
        let reader = Task {
            var buffer = ""
            do {
                for try await chunk in response.body {
                    buffer += String(buffer: chunk)
                    while let end = buffer.range(of: "\n\n") {
                        let block = String(buffer[..<end.lowerBound])
                        buffer.removeSubrange(..<end.upperBound)
                        if let event = Self.parseEvent(block) { continuation.yield(event) }
                    }
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        return EventStream(status: Int(response.status.code), contentType: response.headers.first(name: "content-type"), events: events, reader: reader)
    }

    /// One event block, read by DropKit's parser (the app's); nil for comments (heartbeats) and the retry hint.
    static func parseEvent(_ block: String) -> ServerSentEvent? {
        var parser = ServerSentEventParser()
        return parser.feed(Data((block + "\n\n").utf8)).first.map { ServerSentEvent(id: $0.id, event: $0.event, data: $0.data) }
    }
}
