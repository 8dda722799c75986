import DropHTML
import Foundation
import Hummingbird

/// Response builders the sandbox's endpoints share.
enum BankIDResponses {

    /// OAuth and OpenID answers must not be cached (RFC 6749 §5.1); discovery and JWKS may be briefly.
    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok, cacheable: Bool = false) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = (try? encoder.encode(value)) ?? Data(#"{"error":"server_error"}"#.utf8)
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        headers[.cacheControl] = cacheable ? "public, max-age=60" : "no-store"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    static func oauthError(
        _ error: String, description: String, status: HTTPResponse.Status = .badRequest, extraHeaders: HTTPFields = [:]
    ) -> Response {
        var response = json(BankIDOAuthErrorBody(error: error, errorDescription: description), status: status)
        response.headers.append(contentsOf: extraHeaders)
        return response
    }

    static func html(_ page: HTML, status: HTTPResponse.Status = .ok) -> Response {
        text(page.description, contentType: "text/html; charset=utf-8", status: status)
    }

    static func text(_ text: String, contentType: String, status: HTTPResponse.Status = .ok, cacheable: Bool = false) -> Response {
        Response(
            status: status,
            headers: [.contentType: contentType, .cacheControl: cacheable ? "public, max-age=300" : "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text))
        )
    }

    static func redirect(to location: String) -> Response {
        Response(status: .found, headers: [.location: location, .cacheControl: "no-store"])
    }
}

/// `{"error": …, "error_description": …}` (RFC 6749 §5.2).
struct BankIDOAuthErrorBody: Encodable, Sendable {
    let error: String
    let errorDescription: String

    enum CodingKeys: String, CodingKey {
        case error
        case errorDescription = "error_description"
    }
}
