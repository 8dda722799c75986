import Hummingbird

/// Refuses bodies over the limit before reading them (declared length), and caps bodies that
/// arrive without a length while they stream in (`AdmissionMiddleware`).
struct BodyLimit: Sendable {
    let maxBytes: Int

    func admit(_ request: inout Request) throws {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > maxBytes {
            throw AppError.payloadTooLarge
        }
        // A declared length within the limit needs no watching while it streams in.
        if request.headers[.contentLength] != nil || [.get, .head, .options].contains(request.method) { return }
        request.body = RequestBody(asyncSequence: LimitedBody(base: request.body, limit: maxBytes))
    }
}

/// A request body that throws 413 once more than `limit` bytes have arrived.
struct LimitedBody: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let base: RequestBody
    let limit: Int

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: RequestBody.AsyncIterator
        let limit: Int
        var seen = 0

        @concurrent mutating func next() async throws -> ByteBuffer? {
            guard let chunk = try await base.next() else { return nil }
            seen += chunk.readableBytes
            if seen > limit { throw AppError.payloadTooLarge }
            return chunk
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: base.makeAsyncIterator(), limit: limit)
    }
}
