import DropHTML
import Foundation
import Hummingbird

/// The answers the sandbox gives: Sumsub's JSON and error shapes, and the WebSDK's HTML.
enum SumsubSandboxResponses {
    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else {
            return error(.internalServerError, "Internal error")
        }
        return Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data))
        )
    }

    /// Sumsub's error body: `{"description","code","correlationId"}`.
    static func error(_ status: HTTPResponse.Status, _ description: String) -> Response {
        struct Body: Encodable {
            let description: String
            let code: Int
            let correlationId: String
        }
        let body = Body(description: description, code: status.code, correlationId: SumsubSandboxIdentifiers.correlationId())
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(body)) ?? Data("{}".utf8)
        return Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data))
        )
    }

    static func html(_ page: HTML, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status,
            headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: page.description))
        )
    }

    /// 303 See Other: after a form post the browser follows with a GET.
    static func seeOther(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
    }
}
