import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Merchant steps the tests share: registering a business, and reading its server-sent events
/// over real HTTP the way a browser's EventSource does.
extension LiveServer {
    static let mona = "30098010021"
    static let monasCafe = #"{"organisationNumber":"923 456 783","name":"Monas Kaffebar","mcc":"5814","city":"Oslo","settlementAccount":"1503.00.12345"}"#

    /// Mona signed in (bearer), KYC-approved, with her café registered; returns her auth and the code.
    func registeredMona() async throws -> (auth: (String, String), code: String) {
        let auth = try await KYCTests.onboardAndVerify(self, Self.mona).auth
        let created = try await postJSON("/v1/merchants", Self.monasCafe, headers: [auth])
        guard created.status == 201, let code = created.json()["code"] as? String else {
            throw DriverError("registration answered \(created.status): \(created.body)")
        }
        return (auth, code)
    }

    struct ServerSentEvent: Sendable {
        let id: String?
        let event: String?
        let data: String

        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(data.utf8))) as? [String: Any] ?? [:] }
        var status: String? { json["status"] as? String }
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

    /// One event block; nil for comments (heartbeats) and the retry hint.
    static func parseEvent(_ block: String) -> ServerSentEvent? {
        var id: String?
        var event: String?
        var data: [String] = []
        for line in block.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix(":") { continue }
            let parts = line.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            let value = parts.count > 1 ? String(parts[1].drop { $0 == " " }) : ""
            switch parts[0] {
            case "id": id = value
            case "event": event = value
            case "data": data.append(value)
            default: continue
            }
        }
        return data.isEmpty ? nil : ServerSentEvent(id: id, event: event, data: data.joined(separator: "\n"))
    }
}
