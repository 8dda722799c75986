import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Reads `text/event-stream` as it arrives: blocks separated by a blank line, `id:`, `event:`
/// and `data:` fields, comments (`: heartbeat`) and the `retry:` hint skipped. Bytes are kept until
/// a block is complete, so a character split across two chunks is never garbled.
public struct ServerSentEventParser: Sendable {
    public struct Event: Sendable, Equatable {
        public let id: String?
        public let event: String?
        public let data: String
    }

    private var buffer: [UInt8] = []

    public init() {}

    /// Adds a chunk; returns the events it completed.
    public mutating func feed(_ chunk: Data) -> [Event] {
        buffer.append(contentsOf: chunk.filter { $0 != UInt8(ascii: "\r") })
        var events: [Event] = []
        while let end = Self.blankLine(in: buffer) {
            let block = String(decoding: buffer[..<end], as: UTF8.self)
            buffer.removeSubrange(..<(end + 2))
            if let event = Self.parse(block) { events.append(event) }
        }
        return events
    }

    static func blankLine(in bytes: [UInt8]) -> Int? {
        guard bytes.count >= 2 else { return nil }
        for index in 0..<(bytes.count - 1) where bytes[index] == UInt8(ascii: "\n") && bytes[index + 1] == UInt8(ascii: "\n") {
            return index
        }
        return nil
    }

    static func parse(_ block: String) -> Event? {
        var id: String?
        var event: String?
        var data: [String] = []
        for line in block.split(separator: "\n", omittingEmptySubsequences: false) where !line.hasPrefix(":") {
            let parts = line.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            let value = parts.count > 1 ? String(parts[1].dropFirst(parts[1].hasPrefix(" ") ? 1 : 0)) : ""
            switch parts[0] {
            case "id": id = value
            case "event": event = value
            case "data": data.append(value)
            default: continue
            }
        }
        return data.isEmpty ? nil : Event(id: id, event: event, data: data.joined(separator: "\n"))
    }
}

extension DropClient {
    /// The merchant's payments as they happen (`GET /v1/merchants/me/events`), from after
    /// `lastEventId` (the dashboard's `lastEventId`, so nothing between the two is missed).
    /// The stream ends when the task reading it is cancelled.
    public func merchantEvents(after lastEventId: Int64? = nil) -> AsyncThrowingStream<MerchantEvent, any Error> {
        let endpoint = Endpoint("GET", "/v1/merchants/me/events")
        let url = url(endpoint, path: [:])
        let tokens = self.tokens
        let record = onDecoded
        return AsyncThrowingStream { continuation in
            let task = Task {
                var request = URLRequest(url: url)
                request.setValue("text/event-stream", forHTTPHeaderField: "Accept")
                if let lastEventId { request.setValue(String(lastEventId), forHTTPHeaderField: "Last-Event-ID") }
                if let token = await tokens.load() { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
                request.timeoutInterval = 3600
                let chunks = EventStreamDelegate.open(request)
                var parser = ServerSentEventParser()
                do {
                    for try await chunk in chunks {
                        for event in parser.feed(chunk) {
                            guard let merchantEvent = try Self.merchantEvent(event) else { continue }
                            continuation.yield(merchantEvent)
                            record?(endpoint)
                        }
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}

extension DropClient {
    /// The stream's event as the merchant's app reads it; nil for a kind this version doesn't know.
    static func merchantEvent(_ event: ServerSentEventParser.Event) throws -> MerchantEvent? {
        guard let kind = MerchantEvent.Kind(rawValue: event.event ?? "") else { return nil }
        var decoded = try decoder.decode(MerchantEvent.self, from: Data(event.data.utf8))
        decoded.kind = kind
        return decoded
    }
}

/// Streams a response body chunk by chunk (URLSession's byte streams are not on Linux). A non-2xx
/// answer is read whole and thrown as `APIError`.
final class EventStreamDelegate: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    private let continuation: AsyncThrowingStream<Data, any Error>.Continuation
    private let lock = NSLock()
    private var errorBody = Data()

    private init(_ continuation: AsyncThrowingStream<Data, any Error>.Continuation) {
        self.continuation = continuation
    }

    static func open(_ request: URLRequest) -> AsyncThrowingStream<Data, any Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: Data.self, throwing: (any Error).self)
        let delegate = EventStreamDelegate(continuation)
        let session = URLSession(configuration: .default, delegate: delegate, delegateQueue: nil)
        let task = session.dataTask(with: request)
        continuation.onTermination = { _ in
            task.cancel()
            session.invalidateAndCancel()
        }
        task.resume()
        return stream
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let status = (dataTask.response as? HTTPURLResponse)?.statusCode ?? 200
        if (200..<300).contains(status) {
            continuation.yield(data)
        } else {
            lock.withLock { errorBody.append(data) }
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        let response = task.response as? HTTPURLResponse
        if let response, !(200..<300).contains(response.statusCode) {
            continuation.finish(throwing: APIError.decode(status: response.statusCode, body: lock.withLock { errorBody },
                                                          retryAfter: APIError.retryAfterSeconds(response.value(forHTTPHeaderField: "Retry-After"))))
        } else if let error {
            continuation.finish(throwing: error)
        } else {
            continuation.finish()
        }
        session.finishTasksAndInvalidate()
    }
}
